import type { AuditAction } from '../../shared/domain/audit';
import { isRampartError } from '../../shared/errors';
import type { NoticeKind, Plan, PlanEventKind } from '../../shared/domain/plans';
import type { PlanDeps } from './plan-deps';
import type { NewPlanEvent } from './plan-store';
import { describeExposure, stepRules } from './step-rules';

const message = (e: unknown) => (isRampartError(e) ? e.message : e instanceof Error ? e.message : String(e));
const COMMENT_MAX = 1000;
const clip = (s: string) => (s.length > COMMENT_MAX ? `${s.slice(0, COMMENT_MAX - 1)}…` : s);

export interface Actor {
  /** Who: the person for a door's request, `autopilot` for the runner. */
  user: string;
  door: string;
  /** The runner's lease owner id, when a runner acts: the decision record shows which process drove each step. */
  runner?: string;
}
export const AUTOPILOT: Actor = { user: 'autopilot', door: 'plan' };

/**
 * The plan's side effects, each in the same order: record intent in the plan (durable), act through the rollout
 * service, record the outcome, then tell people. A crash between any two leaves `pending` for the next tick to settle
 * against the store's real state. Used by the runner and by the doors' requests (start, abort), so a person's abort
 * and the autopilot's rollback are the same code.
 */
export function createPlanEffects(deps: PlanDeps) {
  const event = (
    p: Plan,
    kind: PlanEventKind,
    msg: string,
    actor: Actor,
    detail: Record<string, unknown> = {},
    withDecision = true,
  ): Omit<NewPlanEvent, 'planId'> => ({
    at: deps.now(),
    kind,
    stepIndex: p.stepIndex,
    exposure: p.expected.enabled ? p.expected.exposure : 0,
    actor: actor.user,
    message: msg,
    decision: withDecision ? p.lastDecision : null,
    detail: { door: actor.door, ...(actor.runner ? { runner: actor.runner } : {}), ...detail },
  });

  async function tell(p: Plan, kind: NoticeKind, title: string, body: string): Promise<Plan> {
    const out = await deps
      .notify(p, kind, { title, body })
      .catch((e: unknown) => ({ annotations: undefined, failures: [`notifications failed: ${message(e)}`] }));
    const changed = out.annotations !== undefined || out.failures.length > 0;
    const plan = changed
      ? deps.store.mutate(p.id, (q) => ({
          plan: { ...q, ...(out.annotations ? { annotations: out.annotations } : {}) },
          events: out.failures.map((f) => event(q, 'notify-failed', f, AUTOPILOT, { notice: kind }, false)),
        }))
      : p;
    deps.updated(plan);
    return plan;
  }

  function audit(
    action: AuditAction,
    p: Plan,
    comment: string,
    actor: Actor,
    detail: Record<string, unknown> = {},
  ): void {
    try {
      deps.audit({
        action,
        plan: p,
        comment: clip(comment),
        door: actor.door,
        user: actor.user,
        detail: { planId: p.id, state: p.state, stepIndex: p.stepIndex, decision: p.lastDecision, ...detail },
      });
    } catch {
      // The decision record (plan_events) already holds the transition; the audit row is best effort here.
    }
  }

  const detailOf = (p: Plan, extra: Record<string, unknown>) => ({
    planId: p.id,
    step: `${p.stepIndex + 1}/${p.policy.steps.length}`,
    decision: p.lastDecision,
    ...extra,
  });

  /** Moves the flag to step `toIndex` and records it; a plan that reached its last step is complete. */
  async function advance(
    p: Plan,
    toIndex: number,
    reason: string,
    actor: Actor,
    patch: Partial<Plan> = {},
  ): Promise<Plan> {
    const target = { enabled: true, exposure: stepRules(p, toIndex).exposure };
    const from = p.expected;
    const before = deps.store.mutate(
      p.id,
      (q) => ({
        plan: {
          ...q,
          ...patch,
          pending: { stepIndex: toIndex, target, from, at: deps.now(), kind: 'ramp' },
          updatedAt: deps.now(),
        },
      }),
      p.version,
    );
    const label = `step ${toIndex + 1}/${p.policy.steps.length}: ${describeExposure(from)} → ${describeExposure(target)}`;
    let res;
    try {
      res = await deps.ramp({
        connectionId: p.connectionId,
        flagKey: p.flagKey,
        env: p.env,
        to: target.exposure,
        expected: from.enabled ? from.exposure : (from.exposure ?? 0),
        comment: clip(`autopilot plan ${p.id}, ${label}: ${reason}`),
        door: actor.door,
        user: actor.user,
        detail: detailOf(before, { reason }),
      });
    } catch (e) {
      // Nothing was written when the store or the guard refused on purpose: settle now and wait for new data.
      const refused =
        isRampartError(e) &&
        (e.code === 'conflict' || e.code === 'blocked' || e.code === 'approval_required' || e.code === 'bad_request');
      const failed = deps.store.mutate(p.id, (q) => ({
        plan: {
          ...q,
          ...(refused ? { pending: null, state: 'holding' as const, reason: `${label} refused: ${message(e)}` } : {}),
          updatedAt: deps.now(),
        },
        events: [event(q, 'error', `${label} failed: ${message(e)}`, actor)],
      }));
      deps.updated(failed);
      throw e;
    }
    const last = toIndex === p.policy.steps.length - 1;
    const now = deps.now();
    let done = deps.store.mutate(p.id, (q) => {
      const next: Plan = {
        ...q,
        pending: null,
        stepIndex: toIndex,
        expected: res.readBack,
        stepStartedAt: now,
        updatedAt: now,
      };
      const events = [
        event(next, 'advance', `${label}, confirmed by read-back: ${reason}`, actor, { actionId: res.actionId }),
      ];
      if (q.state === 'aborted' || q.state === 'paused') return { plan: next, events }; // a person acted meanwhile: keep their state
      if (last) {
        Object.assign(next, { state: 'completed', reason: `reached ${describeExposure(target)}`, finishedAt: now });
        events.push(event(next, 'complete', `plan complete at ${describeExposure(target)}`, actor));
      } else Object.assign(next, { state: 'running', reason: 'baking the new step' });
      return { plan: next, events };
    });
    deps.updated(done);
    if (done.state === 'aborted')
      return rollback(done, 'aborted while a step was being written: rolling back again', actor, 'abort');
    done = await tell(done, 'advanced', `${p.flagKey} ${describeExposure(target)} in ${p.env}`, `${label}: ${reason}`);
    if (done.state === 'completed') {
      audit('plan-complete', done, `plan complete at ${describeExposure(target)}`, actor);
      done = await tell(
        done,
        'completed',
        `${p.flagKey} reached ${describeExposure(target)} in ${p.env}`,
        `The plan completed: every step baked and passed.`,
      );
    }
    return done;
  }

  /** The kill switch. Never held by windows, approvals or metrics; a failure is retried on the next tick. */
  async function rollback(
    p: Plan,
    reason: string,
    actor: Actor,
    why: 'decision' | 'abort' | 'alert',
    patch: Partial<Plan> = {},
    /** The runner's compare-and-set: a rollback decided on a plan a person has changed since is dropped. */
    expectVersion?: number,
  ): Promise<Plan> {
    const from = p.expected;
    const target = { enabled: false, exposure: 0 };
    const before = deps.store.mutate(
      p.id,
      (q) => ({
        plan: {
          ...q,
          pending: { stepIndex: q.stepIndex, target, from, at: deps.now(), kind: 'rollback' },
          updatedAt: deps.now(),
        },
      }),
      expectVersion,
    );
    let res;
    try {
      const view: Plan = { ...before, ...patch };
      res = await deps.rollback({
        connectionId: p.connectionId,
        flagKey: p.flagKey,
        env: p.env,
        comment: clip(`autopilot plan ${p.id}: roll back (${reason})`),
        door: actor.door,
        user: actor.user,
        detail: detailOf(view, { reason, why }),
      });
    } catch (e) {
      const failed = deps.store.mutate(p.id, (q) => ({
        plan: { ...q, reason: `ROLLBACK FAILED, retrying: ${message(e)}`, updatedAt: deps.now() },
        events: [event(q, 'error', `rollback failed: ${message(e)}`, actor)],
      }));
      await tell(
        failed,
        'rollback',
        `ROLLBACK FAILED: ${p.flagKey} in ${p.env}`,
        `${message(e)}. Rampart retries on the next tick; roll back by hand if it keeps failing.`,
      );
      throw e;
    }
    const now = deps.now();
    const state = why === 'decision' ? 'rolled-back' : 'aborted';
    const text = `${describeExposure(from)} → ${describeExposure(res.readBack)}, confirmed by read-back`;
    const done = deps.store.mutate(p.id, (q) => {
      const next: Plan = {
        ...q,
        ...patch,
        pending: null,
        expected: res.readBack,
        state,
        pausedBy: null,
        reason: `${why === 'decision' ? 'rolled back' : 'aborted'}: ${reason}`,
        rollback: {
          at: now,
          reason,
          actionId: res.actionId,
          fromExposure: from.enabled ? from.exposure : 0,
          by: actor.user,
        },
        recovery: {
          status: 'verifying',
          deadline: now + q.policy.recoveryMs,
          at: null,
          message: 'verifying the recovery against the baseline',
        },
        finishedAt: why === 'decision' ? null : now,
        updatedAt: now,
      };
      return {
        plan: next,
        events: [
          event(next, why === 'decision' ? 'rollback' : 'abort', `${text}: ${reason}`, actor, {
            actionId: res.actionId,
            why,
          }),
        ],
      };
    });
    if (why !== 'decision') audit('plan-abort', done, `${reason}`, actor, { actionId: res.actionId });
    return tell(
      done,
      why === 'decision' ? 'rollback' : 'aborted',
      `${p.flagKey} rolled back in ${p.env}`,
      `${text}. Why: ${reason}`,
    );
  }

  /** A transition without a write: pause, resume, approve, approval-needed, hold/running. */
  async function transition(
    p: Plan,
    change: Partial<Plan>,
    ev: {
      kind: PlanEventKind;
      message: string;
      actor: Actor;
      audit?: AuditAction;
      notice?: { kind: NoticeKind; title: string };
      detail?: Record<string, unknown>;
    },
    expectVersion?: number,
  ): Promise<Plan> {
    const next = deps.store.mutate(
      p.id,
      (q) => {
        const n: Plan = { ...q, ...change, updatedAt: deps.now() };
        return { plan: n, events: [event(n, ev.kind, ev.message, ev.actor, ev.detail ?? {})] };
      },
      expectVersion,
    );
    if (ev.audit) audit(ev.audit, next, ev.message, ev.actor);
    if (ev.notice) return tell(next, ev.notice.kind, ev.notice.title, ev.message);
    deps.updated(next);
    return next;
  }

  return { advance, rollback, transition, event, tell, audit };
}

export type PlanEffects = ReturnType<typeof createPlanEffects>;
