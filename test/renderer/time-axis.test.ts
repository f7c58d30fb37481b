import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  MINUTE,
  chooseTickInterval,
  formatAgo,
  formatDuration,
  formatTick,
  localizeTimes,
  setDisplayZone,
  timeTicks,
} from '../../renderer/src/lib/time';

describe('time axis', () => {
  it('chooses the smallest nice interval that keeps ticks at least 90 px apart', () => {
    expect(chooseTickInterval(24 * HOUR, 900)).toBe(3 * HOUR); // 10 ticks max → 3 h gives 8
    expect(chooseTickInterval(HOUR, 900)).toBe(10 * MINUTE);
    expect(chooseTickInterval(7 * DAY, 900)).toBe(DAY);
    expect(chooseTickInterval(24 * HOUR, 100)).toBe(DAY);
  });

  it('aligns ticks to local clock boundaries and keeps them inside the range', () => {
    const from = new Date(2025, 2, 14, 9, 7, 13).getTime();
    const to = from + 24 * HOUR;
    const { ticks, interval } = timeTicks(from, to, 900);
    expect(interval).toBe(3 * HOUR);
    expect(ticks.length).toBeGreaterThanOrEqual(7);
    for (const t of ticks) {
      const d = new Date(t);
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThanOrEqual(to);
      expect(d.getMinutes()).toBe(0);
      expect(d.getSeconds()).toBe(0);
      expect(d.getHours() % 3).toBe(0);
    }
    expect(new Date(ticks[0]).getHours()).toBe(12); // the first 3-hour boundary after 09:07
  });

  it('puts day ticks on local midnights', () => {
    const from = new Date(2025, 2, 10, 15, 0).getTime();
    const { ticks } = timeTicks(from, from + 7 * DAY, 700);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    for (const t of ticks) expect(new Date(t).getHours()).toBe(0);
  });

  it('returns no ticks for an empty range', () => {
    expect(timeTicks(10, 10, 500).ticks).toEqual([]);
  });

  it('labels clock times, day starts and dates', () => {
    expect(formatTick(new Date(2025, 2, 14, 14, 0).getTime(), HOUR)).toBe('14:00');
    expect(formatTick(new Date(2025, 2, 14, 0, 0).getTime(), HOUR)).toBe('Fri 14');
    expect(formatTick(new Date(2025, 2, 14, 0, 0).getTime(), DAY)).toBe('Mar 14');
    expect(formatTick(new Date(2025, 2, 14, 14, 0, 30).getTime(), 10_000)).toBe('14:00:30');
  });

  it('formats durations and ages for humans', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(3 * MINUTE + 5_000)).toBe('3 min');
    expect(formatDuration(2 * HOUR + 5 * MINUTE)).toBe('2 h 5 min');
    expect(formatDuration(2 * HOUR)).toBe('2 h');
    expect(formatDuration(3 * DAY + 4 * HOUR)).toBe('3 d 4 h');
    expect(formatAgo(1_000, 1_000 + 12 * MINUTE)).toBe('12 min ago');
    expect(formatAgo(5_000, 4_000)).toBe('just now');
  });
});

describe('times the core writes into its sentences', () => {
  it('are shown in the display zone, a span end included, and named once', () => {
    setDisplayZone('utc');
    expect(localizeTimes('pre-rollout: 2026-11-21 03:01Z – 04:59Z (off → on at 2026-11-21 05:00Z)')).toBe(
      'pre-rollout: 2026-11-21 03:01 UTC – 04:59 (off → on at 2026-11-21 05:00 UTC)',
    );
    setDisplayZone('local');
    const shown = localizeTimes('opens at 2026-11-22 01:00Z');
    const t = Date.parse('2026-11-22T01:00:00Z');
    const d = new Date(t);
    const hh = String(d.getHours()).padStart(2, '0');
    expect(shown).toContain(`${hh}:00 UTC`);
    expect(shown).not.toMatch(/\dZ/);
    setDisplayZone('utc');
  });

  it('rewrites a bare time with no date before it too, and names its zone (tester 2, F7)', () => {
    setDisplayZone('utc');
    const now = Date.parse('2026-12-02T02:50:00Z');
    expect(localizeTimes('since rollout 0% → 1% at 02:37Z', now)).toBe('since rollout 0% → 1% at 02:37 UTC');
    setDisplayZone('local');
    const shown = localizeTimes('since rollout 0% → 1% at 23:59Z', now); // yesterday's 23:59, the nearest one
    const d = new Date(Date.parse('2026-12-01T23:59:00Z'));
    expect(shown).toContain(`${String(d.getHours()).padStart(2, '0')}:59 UTC`);
    expect(shown).not.toMatch(/\dZ/);
    setDisplayZone('utc');
  });
});
