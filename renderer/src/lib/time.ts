/**
 * Time-axis arithmetic and formatting for the charts. Pure: local-time formatting uses Date's local getters,
 * so the axis reads in the user's own time zone.
 */

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

function localMidnight(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * Tick positions within [from, to], aligned to local clock boundaries (whole hours, local midnight) so the
 * labels read "14:00", not "14:07".
 */
export function timeTicks(from: number, to: number, widthPx: number): { ticks: number[]; interval: number } {
  if (!(to > from) || widthPx <= 0) return { ticks: [], interval: HOUR };
  const interval = chooseTickInterval(to - from, widthPx);
  const ticks: number[] = [];
  if (interval >= DAY) {
    // Walk local midnights so DST days (23 h / 25 h) stay aligned.
    const days = Math.round(interval / DAY);
    const d = new Date(localMidnight(from));
    if (d.getTime() < from) d.setDate(d.getDate() + 1);
    while (d.getTime() <= to) {
      ticks.push(d.getTime());
      d.setDate(d.getDate() + days);
    }
    return { ticks, interval };
  }
  // Align to the local midnight of `from`, then step; the offset keeps "every 3 h" on 00, 03, 06…
  const anchor = localMidnight(from);
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
  const d = new Date(t);
  if (interval >= DAY) return `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  const isMidnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
  if (isMidnight) return `${WEEKDAYS[d.getDay()]} ${d.getDate()}`;
  const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return interval < MINUTE ? `${clock}:${pad2(d.getSeconds())}` : clock;
}

/** "2025-03-14 14:02:07" in local time: tooltips, tables, dialogs. */
export function formatDateTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClock(t)}`;
}

/** "14:02:07" in local time. */
export function formatClock(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
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
