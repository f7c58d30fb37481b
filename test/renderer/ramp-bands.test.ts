import { describe, expect, it } from 'vitest';
import type { FlagChange } from '../../shared/domain/flags';
import { bandOpacity, effectiveExposure, initialState, rampBands } from '../../renderer/src/lib/bands';

let seq = 0;
function change(at: number, kind: FlagChange['kind'], from: FlagChange['from'], to: FlagChange['to']): FlagChange {
  return {
    id: `c:${++seq}`,
    connectionId: 'c',
    flagKey: 'f',
    env: 'production',
    at,
    kind,
    from,
    to,
    label: `${kind} ${at}`,
    source: 'vendor',
  };
}

describe('ramp bands', () => {
  const current = { enabled: true, exposure: 50 };

  it('splits the range at each exposure change and labels each step with its exposure', () => {
    const changes = [
      change(200, 'exposure', { exposure: 5 }, { exposure: 25 }),
      change(600, 'exposure', { exposure: 25 }, { exposure: 50 }),
    ];
    const bands = rampBands(changes, 0, 1000, current);
    expect(bands.map((b) => [b.from, b.to, b.label])).toEqual([
      [0, 200, '5%'],
      [200, 600, '25%'],
      [600, 1000, '50%'],
    ]);
  });

  it('takes the starting state from the first change that touched each field, the rest from the current state', () => {
    const changes = [
      change(300, 'exposure', { exposure: 1 }, { exposure: 5 }),
      change(500, 'enabled', { enabled: true }, { enabled: false }),
    ];
    expect(initialState(changes, { enabled: false, exposure: 5 })).toEqual({ enabled: true, exposure: 1 });
    const bands = rampBands(changes, 0, 1000, { enabled: false, exposure: 5 });
    expect(bands.map((b) => b.label)).toEqual(['1%', '5%', 'off']);
    expect(bands[2].effective).toBe(0);
  });

  it('ignores targeting edits and merges neighbouring bands with the same label', () => {
    const changes = [
      change(100, 'targeting', null, { targeting: 'beta users' }),
      change(400, 'exposure', { exposure: 25 }, { exposure: 25 }),
    ];
    const bands = rampBands(changes, 0, 1000, { enabled: true, exposure: 25 });
    expect(bands).toHaveLength(1);
    expect(bands[0]).toMatchObject({ from: 0, to: 1000, label: '25%' });
  });

  it('clips to the visible range: changes before it set the state, changes after it are ignored', () => {
    const changes = [
      change(-500, 'exposure', { exposure: 5 }, { exposure: 25 }),
      change(2000, 'exposure', { exposure: 25 }, { exposure: 50 }),
    ];
    const bands = rampBands(changes, 0, 1000, current);
    expect(bands.map((b) => [b.from, b.to, b.label])).toEqual([[0, 1000, '25%']]);
  });

  it('with no change in range the whole range carries the current state', () => {
    expect(rampBands([], 0, 10, { enabled: true, exposure: null }).map((b) => b.label)).toEqual(['on']);
    expect(rampBands([], 10, 10, current)).toEqual([]);
  });

  it('shades deeper for more exposure and not at all when off', () => {
    expect(bandOpacity(0)).toBe(0);
    expect(bandOpacity(null)).toBe(0);
    expect(bandOpacity(100)).toBeGreaterThan(bandOpacity(5));
    expect(effectiveExposure({ enabled: false, exposure: 40 })).toBe(0);
    expect(effectiveExposure({ enabled: true, exposure: null })).toBe(100);
  });
});

describe('ramp bands before a flag existed', () => {
  it('draws no band while the state is unknown (before "created")', () => {
    const created: FlagChange = {
      id: 'x',
      connectionId: 'c',
      flagKey: 'f',
      env: 'p',
      at: 100,
      kind: 'created',
      from: null,
      to: { enabled: false, exposure: 0 },
      label: 'created',
      source: 'vendor',
    };
    const bands = rampBands([created], 0, 1000, { enabled: true, exposure: 5 });
    expect(bands.map((b) => [b.from, b.to, b.label])).toEqual([[100, 1000, 'off']]);
  });
});
