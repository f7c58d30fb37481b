import type { AuditEntry } from '../../../shared/domain/audit';
import { formatPercent, type FlagChange } from '../../../shared/domain/flags';
import type { FlagRow } from '../../../shared/contract/requests';

export const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '—');

/** A plain aligned table: what a person reads in a terminal. --json gives the machine form. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function flagRows(rows: FlagRow[]): string {
  return table(
    ['FLAG', 'ENV', 'STATE', 'EXPOSURE', 'CONNECTION', 'LAST CHANGE'],
    rows.map((r) => [
      r.flagKey,
      r.env,
      r.enabled ? 'on' : 'off',
      formatPercent(r.exposure),
      r.connectionName + (r.stale ? ` (stale ${Math.round(r.stale.ageMs / 1000)}s)` : ''),
      r.lastChange ? `${r.lastChange.label} at ${iso(r.lastChange.at)}` : '—',
    ]),
  );
}

export function changeRows(changes: FlagChange[]): string {
  return table(
    ['WHEN', 'ENV', 'CHANGE', 'WHO', 'SOURCE', 'COMMENT'],
    changes.map((c) => [iso(c.at), c.env, c.label, c.actor ?? '—', c.source, c.comment ?? '']),
  );
}

export function auditRows(entries: AuditEntry[]): string {
  const state = (s: AuditEntry['from']) => (s.enabled === false ? 'off' : formatPercent(s.exposure));
  return table(
    ['WHEN', 'WHO', 'FLAG', 'ENV', 'ACTION', 'FROM → TO', 'RESULT', 'COMMENT'],
    entries.map((e) => [iso(e.at), e.user, e.flagKey, e.env, e.action, `${state(e.from)} → ${state(e.to)}`, e.result + (e.error ? `: ${e.error}` : ''), e.comment]),
  );
}
