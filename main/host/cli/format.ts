import type { AuditEntry } from '../../../shared/domain/audit';
import {
  CONCURRENT_EDIT_MARK,
  concurrentEditOf,
  concurrentEditText,
  fromToText,
} from '../../../shared/domain/audit-text';
import { formatPercent, type FlagChange } from '../../../shared/domain/flags';
import type { FlagRow } from '../../../shared/contract/requests';
import { UsageError } from './args';

/**
 * One time zone for everything a command prints, and it is always named (issue 11): local time with its UTC offset
 * by default, UTC with `--utc` or RAMPART_TZ=UTC, or any IANA zone in RAMPART_TZ (e.g. Europe/Berlin). JSON output
 * keeps epoch milliseconds.
 */
export type TimeZone = 'local' | 'UTC' | { iana: string };

export function timeZoneOf(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): TimeZone {
  if (values.utc === true) return 'UTC';
  const tz = env.RAMPART_TZ?.trim();
  if (!tz || tz.toLowerCase() === 'local') return 'local';
  if (tz.toUpperCase() === 'UTC' || tz === 'Z') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UsageError(`RAMPART_TZ must be UTC, local or an IANA time zone like Europe/Berlin, got '${tz}'`);
  }
  return { iana: tz };
}

/** ISO 8601 in UTC ("2026-03-14T14:02:07Z"), for machine-ish lines that must not depend on the zone. */
export const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '—');

const pad = (n: number) => String(n).padStart(2, '0');

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** Wall-clock parts of `ms` in the zone, and the zone's offset from UTC in minutes at that moment. */
function parts(
  ms: number,
  zone: TimeZone,
): { y: number; mo: number; d: number; h: number; mi: number; s: number; offset: number } {
  const date = new Date(ms);
  if (zone === 'UTC')
    return {
      y: date.getUTCFullYear(),
      mo: date.getUTCMonth() + 1,
      d: date.getUTCDate(),
      h: date.getUTCHours(),
      mi: date.getUTCMinutes(),
      s: date.getUTCSeconds(),
      offset: 0,
    };
  if (zone === 'local')
    return {
      y: date.getFullYear(),
      mo: date.getMonth() + 1,
      d: date.getDate(),
      h: date.getHours(),
      mi: date.getMinutes(),
      s: date.getSeconds(),
      offset: -date.getTimezoneOffset(),
    };
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone.iana,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return {
    y: Number(p.year),
    mo: Number(p.month),
    d: Number(p.day),
    h: Number(p.hour),
    mi: Number(p.minute),
    s: Number(p.second),
    offset: Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000),
  };
}

/** "2026-03-14 14:02:07Z" in UTC, "2026-03-14 15:02:07+01:00" elsewhere: a time that says which zone it is in. */
export function formatTime(ms: number | null | undefined, zone: TimeZone): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const p = parts(ms, zone);
  const clock = `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
  return zone === 'UTC' ? `${clock}Z` : `${clock}${offsetText(p.offset)}`;
}

const DAY = 86_400_000;

/**
 * The core writes times into its sentences (reasons, window labels) in UTC: "2026-12-02 02:39Z", a span's end as
 * "– 02:39Z". Printed, they are rewritten into the command's zone so no line mixes two zones (tester 2, F7). A bare
 * time takes the date of the last dated one before it, else the day that puts it nearest `now`.
 */
export function localizeText(text: string, zone: TimeZone, now = Date.now()): string {
  if (zone === 'UTC') return text;
  let lastDay: string | null = null;
  return text.replace(
    /\b(\d{4}-\d{2}-\d{2} )?(\d{2}):(\d{2})Z\b/g,
    (m, day: string | undefined, hh: string, mm: string) => {
      const date = day ? day.trim() : lastDay;
      let t = date ? Date.parse(`${date}T${hh}:${mm}:00Z`) : Math.floor(now / DAY) * DAY + (+hh * 60 + +mm) * 60_000;
      if (Number.isNaN(t)) return m;
      if (!date) t += Math.round((now - t) / DAY) * DAY; // nearest occurrence of that clock time
      if (day) lastDay = date;
      const shown = formatTime(t, zone); // "2026-12-01 21:39:00-05:00"
      const minute = `${shown.slice(0, 16)}${shown.slice(19)}`;
      return day ? minute : minute.slice(11);
    },
  );
}

/** The zone's name for column headers: "UTC", "local, UTC+01:00", "Europe/Berlin". */
export function zoneLabel(zone: TimeZone, at = Date.now()): string {
  if (zone === 'UTC') return 'UTC';
  if (zone === 'local') return `local, UTC${offsetText(parts(at, zone).offset)}`;
  return zone.iana;
}

/** A plain aligned table: what a person reads in a terminal. --json gives the machine form. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function flagRows(rows: FlagRow[], zone: TimeZone): string {
  return table(
    ['FLAG', 'ENV', 'STATE', 'EXPOSURE', 'CONNECTION', `LAST CHANGE (${zoneLabel(zone)})`],
    rows.map((r) => [
      r.flagKey,
      r.env,
      r.enabled ? 'on' : 'off',
      formatPercent(r.exposure),
      r.connectionName + (r.stale ? ` (stale: ${r.stale.code}, read ${Math.round(r.stale.ageMs / 1000)}s ago)` : ''),
      r.lastChange ? `${r.lastChange.label} at ${formatTime(r.lastChange.at, zone)}` : '—',
    ]),
  );
}

export function changeRows(changes: FlagChange[], zone: TimeZone): string {
  return table(
    [`WHEN (${zoneLabel(zone)})`, 'ENV', 'CHANGE', 'WHO', 'SOURCE', 'COMMENT'],
    changes.map((c) => [formatTime(c.at, zone), c.env, c.label, c.actor ?? '—', c.source, c.comment ?? '']),
  );
}

export function auditRows(entries: AuditEntry[], zone: TimeZone): string {
  const outcome = (e: AuditEntry) =>
    [e.result, e.reason ?? e.error, concurrentEditOf(e) ? CONCURRENT_EDIT_MARK : null].filter(Boolean).join(': ');
  const rows = table(
    [
      `WHEN (${zoneLabel(zone)})`,
      'WHO',
      'DOOR',
      'CONNECTION',
      'FLAG',
      'ENV',
      'ACTION',
      'FROM → TO',
      'RESULT',
      'COMMENT',
    ],
    entries.map((e) => [
      formatTime(e.at, zone),
      e.user,
      e.door ?? '—',
      e.connectionId,
      e.flagKey,
      e.env,
      e.action,
      fromToText(e),
      outcome(e),
      e.comment,
    ]),
  );
  // The sentence behind each marker, under the table: who else edited, when, and what Rampart's write did to it.
  const edits = entries.flatMap((e) => {
    const c = concurrentEditOf(e);
    return c ? [`${e.actionId.slice(0, 8)} ${e.flagKey} in ${e.env}: ${concurrentEditText(c)}`] : [];
  });
  return edits.length ? `${rows}\n\n${edits.join('\n')}` : rows;
}
