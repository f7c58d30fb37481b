import { describe, expect, it } from 'vitest';
import { withoutEchoes } from '../../main/core/flags-service';
import type { FlagChange } from '../../shared/domain/flags';

const base = { connectionId: 'u', flagKey: 'checkout', env: 'production', from: null, label: 'x' } as const;
const own: FlagChange = {
  ...base,
  id: 'u:rampart:1',
  at: 1_000_000,
  kind: 'enabled',
  from: { enabled: false, exposure: 0 },
  to: { enabled: true, exposure: 5 },
  source: 'rampart',
  comment: 'canary',
};

describe("hiding the vendor's echo of Rampart's own write", () => {
  it('drops vendor events that report the same resulting state within a minute', () => {
    const rollout: FlagChange = {
      ...base,
      id: 'u:11',
      at: 1_000_400,
      kind: 'exposure',
      from: { exposure: 0 },
      to: { exposure: 5 },
      source: 'vendor',
    };
    const switchOn: FlagChange = {
      ...base,
      id: 'u:12',
      at: 1_000_500,
      kind: 'enabled',
      from: { enabled: false },
      to: { enabled: true },
      source: 'vendor',
    };
    expect(withoutEchoes([own, rollout, switchOn]).map((c) => c.id)).toEqual(['u:rampart:1']);
  });

  it('keeps a different change, a later one, and one of another flag or environment', () => {
    const other: FlagChange[] = [
      { ...base, id: 'a', at: 1_000_400, kind: 'exposure', to: { exposure: 25 }, source: 'vendor' },
      { ...base, id: 'b', at: 1_000_000 + 61_000, kind: 'exposure', to: { exposure: 5 }, source: 'vendor' },
      { ...base, id: 'c', flagKey: 'search', at: 1_000_400, kind: 'exposure', to: { exposure: 5 }, source: 'vendor' },
      { ...base, id: 'd', env: 'staging', at: 1_000_400, kind: 'exposure', to: { exposure: 5 }, source: 'vendor' },
      { ...base, id: 'e', at: 1_000_400, kind: 'targeting', to: { targeting: 'segment beta' }, source: 'vendor' },
    ];
    expect(withoutEchoes([own, ...other]).map((c) => c.id)).toEqual(['u:rampart:1', 'a', 'b', 'c', 'd', 'e']);
  });

  it('keeps a real change seconds earlier that ends in the same state but started elsewhere', () => {
    const ramp: FlagChange = {
      ...own,
      id: 'u:rampart:2',
      kind: 'exposure',
      from: { enabled: true, exposure: 25 },
      to: { enabled: true, exposure: 50 },
    };
    const earlierSwitchOn: FlagChange = {
      ...base,
      id: 'u:7',
      at: 1_000_000 - 20_000,
      kind: 'enabled',
      from: { enabled: false },
      to: { enabled: true },
      source: 'vendor',
    };
    const echo: FlagChange = {
      ...base,
      id: 'u:8',
      at: 1_000_000 - 30,
      kind: 'exposure',
      from: { exposure: 25 },
      to: { exposure: 50 },
      source: 'vendor',
    };
    expect(withoutEchoes([earlierSwitchOn, echo, ramp]).map((c) => c.id)).toEqual(['u:7', 'u:rampart:2']);
  });
});
