import { describe, expect, it } from 'vitest';
import {
  ChangeWindow,
  FreezeDate,
  formatWindow,
  isTimeZone,
  localTime,
  nextOpening,
  parseWindow,
  scheduleAllows,
  windowOpenAt,
} from '../../shared/domain/plan-schedule';

const at = (iso: string) => Date.parse(iso);

describe('change windows in a named time zone', () => {
  it('parses the CLI form and prints it back', () => {
    const w = parseWindow('Mon-Thu 09:00-17:00 Europe/Berlin');
    expect(w).toEqual({ days: [1, 2, 3, 4], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' });
    expect(formatWindow(w)).toBe('Mon-Thu 09:00-17:00 Europe/Berlin');
    expect(parseWindow('mon,wed,friday 10:00-16:30 UTC').days).toEqual([1, 3, 5]);
    expect(parseWindow('Fri-Mon 22:00-06:00 America/New_York').days).toEqual([0, 1, 5, 6]);
  });

  it('refuses bad windows with a message naming the part', () => {
    expect(() => parseWindow('Mon-Thu 09:00-17:00 Mars/Olympus')).toThrow(/timeZone.*IANA time zone/);
    expect(() => parseWindow('Moon 09:00-17:00 UTC')).toThrow(/unknown day 'Moon'/);
    expect(() => parseWindow('Mon 9-17 UTC')).toThrow(/times must look like 09:00-17:00/);
    expect(() => parseWindow('Mon 09:00-17:00')).toThrow(/expected "<days> <HH:MM-HH:MM> <time zone>"/);
    expect(() => parseWindow('Mon 25:00-26:00 UTC')).toThrow(/a time HH:MM/);
    expect(ChangeWindow.safeParse({ days: [1], start: '09:00', end: '09:00', timeZone: 'UTC' }).success).toBe(false);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Nowhere')).toBe(false);
  });

  it('opens on local wall-clock time, across daylight-saving changes', () => {
    const w = parseWindow('Mon-Thu 09:00-17:00 Europe/Berlin');
    // Winter (UTC+1): 08:30 UTC is 09:30 in Berlin; summer (UTC+2): 07:30 UTC is 09:30.
    expect(windowOpenAt(w, at('2025-01-13T08:30:00Z'))).toBe(true); // Monday
    expect(windowOpenAt(w, at('2025-01-13T07:30:00Z'))).toBe(false); // 08:30 local
    expect(windowOpenAt(w, at('2025-07-14T07:30:00Z'))).toBe(true); // Monday, 09:30 CEST
    expect(windowOpenAt(w, at('2025-07-14T15:00:00Z'))).toBe(false); // 17:00 local: end is exclusive
    expect(windowOpenAt(w, at('2025-07-18T10:00:00Z'))).toBe(false); // Friday
    expect(localTime(at('2025-03-30T01:30:00Z'), 'Europe/Berlin')).toMatchObject({
      minute: 3 * 60 + 30,
      date: '2025-03-30',
    }); // after the jump
  });

  it('runs a window past midnight into the next day', () => {
    const w = parseWindow('Fri 22:00-02:00 UTC');
    expect(windowOpenAt(w, at('2025-01-17T23:00:00Z'))).toBe(true); // Friday night
    expect(windowOpenAt(w, at('2025-01-18T01:59:00Z'))).toBe(true); // Saturday early, still Friday's window
    expect(windowOpenAt(w, at('2025-01-18T02:00:00Z'))).toBe(false);
    expect(windowOpenAt(w, at('2025-01-16T23:00:00Z'))).toBe(false); // Thursday night
  });

  it('freezes whole local dates and ranges, in the policy time zone', () => {
    const rules = { windows: [], freezeDates: ['2025-12-24', '2025-12-30..2026-01-02'], timeZone: 'Pacific/Auckland' };
    // 2025-12-23T12:00Z is already Dec 24 in Auckland (UTC+13).
    expect(scheduleAllows(rules, at('2025-12-23T12:00:00Z'))).toEqual({
      open: false,
      reason: 'freeze 2025-12-24 (Pacific/Auckland)',
    });
    expect(scheduleAllows(rules, at('2025-12-22T09:00:00Z')).open).toBe(true);
    expect(scheduleAllows(rules, at('2026-01-01T00:00:00Z')).reason).toMatch(/freeze 2025-12-30..2026-01-02/);
    expect(FreezeDate.safeParse('2025-13-01').success).toBe(false);
    expect(FreezeDate.safeParse('2026-01-02..2025-12-30').success).toBe(false);
  });

  it('finds the next opening, and says why it is closed', () => {
    const rules = {
      windows: [parseWindow('Mon-Thu 09:00-17:00 Europe/Berlin')],
      freezeDates: ['2025-07-14'],
      timeZone: 'Europe/Berlin',
    };
    const friday = at('2025-07-11T16:00:00Z');
    expect(scheduleAllows(rules, friday)).toEqual({ open: false, reason: 'outside Mon-Thu 09:00-17:00 Europe/Berlin' });
    // Monday the 14th is frozen: the next opening is Tuesday 09:00 CEST = 07:00 UTC.
    expect(new Date(nextOpening(rules, friday)!).toISOString()).toBe('2025-07-15T07:00:00.000Z');
    expect(nextOpening({ windows: [], freezeDates: [], timeZone: 'UTC' }, friday)).toBe(friday);
  });
});
