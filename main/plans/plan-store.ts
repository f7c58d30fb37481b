import {
  Plan,
  PlanEvent,
  NamedPolicy,
  isActivePlanState,
  type DecisionSnapshot,
  type PlanEventKind,
} from '../../shared/domain/plans';
import { RampartError } from '../../shared/errors';
import type { Db } from '../store/database';

/**
 * A compare-and-set lost: the plan moved (a person paused or aborted it, another writer changed it) since the caller
 * read it. The runner drops its decision on this and records that it did (docs/autopilot.md); nothing was written.
 */
export class PlanMovedError extends RampartError {
  constructor(
    readonly planId: string,
    readonly current: Plan,
    readonly expected: number,
  ) {
    super(
      'conflict',
      `Plan '${planId}' changed while this step was being decided (version ${current.version}, not ${expected}): now ${current.state}`,
    );
  }
}

interface PlanRow {
  json: string;
  version: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
}

export interface NewPlanEvent {
  planId: string;
  at: number;
  kind: PlanEventKind;
  stepIndex: number;
  exposure: number | null;
  actor: string;
  message: string;
  decision?: DecisionSnapshot | null;
  detail?: Record<string, unknown>;
}

/**
 * Plans in SQLite (migration 4). Every change is a read-modify-write inside one IMMEDIATE transaction, so a runner,
 * a CLI command and the app on the same data dir never lose each other's updates; `version` rises by one per write
 * so a caller can refuse to act on a plan that moved under it. The store is the truth: nothing is kept in memory.
 */
export function createPlanStore(db: Db) {
  const getRow = db.prepare('SELECT json, version, lease_owner, lease_expires_at FROM plans WHERE id = ?');
  const insertRow =
    db.prepare(`INSERT INTO plans (id, connection_id, flag_key, env, state, active, json, version, created_at, updated_at)
    VALUES (@id, @connectionId, @flagKey, @env, @state, @active, @json, 1, @at, @at)`);
  const leaseNew = db.prepare('UPDATE plans SET lease_owner = ?, lease_expires_at = ? WHERE id = ?');
  const markRow = db.prepare("UPDATE plans SET json = json_set(json, '$.evaluatingSince', ?) WHERE id = ?");
  const updateRow = db.prepare(
    'UPDATE plans SET state = @state, active = @active, json = @json, version = @version, updated_at = @at WHERE id = @id AND version = @prev',
  );
  const insertEvent =
    db.prepare(`INSERT INTO plan_events (plan_id, at, kind, step_index, exposure, actor, message, decision_json, detail_json)
    VALUES (@planId, @at, @kind, @stepIndex, @exposure, @actor, @message, @decision, @detail)`);

  const toPlan = (r: PlanRow): Plan => Plan.parse({ ...JSON.parse(r.json), version: r.version });
  const serialize = (p: Plan) => {
    const { version: _v, ...rest } = p;
    return JSON.stringify(rest);
  };

  function get(id: string): Plan | undefined {
    const r = getRow.get(id) as PlanRow | undefined;
    return r ? toPlan(r) : undefined;
  }

  function require(id: string): Plan {
    const p = get(id);
    if (!p) throw new RampartError('not_found', `No plan '${id}'`);
    return p;
  }

  function appendEvent(e: NewPlanEvent): void {
    insertEvent.run({
      planId: e.planId,
      at: e.at,
      kind: e.kind,
      stepIndex: e.stepIndex,
      exposure: e.exposure,
      actor: e.actor,
      message: e.message,
      decision: e.decision ? JSON.stringify(e.decision) : null,
      detail: JSON.stringify(e.detail ?? {}),
    });
  }

  return {
    get,
    require,
    /**
     * Inserts a new plan with its first event. With `lease`, the caller holds the plan from the same transaction on,
     * so no runner can take it between the insert and the caller's first write (`plan start`).
     */
    insert(plan: Plan, event: NewPlanEvent, lease?: { owner: string; expiresAt: number }): Plan {
      try {
        db.transaction(() => {
          insertRow.run({
            id: plan.id,
            connectionId: plan.connectionId,
            flagKey: plan.flagKey,
            env: plan.env,
            state: plan.state,
            active: isActivePlanState(plan.state) ? 1 : 0,
            json: serialize(plan),
            at: plan.updatedAt,
          });
          if (lease) leaseNew.run(lease.owner, lease.expiresAt, plan.id);
          appendEvent(event);
        }).immediate();
      } catch (e) {
        // The only unique key this insert can break: one active plan per flag and environment (plan ids are random).
        if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new RampartError(
            'conflict',
            `A plan is already active for '${plan.flagKey}' in ${plan.env}: pause, abort or finish it first`,
          );
        }
        throw e;
      }
      return require(plan.id);
    },

    /**
     * Applies `change` to the plan as stored right now (inside the transaction) and writes it with its events.
     * `change` may return null to write nothing. `expectVersion` refuses with `conflict` if the plan moved since.
     */
    mutate(
      id: string,
      change: (p: Plan) => { plan: Plan; events?: Omit<NewPlanEvent, 'planId'>[] } | null,
      expectVersion?: number,
    ): Plan {
      return db
        .transaction(() => {
          const current = require(id);
          if (expectVersion !== undefined && current.version !== expectVersion)
            throw new PlanMovedError(id, current, expectVersion);
          const out = change(structuredClone(current));
          if (!out) return current;
          const next = Plan.parse({ ...out.plan, id: current.id, version: current.version + 1 });
          const res = updateRow.run({
            id,
            state: next.state,
            active: isActivePlanState(next.state) ? 1 : 0,
            json: serialize(next),
            version: next.version,
            prev: current.version,
            at: next.updatedAt,
          });
          if (res.changes !== 1) throw new RampartError('conflict', `Plan '${id}' changed concurrently`);
          for (const e of out.events ?? []) appendEvent({ ...e, planId: id });
          return next;
        })
        .immediate();
    },

    appendEvent,
    /** Sets or clears the runner's "evaluating since" mark (not a state change: `version` stays). */
    markEvaluating(id: string, since: number | null): void {
      markRow.run(since, id);
    },
    /** The plans a runner has work on: the active ones, and finished ones whose recovery is still being verified. */
    driven(): Plan[] {
      const sql = `SELECT json, version, lease_owner, lease_expires_at FROM plans
        WHERE active = 1 OR json_extract(json, '$.recovery.status') = 'verifying' ORDER BY created_at`;
      return (db.prepare(sql).all() as PlanRow[]).map(toPlan);
    },
    list(q: { active?: boolean; connectionId?: string; flagKey?: string; env?: string; limit?: number } = {}): Plan[] {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (q.active !== undefined) (where.push('active = ?'), args.push(q.active ? 1 : 0));
      if (q.connectionId) (where.push('connection_id = ?'), args.push(q.connectionId));
      if (q.flagKey) (where.push('flag_key = ?'), args.push(q.flagKey));
      if (q.env) (where.push('env = ?'), args.push(q.env));
      const sql = `SELECT json, version, lease_owner, lease_expires_at FROM plans ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY active DESC, created_at DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, q.limit ?? 500) as PlanRow[]).map(toPlan);
    },
    /** The active plan of a flag in an environment, else its newest one. */
    forFlag(connectionId: string, flagKey: string, env: string): Plan | undefined {
      return this.list({ connectionId, flagKey, env, limit: 1 })[0];
    },
    events(planId: string): PlanEvent[] {
      const rows = db.prepare('SELECT * FROM plan_events WHERE plan_id = ? ORDER BY seq').all(planId) as {
        seq: number;
        plan_id: string;
        at: number;
        kind: string;
        step_index: number;
        exposure: number | null;
        actor: string;
        message: string;
        decision_json: string | null;
        detail_json: string;
      }[];
      return rows.map((r) =>
        PlanEvent.parse({
          seq: r.seq,
          planId: r.plan_id,
          at: r.at,
          kind: r.kind,
          stepIndex: r.step_index,
          exposure: r.exposure,
          actor: r.actor,
          message: r.message,
          decision: r.decision_json ? JSON.parse(r.decision_json) : null,
          detail: JSON.parse(r.detail_json),
        }),
      );
    },

    policies: {
      list(): NamedPolicy[] {
        return (db.prepare('SELECT json FROM plan_policies ORDER BY name').all() as { json: string }[]).map((r) =>
          NamedPolicy.parse(JSON.parse(r.json)),
        );
      },
      get(name: string): NamedPolicy | undefined {
        const r = db.prepare('SELECT json FROM plan_policies WHERE name = ?').get(name) as { json: string } | undefined;
        return r ? NamedPolicy.parse(JSON.parse(r.json)) : undefined;
      },
      save(p: NamedPolicy): NamedPolicy {
        db.prepare(
          'INSERT INTO plan_policies (name, json, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at',
        ).run(p.name, JSON.stringify(p), p.updatedAt);
        return p;
      },
      remove(name: string): boolean {
        return db.prepare('DELETE FROM plan_policies WHERE name = ?').run(name).changes > 0;
      },
    },
  };
}

export type PlanStore = ReturnType<typeof createPlanStore>;
