import { describe, expect, it } from 'vitest';
import { armMapping, armOf, createArmResolver } from '../../main/core/decision-arms';
import { mergeArmBuckets } from '../../main/core/decision-buckets';

describe('treatment and control label values (boolean flags have arms too)', () => {
  it('a boolean flag: its variant names plus true|on|enabled vs false|off|disabled', () => {
    const m = armMapping({}, { treatment: 'on', control: 'off' }, 'flagd');
    expect(m.treatment).toEqual(['on', 'true', 'enabled']);
    expect(m.control).toEqual(['off', 'false', 'disabled']);
    for (const v of ['on', 'true', 'True', 'ENABLED']) expect(armOf(v, m)).toBe('treatment');
    for (const v of ['off', 'false', 'disabled']) expect(armOf(v, m)).toBe('control');
    expect(armOf('maybe', m)).toBeNull();
    expect(armOf(undefined, m)).toBeNull();
  });

  it('a plain gradual rollout with no variant names still splits on the boolean words', () => {
    const m = armMapping({}, {}, 'unleash');
    expect(armOf('true', m)).toBe('treatment');
    expect(armOf('false', m)).toBe('control');
    expect(armOf('disabled', m)).toBe('control'); // Unleash's getVariant() when the flag is off for the user
  });

  it('named variants are only themselves; Unleash adds disabled to the control', () => {
    const search = armMapping({}, { treatment: 'ml-v2', control: 'classic' }, 'flagd');
    expect(search).toMatchObject({ treatment: ['ml-v2'], control: ['classic'] });
    expect(armOf('on', search)).toBeNull(); // no boolean words for a flag with named variants
    const unleash = armMapping({}, { treatment: 'blue' }, 'unleash');
    expect(unleash).toMatchObject({ treatment: ['blue'], control: ['disabled'] });
    expect(unleash.source).toMatch(/Unleash's disabled/);
  });

  it("the watch's own mapping wins, and merges several values into one arm", () => {
    const m = armMapping(
      { arms: { treatment: ['v2', 'v2-beta'], control: ['v1'] } },
      { treatment: 'on', control: 'off' },
      'flagd',
    );
    expect(m).toEqual({ treatment: ['v2', 'v2-beta'], control: ['v1'], source: 'set on the watch' });
    expect(armOf('v2-beta', m)).toBe('treatment');
    expect(armOf('on', m)).toBeNull();
  });

  it("a value claimed by both sides stays with the flag's own naming", () => {
    const m = armMapping({}, { treatment: 'off', control: 'legacy' }, 'flagd');
    expect(armOf('off', m)).toBe('treatment');
    expect(m.control).not.toContain('off');
  });

  it('the resolver reads the flag once per short while, and falls back to the conventions when the store fails', async () => {
    let reads = 0;
    let clock = 0;
    const resolve = createArmResolver({
      variants: async () => (reads++, { treatment: 'on', control: 'off' }),
      storeKind: () => 'flagd',
      now: () => clock,
    });
    const w = { id: 'w', flagConnectionId: 'f', flagKey: 'k', env: 'e' } as Parameters<typeof resolve>[0];
    await resolve(w);
    await resolve(w);
    expect(reads).toBe(1);
    clock += 60_000;
    await resolve(w);
    expect(reads).toBe(2);
    const failing = createArmResolver({
      variants: async () => Promise.reject(new Error('down')),
      storeKind: () => null,
      now: () => 0,
    });
    expect(armOf('true', await failing(w))).toBe('treatment');
  });
});

describe('merged histogram buckets per arm', () => {
  const le = (bound: string, value: number, variant: string) => ({ labels: { le: bound, v: variant }, value });

  it('sums cumulative counts per le across series, then per-bucket counts on the union of bounds, +Inf last, in ms', () => {
    const treatment = [
      le('0.1', 10, 'on'),
      le('0.2', 30, 'on'),
      le('+Inf', 40, 'on'),
      le('0.1', 5, 'true'),
      le('0.2', 5, 'true'),
      le('+Inf', 6, 'true'),
    ];
    const control = [le('0.1', 50, 'off'), le('0.15', 80, 'off'), le('0.2', 90, 'off'), le('+Inf', 100, 'off')];
    const m = mergeArmBuckets(treatment, control, 1000)!;
    expect(m.canary.bounds).toEqual([100, 150, 200, null]);
    expect(m.canary.counts).toEqual([15, 0, 20, 11]); // 0.15 missing in treatment: nothing between 0.1 and 0.15
    expect(m.canary.total).toBe(46);
    expect(m.baseline.counts).toEqual([50, 30, 10, 10]);
    expect(m.baseline.counts.reduce((a, b) => a + b, 0)).toBe(m.baseline.total);
  });

  it('no bucket series for an arm is no histogram (the per-step fallback takes over); NaN and negatives never count', () => {
    expect(mergeArmBuckets([], [le('1', 1, 'off')], 1)).toBeNull();
    const m = mergeArmBuckets(
      [le('1', Number.NaN, 'on'), le('2', 4, 'on'), le('+Inf', 4, 'on')],
      [le('1', -3, 'off'), le('2', 2, 'off'), le('+Inf', 5, 'off')],
      1,
    )!;
    expect(m.canary.counts).toEqual([0, 4, 0]);
    expect(m.baseline.counts).toEqual([0, 2, 3]);
  });
});
