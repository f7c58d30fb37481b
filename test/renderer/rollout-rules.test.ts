import { describe, expect, it } from 'vitest';
import { validateRampTarget } from '../../renderer/src/views/canary/rollout-rules';
import { flagRowMatches, isSelected } from '../../renderer/src/lib/filters';
import type { FlagRow } from '../../shared/contract';

describe('ramp target', () => {
  it('accepts a new percentage on the store’s step', () => {
    expect(validateRampTarget('50', 25, 1)).toBeNull();
    expect(validateRampTarget('12.345', 5, 0.001)).toBeNull();
  });
  it('refuses empty, out-of-range, unchanged or off-step targets with a reason', () => {
    expect(validateRampTarget('', 25, 1)).toMatch(/enter/);
    expect(validateRampTarget('150', 25, 1)).toMatch(/between 0 and 100/);
    expect(validateRampTarget('25', 25, 1)).toMatch(/already at 25%/);
    expect(validateRampTarget('2.5', 1, 1)).toMatch(/smallest step is 1%/);
    expect(validateRampTarget('abc', 1, 1)).toMatch(/not a number/);
  });
});

describe('flag list filter', () => {
  const row: FlagRow = {
    connectionId: 'demo-flags',
    connectionName: 'Demo flags',
    connectionKind: 'flagd',
    demo: true,
    flagKey: 'new-checkout',
    name: 'New checkout',
    env: 'production',
    enabled: true,
    exposure: 25,
    lastChange: null,
    stale: null,
  };
  it('matches key, name, environment and connection, case-insensitively', () => {
    expect(flagRowMatches(row, 'CHECKOUT')).toBe(true);
    expect(flagRowMatches(row, 'prod')).toBe(true);
    expect(flagRowMatches(row, 'flagd')).toBe(true);
    expect(flagRowMatches(row, 'search-v2')).toBe(false);
    expect(flagRowMatches(row, '  ')).toBe(true);
  });
  it('selects by connection, key and environment together', () => {
    expect(isSelected(row, { connectionId: 'demo-flags', flagKey: 'new-checkout', env: 'production' })).toBe(true);
    expect(isSelected(row, { connectionId: 'demo-flags', flagKey: 'new-checkout', env: 'staging' })).toBe(false);
    expect(isSelected(row, null)).toBe(false);
  });
});
