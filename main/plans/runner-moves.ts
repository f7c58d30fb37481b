import { isRampartError } from '../../shared/errors';
import type { Plan } from '../../shared/domain/plans';
import { formatDuration } from '../../shared/stats/format';
import { decideTick, type Live, type Move } from './engine';
import { watchStepMs, type PlanDeps } from './plan-deps';
import type { Actor, PlanEffects } from './plan-effects';
import { PlanMovedError } from './plan-store';
import { notRecoveredMessage } from './recovery';
import { describeExposure } from './step-rules';

export const message = (e: unknown) => (isRampartError(e) ? e.message : e instanceof Error ? e.message : String(e));

/**
 * Resolves like `p`, or rejects once `ms` have passed: one hung provider or store costs its own plan one deadline,
 * never the other plans their turn (the promise itself cannot be cancelled; its late answer is ignored).
 */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${formatDuration(ms)}`)), ms);
    timer.unref?.();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * The runner's moves on one plan, each a compare-and-set on the version the evaluation started from (`plan.version`):
 * a person's pause or abort that lands while the runner waits on a provider makes the runner's write fail with
 * PlanMovedError, and the stale decision is dropped, never written (docs/autopilot.md, issue 12 F3).
 */
export function createRunnerMoves(deps: PlanDeps, effects: PlanEffects, me: Actor, deadlineMs: () => number) {
  async function decide(plan: Plan): Promise<Move> {
    const now = deps.now();
    let live: Live;
    try {
      live = await withDeadline(
        deps.liveState(plan.connectionId, plan.flagKey, plan.env),
        deadlineMs(),
        'the flag store',
      );
    } catch (e) {
      live = { error: message(e) };
    }
    const watch = deps.watch(plan.watchId);
    let decision = null;
    let decisionError: string | null = null;
    if (!watch) decisionError = `the watch '${plan.watchId}' no longer exists`;
    else if (!(plan.state === 'paused' && plan.pausedBy === 'outside-change')) {
      try {
        // A hung provider is a provider error for this plan at the deadline: held, then paused after 4 in a row.
        decision = await withDeadline(deps.evaluate(watch, now), deadlineMs(), 'the metrics provider');
      } catch (e) {
        decisionError = message(e);
      }
    }
    return decideTick({
      plan,
      now,
      live,
      exposureStep: deps.exposureStep(plan.connectionId),
      decision,
      decisionError,
      stepMs: watchStepMs(watch),
    });
  }

  /** Settles a pending write against the store; adopting the last step completes the plan, as an advance would. */
  async function settle(plan: Plan, move: Extract<Move, { kind: 'adopt' | 'drop-pending' }>): Promise<Plan> {
    const now = deps.now();
    const next = deps.store.mutate(
      plan.id,
      (q) => {
        if (!q.pending) return null;
        if (move.kind === 'drop-pending')
          return {
            plan: { ...q, pending: null, updatedAt: now },
            events: [effects.event(q, 'adopt', move.reason, me)],
          };
        const p = q.pending;
        const rolledBack = p.kind === 'rollback';
        const n: Plan = {
          ...q,
          pending: null,
          stepIndex: p.stepIndex,
          expected: p.target,
          stepStartedAt: p.at,
          updatedAt: now,
        };
        if (rolledBack)
          Object.assign(n, {
            state: 'rolled-back',
            rollback: {
              at: p.at,
              reason: 'found rolled back after a restart',
              actionId: null,
              fromExposure: p.from.exposure,
              by: 'autopilot',
            },
            recovery: {
              status: 'verifying',
              deadline: p.at + q.policy.recoveryMs,
              at: null,
              message: 'verifying the recovery',
            },
          });
        const events = [effects.event(n, 'adopt', move.reason, me)];
        if (!rolledBack && p.stepIndex === q.policy.steps.length - 1) {
          Object.assign(n, { state: 'completed', finishedAt: now, reason: `reached ${describeExposure(p.target)}` });
          events.push(effects.event(n, 'complete', `plan complete at ${describeExposure(p.target)}`, me));
        }
        return { plan: n, events };
      },
      plan.version,
    );
    deps.updated(next);
    // The compare-and-set above lets exactly one runner adopt, so the audit row and the notice go out once.
    if (next.state === 'completed' && plan.state !== 'completed') {
      const text = `plan complete at ${describeExposure(next.expected)}`;
      effects.audit('plan-complete', next, text, me);
      return effects.tell(
        next,
        'completed',
        `${next.flagKey} reached ${describeExposure(next.expected)} in ${next.env}`,
        'The plan completed: every step baked and passed.',
      );
    }
    return next;
  }

  async function apply(plan: Plan, move: Move, holds: () => boolean): Promise<void> {
    const v = plan.version;
    const write = (patch: Partial<Plan>, reason?: string) =>
      deps.updated(
        deps.store.mutate(
          plan.id,
          (q) => ({ plan: { ...q, ...patch, ...(reason !== undefined ? { reason } : {}), updatedAt: deps.now() } }),
          v,
        ),
      );
    switch (move.kind) {
      case 'none':
        if (move.patch || (move.reason !== undefined && move.reason !== plan.reason))
          write(move.patch ?? {}, move.reason);
        return;
      case 'state': {
        // A counted provider error is a row of the decision record even when the state stays 'holding'.
        const newError = (move.patch?.providerErrors ?? 0) > plan.providerErrors;
        if (move.state === plan.state && !newError) return write(move.patch ?? {}, move.reason);
        await effects.transition(
          plan,
          { ...move.patch, state: move.state, reason: move.reason },
          { kind: move.state === 'holding' ? 'hold' : 'running', message: move.reason, actor: me },
          v,
        );
        return;
      }
      case 'pause':
        await effects.transition(
          plan,
          { ...move.patch, state: 'paused', pausedBy: move.by, reason: move.reason },
          {
            kind: 'pause',
            message: move.reason,
            actor: me,
            audit: 'plan-pause',
            notice: { kind: 'paused', title: `${plan.flagKey} plan paused in ${plan.env}` },
            ...(move.served ? { detail: { served: move.served } } : {}),
          },
          v,
        );
        return;
      case 'await-approval':
        await effects.transition(
          plan,
          { ...move.patch, state: 'awaiting-approval', reason: move.reason },
          {
            kind: 'approval-needed',
            message: move.reason,
            actor: me,
            notice: { kind: 'approval-needed', title: `${plan.flagKey} in ${plan.env} needs approval` },
          },
          v,
        );
        return;
      case 'advance':
        if (!holds()) return;
        await effects.advance(plan, move.toIndex, move.reason, me, move.patch).catch(rethrowMoved); // else recorded in the plan
        return;
      case 'rollback':
        if (!holds()) return;
        await effects.rollback(plan, move.reason, me, 'decision', move.patch, v).catch(rethrowMoved); // retried next tick
        return;
      default:
        return;
    }
  }

  async function verify(plan: Plan): Promise<void> {
    const now = deps.now();
    let result;
    try {
      result = await withDeadline(deps.recovery(plan, now), deadlineMs(), 'the recovery check');
    } catch (e) {
      result = { status: 'waiting' as const, message: `could not check: ${message(e)}` };
    }
    const terminal = plan.state === 'rolled-back';
    const recovery = plan.recovery!;
    if (result.status === 'recovered') {
      const r = result;
      await effects.transition(
        plan,
        {
          state: terminal ? 'recovered' : plan.state,
          recovery: { ...recovery, status: 'recovered', at: r.at, message: r.message },
          reason: terminal ? r.message : plan.reason,
          finishedAt: plan.finishedAt ?? now,
        },
        {
          kind: 'recovered',
          message: r.message,
          actor: me,
          audit: 'plan-recovery',
          notice: { kind: 'recovered', title: `${plan.flagKey} in ${plan.env}: ${r.message}` },
        },
        plan.version,
      );
    } else if (now > recovery.deadline) {
      const text = notRecoveredMessage(plan, result.message);
      await effects.transition(
        plan,
        {
          state: terminal ? 'not-recovered' : plan.state,
          recovery: { ...recovery, status: 'not-recovered', message: text },
          reason: terminal ? text : plan.reason,
          finishedAt: plan.finishedAt ?? now,
        },
        {
          kind: 'not-recovered',
          message: text,
          actor: me,
          audit: 'plan-recovery',
          notice: { kind: 'not-recovered', title: `${plan.flagKey} in ${plan.env}: NOT recovered` },
        },
        plan.version,
      );
    } else if (result.message !== recovery.message) {
      deps.updated(
        deps.store.mutate(
          plan.id,
          (q) => ({
            plan: { ...q, recovery: q.recovery && { ...q.recovery, message: result.message }, updatedAt: now },
          }),
          plan.version,
        ),
      );
    }
  }

  return { decide, settle, apply, verify };
}

/** Effects swallow their own failures (recorded in the plan); a lost compare-and-set must reach the runner. */
function rethrowMoved(e: unknown): void {
  if (e instanceof PlanMovedError) throw e;
}
