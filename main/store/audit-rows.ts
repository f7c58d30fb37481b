import type {
  AuditAction,
  AuditDoor,
  AuditEntry,
  AuditOutcome,
  AuditOwner,
  AuditResult,
} from '../../shared/domain/audit';

/**
 * The audit table's row shape and how rows become an AuditEntry. An action is a HEAD row (`intent` before a vendor
 * write, or `event`: a one-row settled action) followed by any number of OUTCOME rows (`result` by the owner, `settle`
 * by a later read-back). The entry shows the latest outcome; `trail` keeps every one of them.
 */

export interface FlagPoint {
  enabled: boolean | null;
  exposure: number | null;
}

export type Phase = 'intent' | 'result' | 'settle' | 'event';

export interface AuditRow {
  seq: number;
  action_id: string;
  phase: Phase;
  at: number;
  user: string;
  door: AuditDoor | null;
  owner_id: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  owner_started_at: number | null;
  connection_id: string;
  flag_key: string;
  env: string;
  action: AuditAction;
  from_json: string | null;
  to_json: string | null;
  comment: string;
  result: AuditResult | null;
  error: string | null;
  reason: string | null;
  detail_json: string | null;
  override: number;
}

const UNKNOWN_POINT: FlagPoint = { enabled: null, exposure: null };

export function parsePoint(json: string | null): FlagPoint {
  if (!json) return UNKNOWN_POINT;
  try {
    const p = JSON.parse(json) as Partial<FlagPoint>;
    return {
      enabled: typeof p.enabled === 'boolean' ? p.enabled : null,
      exposure: typeof p.exposure === 'number' ? p.exposure : null,
    };
  } catch {
    return UNKNOWN_POINT;
  }
}

export function parseDetail(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const d = JSON.parse(json) as unknown;
    return d && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function ownerOf(row: AuditRow): AuditOwner | null {
  if (!row.owner_id || row.owner_pid === null || row.owner_host === null || row.owner_started_at === null) return null;
  return { id: row.owner_id, pid: row.owner_pid, host: row.owner_host, startedAt: row.owner_started_at };
}

const isKnown = (p: FlagPoint) => p.enabled !== null || p.exposure !== null;

export function toEntry(head: AuditRow, outcomes: AuditRow[]): AuditEntry {
  const rows = head.phase === 'event' ? [head] : outcomes;
  const last = rows.at(-1);
  const trail: AuditOutcome[] = rows
    .filter((r) => r.result !== null)
    .map((r) => ({
      at: r.at,
      result: r.result as AuditResult,
      error: r.error,
      by: r.phase === 'settle' && r.owner_id !== head.owner_id ? 'reconcile' : 'owner',
    }));
  let detail: Record<string, unknown> | null = parseDetail(head.detail_json);
  for (const o of outcomes) {
    const d = parseDetail(o.detail_json);
    if (d) detail = { ...(detail ?? {}), ...d };
  }
  const headFrom = parsePoint(head.from_json);
  // A rollback sends its write without waiting on a slow pre-read; the state it replaced may arrive with the result.
  const laterFrom = outcomes.map((o) => parsePoint(o.from_json)).find(isKnown);
  return {
    actionId: head.action_id,
    at: head.at,
    user: head.user,
    door: head.door,
    owner: ownerOf(head),
    connectionId: head.connection_id,
    flagKey: head.flag_key,
    env: head.env,
    action: head.action,
    from: isKnown(headFrom) || !laterFrom ? headFrom : laterFrom,
    to: parsePoint(head.to_json),
    comment: head.comment,
    result: last?.result ?? 'pending',
    error: last?.error ?? null,
    reason: last?.reason ?? head.reason ?? null,
    detail,
    finishedAt: last?.at ?? null,
    override: head.override === 1,
    trail,
  };
}
