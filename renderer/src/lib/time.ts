/**
 * Time-axis arithmetic and formatting for every view, in ONE display zone (issue 11): the user's local time or UTC,
 * switched in the top bar and named wherever times are shown (zoneLabel). Pure apart from that one setting, which the
 * UI store owns (setDisplayZone); every formatter and the tick alignment read it, so no view can mix zones.
 */

export type DisplayZone = 'local' | 'utc';
let displayZone: DisplayZone = 'local';

/** Set by the UI store only; the views re-render (remount) when it changes. */
export function setDisplayZone(zone: DisplayZone): void {
  displayZone = zone;
}
export function getDisplayZone(): DisplayZone {
  return displayZone;
}

interface Parts {
  year: number;
  month: number; // 0-11
  day: number;
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
}

function parts(t: number, zone: DisplayZone = displayZone): Parts {
  const d = new Date(t);
  return zone === 'utc'
    ? {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth(),
        day: d.getUTCDate(),
        weekday: d.getUTCDay(),
        hours: d.getUTCHours(),
        minutes: d.getUTCMinutes(),
        seconds: d.getUTCSeconds(),
      }
    : {
        year: d.getFullYear(),
        month: d.getMonth(),
        day: d.getDate(),
        weekday: d.getDay(),
        hours: d.getHours(),
        minutes: d.getMinutes(),
        seconds: d.getSeconds(),
      };
}

/** "UTC+01:00" for a UTC offset in minutes. */
export function offsetLabel(minutes: number): string {
  const m = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The display zone's name, as labels show it: "UTC", or "local (UTC+01:00)" at time `at`. */
export function zoneLabel(zone: DisplayZone = displayZone, at = Date.now()): string {
  return zone === 'utc' ? 'UTC' : `local (${offsetLabel(-new Date(at).getTimezoneOffset())})`;
}

/** Short zone name for axis corners and compact spots: "UTC" or "UTC+01:00". */
export function zoneShort(zone: DisplayZone = displayZone, at = Date.now()): string {
  return zone === 'utc' ? 'UTC' : offsetLabel(-new Date(at).getTimezoneOffset());
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Tick spacings a human reads easily, smallest first. */
const NICE_INTERVALS = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
] as const;

/** The smallest nice interval that keeps ticks at least `minPxPerTick` apart on a plot `widthPx` wide. */
export function chooseTickInterval(spanMs: number, widthPx: number, minPxPerTick = 90): number {
  const maxTicks = Math.max(1, Math.floor(widthPx / minPxPerTick));
  for (const interval of NICE_INTERVALS) {
    if (spanMs / interval <= maxTicks) return interval;
  }
  return NICE_INTERVALS[NICE_INTERVALS.length - 1];
}

/** Midnight of `t`'s day in the display zone. */
function midnight(t: number): number {
  if (displayZone === 'utc') return Math.floor(t / DAY) * DAY;
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The midnight `days` days after the midnight `m` (local days may be 23 or 25 h long). */
function addDays(m: number, days: number): number {
  if (displayZone === 'utc') return m + days * DAY;
  const d = new Date(m);
  d.setDate(d.getDate() + days);
  return d.getTime();
}

/**
 * Tick positions within [from, to], aligned to the display zone's clock boundaries (whole hours, midnight) so
 * the labels read "14:00", not "14:07".
 */
export function timeTicks(from: number, to: number, widthPx: number): { ticks: number[]; interval: number } {
  if (!(to > from) || widthPx <= 0) return { ticks: [], interval: HOUR };
  const interval = chooseTickInterval(to - from, widthPx);
  const ticks: number[] = [];
  if (interval >= DAY) {
    // Walk midnights so DST days (23 h / 25 h) stay aligned.
    const days = Math.round(interval / DAY);
    let m = midnight(from);
    if (m < from) m = addDays(m, 1);
    while (m <= to) {
      ticks.push(m);
      m = addDays(m, days);
    }
    return { ticks, interval };
  }
  // Align to the midnight of `from`, then step; the offset keeps "every 3 h" on 00, 03, 06…
  const anchor = midnight(from);
  let t = anchor + Math.ceil((from - anchor) / interval) * interval;
  while (t <= to) {
    ticks.push(t);
    t += interval;
  }
  return { ticks, interval };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Label for one tick: the clock for sub-day spacing, the day where a day begins, the date for day spacing. */
export function formatTick(t: number, interval: number): string {
  const d = parts(t);
  if (interval >= DAY) return `${MONTHS[d.month]} ${d.day}`;
  const isMidnight = d.hours === 0 && d.minutes === 0 && d.seconds === 0;
  if (isMidnight) return `${WEEKDAYS[d.weekday]} ${d.day}`;
  const clock = `${pad2(d.hours)}:${pad2(d.minutes)}`;
  return interval < MINUTE ? `${clock}:${pad2(d.seconds)}` : clock;
}

/** "2025-03-14 14:02:07" in the display zone: tooltips, tables, dialogs (the zone is named once per view). */
export function formatDateTime(t: number): string {
  const d = parts(t);
  return `${d.year}-${pad2(d.month + 1)}-${pad2(d.day)} ${formatClock(t)}`;
}

/** "2025-03-14 14:02:07 UTC" / "… UTC+01:00": a time that names its zone, for exports and single facts. */
export function formatDateTimeZone(t: number): string {
  return `${formatDateTime(t)} ${zoneShort(displayZone, t)}`;
}

/** "14:02:07" in the display zone. */
export function formatClock(t: number): string {
  const d = parts(t);
  return `${pad2(d.hours)}:${pad2(d.minutes)}:${pad2(d.seconds)}`;
}

/** "14:02" in the display zone. */
export function formatHourMinute(t: number): string {
  const d = parts(t);
  return `${pad2(d.hours)}:${pad2(d.minutes)}`;
}

/** A window "14:02 → 18:02 (4 h)", with the date once when both ends share it. */
export function formatWindow(from: number, to: number): string {
  const a = formatDateTime(from);
  const b = formatDateTime(to);
  const end = a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b;
  return `${a} → ${end}`;
}

/** A human duration: "45 s", "3 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.round(ms));
  if (abs < MINUTE) return `${Math.round(abs / SECOND)} s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)} min`;
  if (abs < DAY) {
    const h = Math.floor(abs / HOUR);
    const m = Math.floor((abs % HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** "3 min ago" — for stale rows and last-change columns. */
export function formatAgo(at: number, now: number): string {
  const delta = now - at;
  if (delta < 0) return 'just now';
  if (delta < 5 * SECOND) return 'just now';
  return `${formatDuration(delta)} ago`;
}

/**
 * The core writes times into its sentences (window labels, reasons) in UTC — "2026-11-22 01:00Z", and a span's end as
 * "– 02:59Z". Shown in a view, they are rewritten into the display zone so no screen mixes two zones.
 */
export function localizeTimes(text: string, now = Date.now()): string {
  let lastDay: string | null = null;
  return text.replace(
    /(\d{4}-\d{2}-\d{2} )?(\d{2}):(\d{2})Z/g,
    (m, day: string | undefined, hh: string, mm: string) => {
      const date = day ? day.trim() : lastDay;
      if (day) lastDay = date;
      // A bare "02:37Z" with no date before it (tester 2, F7: "since rollout 0% → 1% at 02:37Z"): the nearest one.
      let t = date ? Date.parse(`${date}T${hh}:${mm}:00Z`) : Math.floor(now / DAY) * DAY + (+hh * 60 + +mm) * MINUTE;
      if (Number.isNaN(t)) return m;
      if (!date) t += Math.round((now - t) / DAY) * DAY;
      const shown = formatDateTime(t).slice(0, 16);
      return day
        ? `${shown} ${zoneShort(displayZone, t)}`
        : date
          ? shown.slice(11)
          : `${shown.slice(11)} ${zoneShort(displayZone, t)}`;
    },
  );
}
