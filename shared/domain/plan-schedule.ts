import { z } from 'zod';

/**
 * Change windows and freeze dates of a plan (issue 12): "advance only Mon–Thu 09:00–17:00 in Europe/Berlin; not
 * on 2025-12-24". Local times come from Intl in the named IANA zone — no time-zone library, and daylight-saving
 * jumps are the platform's. Pure: the core computes it, the views only show what it says.
 */
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export const ChangeWindow = z
  .object({
    /** Days the window opens on, 0 = Sunday … 6 = Saturday (local to `timeZone`). */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: z.string().regex(HHMM, 'a time HH:MM'),
    /** End, exclusive; earlier than start means the window runs past midnight. 24:00 is the end of the day. */
    end: z.string().regex(HHMM, 'a time HH:MM'),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
  })
  .strict()
  .refine((w) => w.start !== w.end, 'a window must not start and end at the same time');
export type ChangeWindow = z.infer<typeof ChangeWindow>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A day that exists: Date.parse takes 2025-02-30 as 2 March, so the date must survive a round trip. */
function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}
export const FreezeDate = z.string().refine((s) => {
  const [a, b, ...rest] = s.split('..');
  return rest.length === 0 && isCalendarDate(a) && (b === undefined || (isCalendarDate(b) && b >= a));
}, 'a date YYYY-MM-DD that exists, or a range YYYY-MM-DD..YYYY-MM-DD');

export interface LocalTime {
  day: number;
  minute: number;
  date: string;
}

/** Weekday, minute of the day and date at `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return {
    day: DAY_NAMES.indexOf(parts.weekday as (typeof DAY_NAMES)[number]),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function windowOpenAt(w: ChangeWindow, at: number): boolean {
  const t = localTime(at, w.timeZone);
  const start = minutes(w.start);
  const end = minutes(w.end);
  if (start < end) return w.days.includes(t.day) && t.minute >= start && t.minute < end;
  // Past midnight: open from start on a listed day, and until end on the following day.
  return (w.days.includes(t.day) && t.minute >= start) || (w.days.includes((t.day + 6) % 7) && t.minute < end);
}

export function frozenOn(freezeDates: readonly string[], at: number, timeZone: string): string | null {
  if (freezeDates.length === 0) return null;
  const { date } = localTime(at, timeZone);
  return (
    freezeDates.find((f) => {
      const [a, b = a] = f.split('..');
      return date >= a && date <= b;
    }) ?? null
  );
}

export interface ScheduleRules {
  windows: readonly ChangeWindow[];
  freezeDates: readonly string[];
  timeZone: string;
}

/** Whether a plan may advance at `at`, and why not. */
export function scheduleAllows(r: ScheduleRules, at: number): { open: boolean; reason: string } {
  const frozen = frozenOn(r.freezeDates, at, r.timeZone);
  if (frozen) return { open: false, reason: `freeze ${frozen} (${r.timeZone})` };
  if (r.windows.length === 0) return { open: true, reason: 'no change window: any time' };
  const w = r.windows.find((x) => windowOpenAt(x, at));
  if (w) return { open: true, reason: `inside ${formatWindow(w)}` };
  return { open: false, reason: `outside ${r.windows.map(formatWindow).join(' or ')}` };
}

/** The first minute at or after `at` when the schedule allows advancing, within `horizonMs` (default 15 days). */
export function nextOpening(r: ScheduleRules, at: number, horizonMs = 15 * 86_400_000): number | null {
  if (scheduleAllows(r, at).open) return at;
  const MIN = 60_000;
  let t = Math.ceil(at / MIN) * MIN;
  // The schedule can only open where a window starts or a local day begins (a freeze ends): jump from one such
  // boundary to the next in each zone instead of scanning every minute.
  const marks = [
    ...r.windows.map((w) => ({ timeZone: w.timeZone, minute: minutes(w.start) })),
    { timeZone: r.timeZone, minute: 0 },
  ];
  for (const end = at + horizonMs; t <= end;) {
    if (scheduleAllows(r, t).open) return t;
    const ahead = Math.min(...marks.map((m) => (m.minute - localTime(t, m.timeZone).minute + 1440) % 1440 || 1440));
    t += ahead * MIN;
  }
  return null;
}

export function formatWindow(w: ChangeWindow): string {
  const sorted = [...new Set(w.days)].sort((a, b) => a - b);
  const contiguous = sorted.length > 1 && sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  const days = contiguous
    ? `${DAY_NAMES[sorted[0]]}-${DAY_NAMES[sorted.at(-1)!]}`
    : sorted.map((d) => DAY_NAMES[d]).join(',');
  return `${days} ${w.start}-${w.end} ${w.timeZone}`;
}

/**
 * Parses the CLI's and the form's window text: "Mon-Thu 09:00-17:00 Europe/Berlin", "Mon,Wed,Fri 10:00-16:00 UTC",
 * "Fri-Mon 22:00-06:00 America/New_York". Throws an Error naming the part that is wrong.
 */
export function parseWindow(text: string): ChangeWindow {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 3)
    throw new Error(
      `window '${text}': expected "<days> <HH:MM-HH:MM> <time zone>", e.g. "Mon-Thu 09:00-17:00 Europe/Berlin"`,
    );
  const [daysText, timesText, timeZone] = parts;
  const day = (name: string): number => {
    const i = DAY_NAMES.findIndex((d) => d.toLowerCase() === name.slice(0, 3).toLowerCase());
    if (i < 0 || name.length < 3)
      throw new Error(`window '${text}': unknown day '${name}' (Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
    return i;
  };
  const days = new Set<number>();
  for (const item of daysText.split(',')) {
    const [a, b] = item.split('-');
    if (b === undefined) days.add(day(a));
    else
      for (let d = day(a), n = 0; n < 7; d = (d + 1) % 7, n++) {
        days.add(d);
        if (d === day(b)) break;
      }
  }
  const times = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(timesText);
  if (!times) throw new Error(`window '${text}': times must look like 09:00-17:00`);
  const parsed = ChangeWindow.safeParse({ days: [...days].sort(), start: times[1], end: times[2], timeZone });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`window '${text}': ${issue.path.length ? `${issue.path.join('.')} must be ` : ''}${issue.message}`);
  }
  return parsed.data;
}
