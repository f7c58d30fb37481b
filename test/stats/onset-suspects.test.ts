import { describe, expect, it } from 'vitest';
import type { FlagChange } from '../../shared/domain/flags';
import {
  cusumStep,
  detectChangePoints,
  detectOnsetCusum,
  detectOnsetOffline,
  type SeriesPoint,
} from '../../shared/stats/onset';
import { rankSuspects } from '../../shared/stats/suspects';
import { seededRandom } from './helpers';

const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);
const MINUTE = 60_000;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

/** Noise around 100 (σ = 5), stepping up by `shift` from index `at`. */
function series(n: number, at: number, shift: number, seed = 1): SeriesPoint[] {
  const random = seededRandom(seed);
  return Array.from(
    { length: n },
    (_, i) => [T0 + i * MINUTE, 100 + 5 * gaussian(random) + (i >= at ? shift : 0)] as const,
  );
}

describe('CUSUM (k = 0.5, h = 5) online onset', () => {
  it('finds a 2σ step within a few points and dates its onset close to the step', () => {
    const s = series(120, 60, 10, 5);
    const onset = detectOnsetCusum(s, { reference: { mean: 100, sd: 5 } });
    expect(onset).not.toBeNull();
    expect(onset?.direction).toBe('higher');
    expect(onset?.method).toBe('cusum');
    expect(Math.abs((onset?.index ?? 0) - 60)).toBeLessThanOrEqual(3);
    expect((onset?.alarmAt ?? 0) - T0).toBeLessThanOrEqual(68 * MINUTE);
  });

  it('has the textbook run lengths: ~10 points to detect a 1σ shift, ~465 between false alarms', () => {
    const random = seededRandom(21);
    const runLength = (shift: number): number => {
      let state = null;
      for (let i = 0; i < 5000; i++) {
        const step = cusumStep(state, gaussian(random) + shift, { mean: 0, sd: 1 });
        if (step.alarm) return i + 1;
        state = step.state;
      }
      return 5000;
    };
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const detect = mean(Array.from({ length: 400 }, () => runLength(1)));
    const falseAlarm = mean(Array.from({ length: 300 }, () => runLength(0)));
    expect(detect).toBeGreaterThan(8);
    expect(detect).toBeLessThan(12.5);
    expect(falseAlarm).toBeGreaterThan(370);
    expect(falseAlarm).toBeLessThan(580);
  });

  it('estimates the in-control level robustly from the first points when no reference is given', () => {
    const onset = detectOnsetCusum(series(120, 60, 10, 5), { referencePoints: 40 });
    expect(onset?.direction).toBe('higher');
    expect(Math.abs((onset?.index ?? 0) - 60)).toBeLessThanOrEqual(3);
  });

  it('detects downward shifts too, and stays quiet on values inside the reference band', () => {
    expect(detectOnsetCusum(series(120, 50, -10, 3), { referencePoints: 40 })?.direction).toBe('lower');
    const calm: SeriesPoint[] = Array.from({ length: 500 }, (_, i) => [T0 + i * MINUTE, 100 + (i % 2 ? 2 : -2)]);
    expect(detectOnsetCusum(calm, { reference: { mean: 100, sd: 5 } })).toBeNull();
  });

  it('is by value, skips missing points, and accumulates z − k', () => {
    const options = { mean: 0, sd: 1 };
    const a = cusumStep(null, 2, options);
    expect(a.state.upper).toBeCloseTo(1.5, 12);
    const b = cusumStep(a.state, null, options);
    expect(b.state.upper).toBe(1.5);
    expect(b.state.index).toBe(2);
    expect(a.state.index).toBe(1);
    let state = b.state;
    let alarm = null;
    for (let i = 0; i < 3 && !alarm; i++) ({ state, alarm } = cusumStep(state, 2, options));
    expect(alarm).toMatchObject({ direction: 'higher', onsetIndex: 0 });
  });
});

describe('binary segmentation (offline)', () => {
  it('finds one step change at its index and none in pure noise', () => {
    const changes = detectChangePoints(series(120, 60, 10, 4));
    expect(changes).toHaveLength(1);
    expect(Math.abs(changes[0].index - 60)).toBeLessThanOrEqual(1);
    expect(changes[0].meanAfter - changes[0].meanBefore).toBeGreaterThan(7);
    expect(detectChangePoints(series(200, 500, 0, 9))).toEqual([]);
    expect(detectOnsetOffline(series(120, 60, 10, 4))?.method).toBe('binary-segmentation');
  });

  it('finds two changes', () => {
    const s = series(150, 50, 10, 6).map(([t, v], i) => [t, (v as number) + (i >= 100 ? -20 : 0)] as const);
    const changes = detectChangePoints(s);
    expect(changes.map((c) => c.index).length).toBe(2);
    expect(Math.abs(changes[0].index - 50)).toBeLessThanOrEqual(2);
    expect(Math.abs(changes[1].index - 100)).toBeLessThanOrEqual(2);
  });
});

describe('rankSuspects', () => {
  const change = (id: string, minutes: number, label: string): FlagChange => ({
    id,
    connectionId: 'c',
    flagKey: id,
    env: 'production',
    at: T0 + minutes * MINUTE,
    kind: 'exposure',
    from: { exposure: 5 },
    to: { exposure: 25 },
    label,
    source: 'vendor',
  });

  it('ranks a close change that moved the metric above a closer one that did not, and drops far ones', () => {
    const s = series(120, 60, 15, 8);
    const ranked = rankSuspects(
      { at: T0 + 61 * MINUTE },
      [
        change('far', -200, 'rollout 1% → 5%'),
        change('quiet', 40, 'rollout 5% → 25%'),
        change('culprit', 60, 'rollout 5% → 25%'),
        change('late', 63, 'off → on'),
      ],
      s,
    );
    expect(ranked.map((r) => r.change.id)).toEqual(['culprit', 'late', 'quiet']);
    expect(ranked[0].shiftSigma).toBeGreaterThan(2);
    expect(ranked[0].reason).toMatch(
      /^culprit rollout 5% → 25%, 1 min before the onset; metric \+\d+\.\d% \(\+\d+\.\dσ\) across it$/,
    );
    expect(ranked.find((r) => r.change.id === 'quiet')?.shiftSigma ?? 99).toBeLessThan(1.5);
  });

  it('still ranks by distance when there is no data around a change', () => {
    const ranked = rankSuspects(T0, [change('b', -10, 'x'), change('a', -1, 'y')], []);
    expect(ranked.map((r) => r.change.id)).toEqual(['a', 'b']);
    expect(ranked[0].reason).toMatch(/no data around it/);
  });
});

describe('change points with missing values', () => {
  it('reports indices into the original series, skipping nulls', () => {
    const s = series(120, 60, 10, 4).map((p, i) => (i % 7 === 3 ? ([p[0], null] as const) : p));
    const changes = detectChangePoints(s);
    expect(changes).toHaveLength(1);
    expect(Math.abs(changes[0].index - 60)).toBeLessThanOrEqual(2);
    expect(changes[0].at).toBe(s[changes[0].index][0]);
  });
});
