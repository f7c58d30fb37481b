import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseStepMs, pointCount } from '../../../main/metrics/prometheus/step';

describe('chooseStepMs', () => {
  it('keeps the requested step when the range fits', () => {
    expect(chooseStepMs(0, 3_600_000, 15_000, 11_000)).toBe(15_000);
  });

  it('widens the step so a long range stays within 11,000 points', () => {
    const thirtyDays = 30 * 86_400_000;
    const step = chooseStepMs(0, thirtyDays, 15_000, 11_000);
    expect(step).toBe(236_000); // 30 d / 10,999 = 235.66 s → 236 s
    expect(pointCount(0, thirtyDays, step)).toBeLessThanOrEqual(11_000);
    expect(pointCount(0, thirtyDays, step - 1000)).toBeGreaterThan(11_000);
  });

  it('rounds up to whole seconds and never goes below one second', () => {
    expect(chooseStepMs(0, 60_000, 1_500, 11_000)).toBe(2_000);
    expect(chooseStepMs(0, 60_000, 1, 11_000)).toBe(1_000);
  });

  it('never gives more than maxPoints points and never a finer step than asked (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.integer({ min: 2, max: 20_000 }),
        (from, span, requested, maxPoints) => {
          const step = chooseStepMs(from, from + span, requested, maxPoints);
          expect(step).toBeGreaterThanOrEqual(requested);
          expect(step % 1000).toBe(0);
          expect(pointCount(from, from + span, step)).toBeLessThanOrEqual(maxPoints);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects a reversed range, a non-positive step and non-finite times with bad_request', () => {
    expect(() => chooseStepMs(10, 0, 1000, 100)).toThrow(/ends before it starts/);
    expect(() => chooseStepMs(0, 10, 0, 100)).toThrow(/positive/);
    expect(() => chooseStepMs(0, 10, -5, 100)).toThrow(/positive/);
    expect(() => chooseStepMs(Number.NaN, 10, 1000, 100)).toThrow(/finite/);
    expect(() => chooseStepMs(0, 10, 1000, 1)).toThrow(/maxPoints/);
    try {
      chooseStepMs(10, 0, 1000, 100);
    } catch (e) {
      expect((e as { code?: string }).code).toBe('bad_request');
    }
  });
});
