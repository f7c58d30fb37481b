/**
 * The audit as a file (issue 11 decision records): CSV for a spreadsheet, JSON for a script — every column the view
 * shows, including the door (UI, CLI, plan…) and the user, the refusal reason and the outcome trail. Times are ISO
 * 8601 UTC in the files, whatever the display zone: a file outlives the screen it came from.
 */
import type { AuditEntry } from '../../../shared/domain/audit';

const COLUMNS = [
  'at',
  'user',
  'door',
  'connectionId',
  'flagKey',
  'env',
  'action',
  'from',
  'to',
  'override',
  'comment',
  'result',
  'reason',
  'error',
  'finishedAt',
  'actionId',
] as const;

const state = (s: AuditEntry['from']): string =>
  s.enabled === false ? 'off' : s.exposure !== null ? `${s.exposure}%` : s.enabled === true ? 'on' : '';
const iso = (t: number | null): string => (t === null ? '' : new Date(t).toISOString());

/** RFC 4180: quote a field with a comma, quote or line break; double the quotes. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) =>
    [
      iso(e.at),
      e.user,
      e.door ?? '',
      e.connectionId,
      e.flagKey,
      e.env,
      e.action,
      state(e.from),
      state(e.to),
      String(e.override),
      e.comment,
      e.result,
      e.reason ?? '',
      e.error ?? '',
      iso(e.finishedAt),
      e.actionId,
    ]
      .map(csvField)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

export function auditJson(entries: readonly AuditEntry[]): string {
  return JSON.stringify(entries, null, 2);
}
