import { describe, expect, it } from 'vitest';
import { bakeTime, bakeTimeTable, formatBakeTime } from '../../shared/stats/bake-time';
import { selectInPlace, sortFloat64 } from '../../shared/stats/sort';
import { verdictWindows } from '../../shared/stats/windows';
import { seededRandom } from './helpers';

const MINUTE = 60_000;

describe('bake time (α = 0.05, power 0.8, normal approximation)', () => {
  it('needs (z.975 + z.8)² · 2σ² / (rμ)² steps per arm', () => {
    const b = bakeTime({ mean: 100, sd: 10, stepMs: MINUTE });
    const z = 1.959963984540054 + 0.8416212335729143;
    expect(b.steps).toBe(Math.ceil((z * z * 200) / 100)); // 16
    expect(b.ms).toBe(16 * MINUTE);
    expect(formatBakeTime(b)).toBe('10%: ≥ 16 min more');
  });

  it('subtracts what is already collected, and uses the canary σ when given', () => {
    const b = bakeTime({ mean: 100, sd: 10, canarySd: 30, stepMs: MINUTE, relativeChange: 0.25, stepsSoFar: 4 });
    const z = 1.959963984540054 + 0.8416212335729143;
    expect(b.steps).toBe(Math.ceil((z * z * 1000) / 625)); // 13
    expect(b.stepsMore).toBe(9);
    expect(formatBakeTime(b)).toBe('25%: ≥ 9 min more');
    expect(formatBakeTime(bakeTime({ mean: 100, sd: 1, stepMs: MINUTE, relativeChange: 0.5, stepsSoFar: 10 }))).toBe(
      '50%: detectable now',
    );
    expect(formatBakeTime(bakeTime({ mean: 0, sd: 1, stepMs: MINUTE }))).toBe('10%: not detectable with these data');
    expect(bakeTimeTable({ mean: 100, sd: 10, stepMs: MINUTE }).map((x) => x.relativeChange)).toEqual([0.1, 0.25, 0.5]);
  });
});

describe('verdict windows', () => {
  const changeAt = Date.UTC(2025, 0, 6, 14, 0, 0);
  const now = changeAt + 31 * MINUTE;

  it('pre: canary [change + 1 step, now], baseline of the same length ending 1 step before the change', () => {
    const w = verdictWindows({ changeAt, now, stepMs: MINUTE, kind: 'pre' });
    expect(w.canary).toMatchObject({ from: changeAt + MINUTE, to: now });
    expect(w.baseline).toMatchObject({ kind: 'pre', from: changeAt - 31 * MINUTE, to: changeAt - MINUTE });
    expect(w.baseline.label).toBe('pre-rollout: 30 min ending 1 min before the change');
    expect(w.ready).toBe(true);
  });

  it('seasonal: the canary window a week (or a day) earlier; control: the same window', () => {
    const week = verdictWindows({ changeAt, now, stepMs: MINUTE, kind: 'seasonal' });
    expect(week.baseline).toMatchObject({
      from: changeAt + MINUTE - 7 * 24 * 60 * MINUTE,
      to: now - 7 * 24 * 60 * MINUTE,
      label: 'same window one week earlier',
    });
    const day = verdictWindows({ changeAt, now, stepMs: MINUTE, kind: 'seasonal', seasonalPeriod: 'day' });
    expect(day.baseline.to).toBe(now - 24 * 60 * MINUTE);
    const control = verdictWindows({ changeAt, now, stepMs: MINUTE, kind: 'control' });
    expect(control.baseline).toMatchObject({ from: control.canary.from, to: control.canary.to, kind: 'control' });
  });

  it('is not ready during the warm-up', () => {
    const w = verdictWindows({ changeAt, now: changeAt + 30_000, stepMs: MINUTE, kind: 'pre' });
    expect(w.ready).toBe(false);
    expect(w.canary.to).toBe(w.canary.from);
    expect(w.reason).toMatch(/warm-up/);
  });
});

describe('radix sort and Floyd–Rivest selection', () => {
  it('sort numerically like the built-in sort, with negatives, −0, ±Infinity and near-equal values', () => {
    const random = seededRandom(99);
    for (let trial = 0; trial < 100; trial++) {
      const n = Math.floor(random() * 3000);
      const a = Float64Array.from({ length: n }, () => {
        const r = random();
        if (r < 0.2) return Math.floor(random() * 5) - 2;
        if (r < 0.4) return 1 + random() * 1e-13; // agree in the top 48 bits: the insertion pass orders them
        if (r < 0.42) return random() < 0.5 ? Infinity : -Infinity;
        return (random() - 0.5) * Math.exp(random() * 80 - 40);
      });
      const reference = a.slice().sort();
      const mine = sortFloat64(a.slice());
      expect(Array.from(mine)).toEqual(Array.from(reference));
      if (n > 0) {
        const k = Math.floor(random() * n);
        expect(selectInPlace(a.slice(), k)).toBe(reference[k]);
      }
    }
  });
});
