import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../shared/domain/audit';
import type { Db } from './database';

export interface AuditIntent {
  user: string;
  connectionId: string;
  flagKey: string;
  env: string;
  action: AuditEntry['action'];
  from: AuditEntry['from'];
  to: AuditEntry['to'];
  comment: string;
  override: boolean;
}

type FinalResult = 'done' | 'failed' | 'reconciled-done' | 'reconciled-failed';

interface Row {
  seq: number;
  action_id: string;
  phase: 'intent' | 'result';
  at: number;
  user: string;
  connection_id: string;
  flag_key: string;
  env: string;
  action: AuditEntry['action'];
  from_json: string | null;
  to_json: string | null;
  comment: string;
  result: FinalResult | null;
  error: string | null;
  override: number;
}

/**
 * The append-only audit log. Each action is two rows — intent before the vendor call, result after — so a crash
 * between them leaves a visible pending intent that start-up reconciles by reading the flag back. The table's
 * triggers reject UPDATE and DELETE; this module only ever inserts.
 */
export function createAuditLog(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(`INSERT INTO audit_log
    (action_id, phase, at, user, connection_id, flag_key, env, action, from_json, to_json, comment, result, error, override)
    VALUES (@action_id, @phase, @at, @user, @connection_id, @flag_key, @env, @action, @from_json, @to_json, @comment, @result, @error, @override)`);
  const byAction = db.prepare('SELECT * FROM audit_log WHERE action_id = ? ORDER BY seq');
  const pendingQuery = db.prepare(`SELECT i.* FROM audit_log i
    WHERE i.phase = 'intent' AND NOT EXISTS (SELECT 1 FROM audit_log r WHERE r.action_id = i.action_id AND r.phase = 'result')
    ORDER BY i.seq`);

  function toEntry(intent: Row, result: Row | undefined): AuditEntry {
    return {
      actionId: intent.action_id,
      at: intent.at,
      user: intent.user,
      connectionId: intent.connection_id,
      flagKey: intent.flag_key,
      env: intent.env,
      action: intent.action,
      from: JSON.parse(intent.from_json ?? '{"enabled":null,"exposure":null}'),
      to: JSON.parse(intent.to_json ?? '{"enabled":null,"exposure":null}'),
      comment: intent.comment,
      result: result?.result ?? 'pending',
      error: result?.error ?? null,
      finishedAt: result?.at ?? null,
      override: intent.override === 1,
    };
  }

  return {
    /** Writes the intent row (durably, synchronous=FULL) and returns its action id. */
    intent(i: AuditIntent): AuditEntry {
      const row = {
        action_id: randomUUID(),
        phase: 'intent',
        at: now(),
        user: i.user,
        connection_id: i.connectionId,
        flag_key: i.flagKey,
        env: i.env,
        action: i.action,
        from_json: JSON.stringify(i.from),
        to_json: JSON.stringify(i.to),
        comment: i.comment,
        result: null,
        error: null,
        override: i.override ? 1 : 0,
      };
      insert.run(row);
      return this.get(row.action_id)!;
    },
    result(actionId: string, result: FinalResult, error: string | null = null): AuditEntry {
      const intent = byAction.all(actionId)[0] as Row | undefined;
      if (!intent) throw new Error(`audit: no intent ${actionId}`);
      const { seq: _seq, ...fields } = intent;
      insert.run({ ...fields, phase: 'result', at: now(), result, error });
      return this.get(actionId)!;
    },
    get(actionId: string): AuditEntry | undefined {
      const rows = byAction.all(actionId) as Row[];
      const intent = rows.find((r) => r.phase === 'intent');
      return intent ? toEntry(intent, rows.find((r) => r.phase === 'result')) : undefined;
    },
    pending(): AuditEntry[] {
      return (pendingQuery.all() as Row[]).map((r) => toEntry(r, undefined));
    },
    list(opts: { limit: number; flagKey?: string; connectionId?: string }): AuditEntry[] {
      const where = ["i.phase = 'intent'"];
      const args: (string | number)[] = [];
      if (opts.flagKey) (where.push('i.flag_key = ?'), args.push(opts.flagKey));
      if (opts.connectionId) (where.push('i.connection_id = ?'), args.push(opts.connectionId));
      const rows = db
        .prepare(`SELECT i.*, r.at AS r_at, r.result AS r_result, r.error AS r_error FROM audit_log i
          LEFT JOIN audit_log r ON r.action_id = i.action_id AND r.phase = 'result'
          WHERE ${where.join(' AND ')} ORDER BY i.seq DESC LIMIT ?`)
        .all(...args, opts.limit) as (Row & { r_at: number | null; r_result: FinalResult | null; r_error: string | null })[];
      return rows.map((r) => toEntry(r, r.r_result ? ({ ...r, at: r.r_at!, result: r.r_result, error: r.r_error } as Row) : undefined));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
