/** Text filters of the flag list and the audit table (case-insensitive substring over the visible fields). */
import type { FlagRow } from '../../../shared/contract';
import type { AuditEntry } from '../../../shared/domain/audit';

export interface FlagSelection {
  connectionId: string;
  flagKey: string;
  env: string;
}

function matchesAny(fields: readonly string[], search: string): boolean {
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return fields.some((f) => f.toLowerCase().includes(q));
}

export function flagRowMatches(row: FlagRow, search: string): boolean {
  return matchesAny([row.flagKey, row.name, row.env, row.connectionName, row.connectionKind], search);
}

export function isSelected(row: Pick<FlagRow, 'connectionId' | 'flagKey' | 'env'>, sel: FlagSelection | null): boolean {
  return sel !== null && sel.connectionId === row.connectionId && sel.flagKey === row.flagKey && sel.env === row.env;
}

export function auditMatches(e: AuditEntry, search: string): boolean {
  return matchesAny(
    [e.flagKey, e.env, e.user, e.door ?? '', e.action, e.comment, e.result, e.reason ?? '', e.connectionId],
    search,
  );
}
