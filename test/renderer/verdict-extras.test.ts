import { describe, expect, it } from 'vitest';
import type { VerdictExtras } from '../../shared/domain/verdict';
import {
  bakeWords,
  distanceFromOnset,
  formatShare,
  formatShift,
  guardWords,
  onsetLabel,
  pEquals,
  sequentialFor,
  srmWords,
} from '../../renderer/src/lib/extras';

const extras: VerdictExtras = {
  sequential: [{ metric: 'p99', ci: [22.9, 42.5], pValue: 3e-21, fails: true }],
  guard: {
    act: false,
    reason: 'no sustained or always-valid evidence of a regression',
    consecutiveFixedFails: 2,
    sustain: 3,
  },
  onset: { at: 1_000_000, metric: 'p99', method: 'CUSUM', shift: 0.18 },
  suspects: [],
  bakeTime: { text: 'p99 10%: ≥ 12 min more', minutesMore: 12 },
  srm: {
    status: 'alert',
    pValue: 1e-8,
    observed: { on: 42_235, off: 122_676 },
    expectedShare: { on: 0.25, off: 0.75 },
    message: 'sample ratio mismatch',
  },
};

describe('verdict extras in words', () => {
  it('labels the onset with its metric and signed shift', () => {
    expect(onsetLabel({ metric: 'p99', shift: 0.18 })).toBe('onset: p99 +18%');
    expect(onsetLabel({ metric: 'p99', shift: 0.054 })).toBe('onset: p99 +5.4%');
    expect(onsetLabel({ metric: 'p50', shift: -0.032 })).toBe('onset: p50 −3.2%');
    expect(onsetLabel({ metric: 'p99', shift: null })).toBe('onset: p99');
    expect(formatShift(0.0001)).toBe('±0%');
  });

  it('says what the guard WILL do: an alert without a plan, the plan acting with one — never an auto-rollback nothing makes', () => {
    const w = guardWords(extras.guard);
    expect(w.act).toBe(false);
    expect(w.headline).toBe('quiet — no alert');
    expect(w.streak).toBe('fixed-horizon fail on 2 of 3 new data steps needed');
    expect(guardWords({ ...extras.guard, consecutiveFixedFails: 8 }).streak).toBe(
      'fixed-horizon fail held 8 new data steps in a row (3 needed)',
    );
    const alert = guardWords({ act: true, reason: 'p99 beyond the margin', sustain: 3, sustainedSteps: 3 });
    expect(alert.headline).toBe('ALERT — the guard says roll back now');
    expect(alert.actor).toMatch(/nothing rolls back automatically/);
    expect(`${alert.headline} ${alert.actor}`).not.toMatch(/auto-rollback/i);
    expect(
      guardWords({ act: true, reason: 'x', sustain: 3, sustainedSteps: 0 }, { planRunning: true }).headline,
    ).toMatch(/the plan rolls the flag back/);
  });

  it('puts observed shares beside expected ones, with the p-value, for the SRM check', () => {
    const w = srmWords(extras.srm!);
    expect(w.status).toBe('alert');
    expect(w.headline).toMatch(/^ALERT — sample ratio mismatch/);
    expect(w.pValue).toBe('p < 0.0001');
    expect(w.rows.map((r) => [r.variant, r.count, formatShare(r.observedShare), formatShare(r.expectedShare)])).toEqual(
      [
        ['on', 42_235, '25.6%', '25.0%'],
        ['off', 122_676, '74.4%', '75.0%'],
      ],
    );
    expect(pEquals(0.0123)).toBe('p = 0.0123');
    expect(
      srmWords({ ...extras.srm!, observed: {}, status: 'nodata' }).rows.every((r) => r.observedShare === null),
    ).toBe(true);
  });

  it('reads the bake time as the core wrote it, and knows "detectable now"', () => {
    expect(bakeWords(extras.bakeTime)).toEqual({ text: 'p99 10%: ≥ 12 min more', ready: false });
    expect(bakeWords({ text: 'p99 10%: detectable now', minutesMore: 0 })?.ready).toBe(true);
    expect(bakeWords(null)).toBeNull();
  });

  it('finds a metric’s always-valid result, and places a change relative to the onset', () => {
    expect(sequentialFor(extras, 'p99')?.fails).toBe(true);
    expect(sequentialFor(extras, 'p50')).toBeNull();
    expect(sequentialFor(undefined, 'p99')).toBeNull();
    expect(distanceFromOnset(1_000_000 - 78_000, 1_000_000)).toBe('2 min before the onset'); // the judge rounds up, as in its reasons
    expect(distanceFromOnset(1_000_000 + 3 * 3_600_000, 1_000_000)).toBe('3 h after the onset');
    expect(distanceFromOnset(1_000_300, 1_000_000)).toBe('at the onset');
  });
});
