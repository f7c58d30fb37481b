import { describe, expect, it } from 'vitest';
import { onsetAndSuspects } from '../../main/core/verdict-extras';
import type { SeriesPoint } from '../../shared/stats';

const STEP = 60_000;
const T0 = Date.UTC(2026, 10, 22, 6, 0);
/** 120 one-minute points: level 100 for the first hour (the reference), then `after`, with small deterministic noise. */
function series(after: number): SeriesPoint[] {
  return Array.from(
    { length: 120 },
    (_, i) => [T0 + i * STEP, (i < 60 ? 100 : after) + ((i * 7919) % 5) - 2] as SeriesPoint,
  );
}

describe('the live onset marker', () => {
  const base = { changes: [], stepMs: STEP, allowedIncrease: 1.1 };

  it('marks a rise the same stretch a day earlier did not make', () => {
    const r = onsetAndSuspects({
      ...base,
      series: { metric: 'p99', points: series(115), referenceTo: T0 + 60 * STEP, seasonal: series(100) },
    });
    expect(r.onset).not.toBeNull();
    expect(r.onset!.at).toBeGreaterThanOrEqual(T0 + 60 * STEP);
  });

  it('marks no onset for a time-of-day rise the day before also had', () => {
    const r = onsetAndSuspects({
      ...base,
      series: { metric: 'p99', points: series(108), referenceTo: T0 + 60 * STEP, seasonal: series(107) },
    });
    expect(r.onset).toBeNull();
  });

  it('without a seasonal reference, judges the raw shift', () => {
    const r = onsetAndSuspects({
      ...base,
      series: { metric: 'p99', points: series(108), referenceTo: T0 + 60 * STEP, seasonal: null },
    });
    expect(r.onset).not.toBeNull();
  });
});
