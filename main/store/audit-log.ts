import { randomUUID } from 'node:crypto';
import type { AuditAction, AuditDoor, AuditEntry, AuditOwner, AuditResult } from '../../shared/domain/audit';
import type { Db } from './database';
import { shapeRedactor, type Redactor } from './audit-redact';
import { parseDetail, parsePoint, toEntry, type AuditRow, type FlagPoint, type Phase } from './audit-rows';

export type { FlagPoint } from './audit-rows';

/** What an action is about, written before anything is sent (or, for a one-row event, as it is settled). */
export interface AuditHead {
  user: string;
  door: AuditDoor;
  connectionId: string;
  flagKey: string;
  env: string;
  action: AuditAction;
  from: FlagPoint;
  to: FlagPoint;
  comment: string;
  override?: boolean;
  detail?: Record<string, unknown>;
}

export interface AuditOutcomeFields {
  reason?: string | null;
  detail?: Record<string, unknown>;
  /** The state the action replaced, when it was learnt only after the intent (a rollback's slow pre-read). */
  from?: FlagPoint;
}

/** A one-row settled action: a refusal before any write, or a plan transition that writes nothing to a store. */
export interface AuditRecord extends AuditHead, Omit<AuditOutcomeFields, 'from'> {
  result: AuditResult;
  error?: string | null;
}

/** A row of one flag's audit trail, for reconcile: what later actions saw and confirmed. */
export interface AuditTrailRow {
  seq: number;
  phase: Phase;
  at: number;
  actionId: string;
  action: AuditAction;
  from: FlagPoint;
  to: FlagPoint;
  result: AuditResult | null;
  detail: Record<string, unknown> | null;
}

export interface AuditLogOptions {
  now?: () => number;
  /** The process writing these rows (main/store/process-registry.ts). */
  owner: AuditOwner;
  redact?: Redactor;
}

const MAX_TEXT = 2_000;
const OUTCOME = "phase IN ('result', 'settle')";
const HEAD = "phase IN ('intent', 'event')";

/**
 * The append-only audit log (docs/security.md). Each write is an intent row — committed with synchronous=FULL before
 * the vendor call — then outcome rows: the owner's result, later settle rows for an `unknown` or an orphaned intent.
 * The table's triggers reject UPDATE and DELETE; this module only ever inserts, and every text it inserts is redacted.
 */
export function createAuditLog(db: Db, o: AuditLogOptions) {
  const now = o.now ?? Date.now;
  const redact = o.redact ?? shapeRedactor;
  const insert = db.prepare(`INSERT INTO audit_log
    (action_id, phase, at, user, door, owner_id, owner_pid, owner_host, owner_started_at, connection_id, flag_key, env,
     action, from_json, to_json, comment, result, error, reason, detail_json, override)
    VALUES (@action_id, @phase, @at, @user, @door, @owner_id, @owner_pid, @owner_host, @owner_started_at, @connection_id,
     @flag_key, @env, @action, @from_json, @to_json, @comment, @result, @error, @reason, @detail_json, @override)`);
  const rowsOf = db.prepare('SELECT * FROM audit_log WHERE action_id = ? ORDER BY seq');
  const latestOutcome = db.prepare(
    `SELECT result FROM audit_log WHERE action_id = ? AND ${OUTCOME} ORDER BY seq DESC LIMIT 1`,
  );
  // Unsettled: an intent with no final outcome (none yet, or only `unknown`). Settled stays settled (outcome rows
  // are only ever added), so a watermark below which every intent is settled keeps this one cheap query on a
  // table of any size: every door runs it when it opens the core.
  const unsettledQuery = db.prepare(`SELECT i.* FROM audit_log i WHERE i.phase = 'intent' AND i.seq >= ? AND NOT EXISTS
      (SELECT 1 FROM audit_log o WHERE o.action_id = i.action_id AND o.${OUTCOME} AND o.result <> 'unknown') ORDER BY i.seq`);
  const maxSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM audit_log');
  const getWatermark = db.prepare("SELECT value FROM settings WHERE key = 'audit.unsettledFromSeq'");
  const setWatermark = db.prepare(
    "INSERT INTO settings (key, value) VALUES ('audit.unsettledFromSeq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  );
  const scanUnsettled = db.transaction((): { heads: AuditRow[]; next: number; from: number } => {
    const from = Number((getWatermark.get() as { value: string } | undefined)?.value ?? 0) || 0;
    const heads = unsettledQuery.all(from) as AuditRow[];
    return { heads, from, next: heads.length ? heads[0].seq : (maxSeq.get() as { n: number }).n + 1 };
  });
  const outcomesOf = db.prepare(
    `SELECT * FROM audit_log WHERE ${OUTCOME} AND action_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  );
  const trailQuery = db.prepare(
    `SELECT * FROM audit_log WHERE connection_id = ? AND flag_key = ? AND env = ? AND at >= ? ORDER BY seq`,
  );

  const text = (s: string | null | undefined, where: 'error' | 'free'): string | null =>
    s === null || s === undefined ? null : redact(s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s, where);
  const detailJson = (d: Record<string, unknown> | undefined): string | null =>
    d && Object.keys(d).length ? redact(JSON.stringify(d), 'error') : null;
  const ownerColumns = {
    owner_id: o.owner.id,
    owner_pid: o.owner.pid,
    owner_host: o.owner.host,
    owner_started_at: o.owner.startedAt,
  };

  function headRow(h: AuditHead, phase: 'intent' | 'event', actionId: string) {
    return {
      action_id: actionId,
      phase,
      at: now(),
      user: text(h.user, 'free') ?? '',
      door: h.door,
      ...ownerColumns,
      connection_id: h.connectionId,
      flag_key: h.flagKey,
      env: h.env,
      action: h.action,
      from_json: JSON.stringify(h.from),
      to_json: JSON.stringify(h.to),
      comment: text(h.comment, 'free') ?? '',
      result: null as AuditResult | null,
      error: null as string | null,
      reason: null as string | null,
      detail_json: detailJson(h.detail),
      override: h.override ? 1 : 0,
    };
  }

  function outcomeRow(
    actionId: string,
    phase: 'result' | 'settle',
    result: AuditResult,
    error: string | null,
    more: AuditOutcomeFields,
  ) {
    const head = (rowsOf.all(actionId) as AuditRow[]).find((r) => r.phase === 'intent');
    if (!head) throw new Error(`audit: no intent ${actionId}`);
    return {
      ...head,
      ...ownerColumns,
      seq: undefined,
      phase,
      at: now(),
      from_json: more.from ? JSON.stringify(more.from) : null,
      result,
      error: text(error, 'error'),
      reason: text(more.reason, 'error'),
      detail_json: detailJson(more.detail),
    };
  }

  const settleOnce = db.transaction((row: ReturnType<typeof outcomeRow>): boolean => {
    const last = latestOutcome.get(row.action_id) as { result: AuditResult } | undefined;
    if (last && last.result !== 'unknown') return false;
    const { seq: _seq, ...values } = row;
    insert.run(values);
    return true;
  });

  const log = {
    /** Writes the intent row (durably) before the vendor call; returns the pending entry. */
    intent(h: AuditHead): AuditEntry {
      const row = headRow(h, 'intent', randomUUID());
      insert.run(row);
      return log.get(row.action_id) as AuditEntry;
    },
    /** The owner's outcome of its own write. Never constrained: a settle row written meanwhile cannot make it fail. */
    result(
      actionId: string,
      result: AuditResult,
      error: string | null = null,
      more: AuditOutcomeFields = {},
    ): AuditEntry {
      const { seq: _seq, ...values } = outcomeRow(actionId, 'result', result, error, more);
      insert.run(values);
      return log.get(actionId) as AuditEntry;
    },
    /**
     * A later read-back settles an unknown or orphaned intent. Atomic check-and-insert: if the action was settled
     * meanwhile (by its owner or another reconciling process), nothing is written and undefined is returned.
     */
    settle(
      actionId: string,
      result: AuditResult,
      error: string | null = null,
      more: AuditOutcomeFields = {},
    ): AuditEntry | undefined {
      const wrote = settleOnce.immediate(outcomeRow(actionId, 'settle', result, error, more));
      return wrote ? log.get(actionId) : undefined;
    },
    /** One settled row: a refusal before any write, or a plan transition (plan-start, plan-pause, …). */
    record(r: AuditRecord): AuditEntry {
      const row = {
        ...headRow(r, 'event', randomUUID()),
        result: r.result,
        error: text(r.error, 'error'),
        reason: text(r.reason, 'error'),
      };
      if (r.detail) row.detail_json = detailJson(r.detail);
      insert.run(row);
      return log.get(row.action_id) as AuditEntry;
    },
    get(actionId: string): AuditEntry | undefined {
      const rows = rowsOf.all(actionId) as AuditRow[];
      const head = rows.find((r) => r.phase === 'intent' || r.phase === 'event');
      return head
        ? toEntry(
            head,
            rows.filter((r) => r.phase === 'result' || r.phase === 'settle'),
          )
        : undefined;
    },
    /** Intents with no outcome yet or whose latest outcome is `unknown`: what reconcile and settle look at. */
    unsettled(): AuditEntry[] {
      const { heads, from, next } = scanUnsettled();
      if (next > from) {
        try {
          setWatermark.run(String(next));
        } catch {
          // Busy database: the next scan starts lower, which is only slower.
        }
      }
      return withOutcomes(heads);
    },
    /** Every row about one flag in one environment since `sinceAt`: the evidence a reconcile weighs. */
    trail(connectionId: string, flagKey: string, env: string, sinceAt: number): AuditTrailRow[] {
      return (trailQuery.all(connectionId, flagKey, env, sinceAt) as AuditRow[]).map((r) => ({
        seq: r.seq,
        phase: r.phase,
        at: r.at,
        actionId: r.action_id,
        action: r.action,
        from: parsePoint(r.from_json),
        to: parsePoint(r.to_json),
        result: r.result,
        detail: parseDetail(r.detail_json),
      }));
    },
    list(q: { limit: number; flagKey?: string; connectionId?: string }): AuditEntry[] {
      const where = [HEAD];
      const args: (string | number)[] = [];
      if (q.flagKey) (where.push('flag_key = ?'), args.push(q.flagKey));
      if (q.connectionId) (where.push('connection_id = ?'), args.push(q.connectionId));
      const heads = db
        .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`)
        .all(...args, q.limit) as AuditRow[];
      return withOutcomes(heads);
    },
  };

  function withOutcomes(heads: AuditRow[]): AuditEntry[] {
    if (heads.length === 0) return [];
    const byAction = new Map<string, AuditRow[]>();
    for (const r of outcomesOf.all(JSON.stringify(heads.map((h) => h.action_id))) as AuditRow[]) {
      const list = byAction.get(r.action_id) ?? [];
      list.push(r);
      byAction.set(r.action_id, list);
    }
    return heads.map((h) => toEntry(h, byAction.get(h.action_id) ?? []));
  }

  return log;
}

export type AuditLog = ReturnType<typeof createAuditLog>;
