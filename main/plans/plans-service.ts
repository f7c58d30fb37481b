import { randomUUID } from 'node:crypto';
import { NamedPolicy, PlanPolicy, type Plan, type PlanPolicyInput, type PlanView } from '../../shared/domain/plans';
import { RampartError, isRampartError } from '../../shared/errors';
import { firstStepGate } from './engine';
import { describeExposure, sameState } from './step-rules';
import { watchStepMs, type PlanDeps } from './plan-deps';
import type { Actor, PlanEffects } from './plan-effects';
import { viewOf } from './outlook';
import { planBands } from './plan-bands';
import { exportRecord } from './plan-export';

export interface StartRequest {
  connectionId: string;
  flagKey: string;
  env: string;
  /** A saved policy to start from; `policy` fields override it. */
  policyName?: string;
  policy?: Partial<PlanPolicyInput>;
  comment: string;
}

/** The step the flag is on: the highest step at or below what it serves now (-1 below the first). */
/** How long `plan start` holds the plan for its first write; released as soon as the write is done. */
const START_LEASE_MS = 60_000;

function indexFor(policy: PlanPolicy, live: { enabled: boolean; exposure: number | null }): number {
  const effective = live.enabled ? (live.exposure ?? 100) : 0;
  let index = -1;
  policy.steps.forEach((s, i) => {
    if (s.exposure <= effective + 1e-9) index = i;
  });
  return index;
}

/**
 * What the doors can do with plans: start one, pause, resume, approve, abort (= roll back), and read them. Every
 * action is a transaction on the stored plan plus an audit row; start and abort write through the same effects as
 * the runner, so a person's abort and the autopilot's rollback are one code path.
 */
export function createPlansService(deps: PlanDeps, effects: PlanEffects, owner: string | null) {
  const view = (p: Plan): PlanView =>
    viewOf(p, deps.store.events(p.id), deps.now(), deps.leases.of(p.id), owner, watchStepMs(deps.watch(p.watchId)));

  function resolvePolicy(req: StartRequest): { policy: PlanPolicy; name: string | null } {
    const saved = req.policyName ? deps.store.policies.get(req.policyName) : undefined;
    if (req.policyName && !saved)
      throw new RampartError(
        'not_found',
        `No policy '${req.policyName}'. Known: ${
          deps.store.policies
            .list()
            .map((p) => p.name)
            .join(', ') || 'none'
        }`,
      );
    const parsed = PlanPolicy.safeParse({
      ...(saved?.policy ?? {}),
      ...(req.policy ?? {}),
      steps: req.policy?.steps ?? saved?.policy.steps ?? [1, 5, 25, 50, 100].map((exposure) => ({ exposure })),
    });
    if (!parsed.success)
      throw new RampartError(
        'bad_request',
        `Invalid plan: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'policy'}: ${i.message}`).join('; ')}`,
      );
    return { policy: parsed.data, name: saved?.name ?? null };
  }

  function acting(planId: string, states: readonly Plan['state'][], verb: string): Plan {
    const p = deps.store.require(planId);
    if (!states.includes(p.state))
      throw new RampartError('bad_request', `Plan for '${p.flagKey}' in ${p.env} is ${p.state}: nothing to ${verb}`);
    return p;
  }

  /**
   * Writes the first step. When it fails and the store still serves the old state, nothing was written: the plan ends
   * `aborted` saying so (no rollback happened), and the failed start is audited. An unknown outcome stays pending for
   * the runner to settle against the store.
   */
  async function firstStep(saved: Plan, live: Plan['expected'], step: number, actor: Actor): Promise<Plan> {
    try {
      return await effects.advance(saved, 0, 'first step: there is no treatment data to wait for', actor);
    } catch (e) {
      const after = await deps.liveState(saved.connectionId, saved.flagKey, saved.env).catch(() => null);
      if (after && sameState(after, live, step)) {
        const text = `the plan did not start: its first step was not written (${(e as Error).message}); the flag still serves ${describeExposure(after)}`;
        const ended = deps.store.mutate(saved.id, (q) => ({
          plan: { ...q, pending: null, state: 'aborted', reason: text, finishedAt: deps.now(), updatedAt: deps.now() },
          events: [effects.event(q, 'abort', text, actor, {}, false)],
        }));
        deps.updated(ended);
        effects.audit('plan-abort', ended, text, actor, { failedStart: true });
        throw new RampartError(isRampartError(e) ? e.code : 'internal', text);
      }
      throw e;
    }
  }

  return {
    async start(req: StartRequest, actor: Actor): Promise<PlanView> {
      const { policy, name } = resolvePolicy(req);
      const step = deps.exposureStep(req.connectionId);
      const coarse = policy.steps.find((s) => Math.abs(s.exposure / step - Math.round(s.exposure / step)) > 1e-6);
      if (coarse)
        throw new RampartError(
          'bad_request',
          `Step ${coarse.exposure}% is finer than this store's ${step}% granularity`,
        );
      const watch = deps.watchFor(req.connectionId, req.flagKey, req.env);
      if (!watch)
        throw new RampartError(
          'bad_request',
          `'${req.flagKey}' in ${req.env} has no watch: a plan acts only on a watch's decision. Add one first (rampart watch add …, or save it in the canary watch)`,
        );
      if (
        deps.store.list({ active: true, connectionId: req.connectionId, flagKey: req.flagKey, env: req.env }).length > 0
      ) {
        throw new RampartError(
          'conflict',
          `A plan is already active for '${req.flagKey}' in ${req.env}: pause, abort or finish it first`,
        );
      }
      const live = await deps.liveState(req.connectionId, req.flagKey, req.env);
      const index = indexFor(policy, live);
      if (index === policy.steps.length - 1)
        throw new RampartError(
          'bad_request',
          `'${req.flagKey}' already serves ${describeExposure(live)} in ${req.env}, the plan's last step`,
        );
      const now = deps.now();
      const plan: Plan = {
        id: `plan-${randomUUID().slice(0, 8)}`,
        connectionId: req.connectionId,
        flagKey: req.flagKey,
        env: req.env,
        watchId: watch.id,
        policyName: name,
        policy,
        state: 'running',
        reason: index < 0 ? 'starting: first step' : 'baking the current step',
        stepIndex: index,
        expected: live,
        initial: live,
        startedAt: now,
        startedBy: actor.user,
        comment: req.comment,
        stepStartedAt: now,
        lastDataStep: null,
        lastDecision: null,
        providerErrors: 0,
        lastProviderErrorAt: null,
        approved: [],
        pending: null,
        pausedBy: null,
        rollback: null,
        recovery: null,
        annotations: [],
        finishedAt: null,
        updatedAt: now,
        version: 0,
      };
      // The first step obeys its gate, the change window and the freeze like every other step (rollback ignores them).
      const gate = index < 0 ? firstStepGate(plan, now) : null;
      if (gate) Object.assign(plan, { state: gate.state, reason: gate.reason });
      // The door holds the plan from the insert on (same transaction), so no runner drives it while the first step
      // is written; the runner's own lease is the ordinary one once the door lets go.
      const door = `door:${actor.door}:${plan.id}`;
      let saved = deps.store.insert(
        plan,
        {
          ...effects.event(
            plan,
            'start',
            `plan started at ${describeExposure(live)}: ${req.comment}`,
            actor,
            { steps: policy.steps.map((s) => s.exposure) },
            false,
          ),
          planId: plan.id,
        },
        { owner: door, expiresAt: now + START_LEASE_MS },
      );
      try {
        if (!deps.leases.holds(saved.id, door))
          throw new RampartError('internal', `Plan '${saved.id}' was taken by a runner before its first step`);
        effects.audit('plan-start', saved, req.comment, actor, { policy });
        saved = await effects.tell(
          saved,
          'started',
          `${req.flagKey} plan started in ${req.env}`,
          `Steps ${policy.steps.map((s) => `${s.exposure}%`).join(' → ')}; ${req.comment}`,
        );
        if (gate?.state === 'awaiting-approval')
          saved = await effects.tell(
            saved,
            'approval-needed',
            `${req.flagKey} in ${req.env} needs approval`,
            gate.reason,
          );
        if (index < 0 && !gate) saved = await firstStep(saved, live, step, actor);
      } finally {
        deps.leases.release(saved.id, door);
      }
      return view(deps.store.require(saved.id));
    },

    async pause(planId: string, comment: string, actor: Actor, by: 'person' | 'alert' = 'person'): Promise<PlanView> {
      const p = acting(planId, ['running', 'holding', 'awaiting-approval', 'paused'], 'pause');
      if (p.state === 'paused') return view(p);
      const reason = `paused by ${actor.user}: ${comment}`;
      return view(
        await effects.transition(
          p,
          { state: 'paused', pausedBy: by, reason },
          {
            kind: 'pause',
            message: reason,
            actor,
            audit: 'plan-pause',
            notice: { kind: 'paused', title: `${p.flagKey} plan paused in ${p.env}` },
          },
        ),
      );
    },

    /** Resume continues from the store's real state: after someone else moved the flag, from where they left it. */
    async resume(planId: string, comment: string, actor: Actor): Promise<PlanView> {
      const p = acting(planId, ['paused'], 'resume');
      const live = await deps.liveState(p.connectionId, p.flagKey, p.env);
      const rebase = !sameState(live, p.expected, deps.exposureStep(p.connectionId));
      const index = indexFor(p.policy, live);
      const change: Partial<Plan> = {
        state: 'running',
        pausedBy: null,
        providerErrors: 0,
        lastProviderErrorAt: null,
        reason: `resumed by ${actor.user}: ${comment}`,
      };
      if (rebase) Object.assign(change, { expected: live, stepIndex: index, stepStartedAt: deps.now() });
      const text = rebase
        ? `resumed at ${describeExposure(live)}, the store's current state (step ${index + 1}/${p.policy.steps.length}): ${comment}`
        : `resumed: ${comment}`;
      return view(await effects.transition(p, change, { kind: 'resume', message: text, actor, audit: 'plan-resume' }));
    },

    /** Approves the next gated step (awaiting, or ahead of time). */
    async approve(planId: string, comment: string, actor: Actor): Promise<PlanView> {
      const p = acting(planId, ['running', 'holding', 'awaiting-approval', 'paused'], 'approve');
      const gate = p.policy.steps.findIndex((s, i) => i > p.stepIndex && s.approval && !p.approved.includes(i));
      if (gate < 0)
        throw new RampartError('bad_request', `Plan for '${p.flagKey}' in ${p.env} has no step waiting for approval`);
      const text = `approved ${p.policy.steps[gate].exposure}% (step ${gate + 1}) by ${actor.user}: ${comment}`;
      const change: Partial<Plan> = {
        approved: [...p.approved, gate],
        ...(p.state === 'awaiting-approval' ? { state: 'running' as const, reason: text } : {}),
      };
      return view(
        await effects.transition(p, change, { kind: 'approve', message: text, actor, audit: 'plan-approve' }),
      );
    },

    /** Abort = roll back now, whoever drives the plan: a rollback is never blocked. */
    async abort(planId: string, comment: string, actor: Actor): Promise<PlanView> {
      const p = acting(planId, ['running', 'holding', 'awaiting-approval', 'paused'], 'abort');
      const lease = `door:${actor.door}:${p.id}`;
      deps.leases.acquire(p.id, lease, 60_000);
      try {
        return view(
          await effects.rollback(
            p,
            `aborted by ${actor.user}: ${comment}`,
            actor,
            actor.door === 'alertmanager' ? 'alert' : 'abort',
          ),
        );
      } finally {
        deps.leases.release(p.id, lease);
      }
    },

    get: (planId: string) => view(deps.store.require(planId)),
    list: (q: { active?: boolean; connectionId?: string; flagKey?: string; env?: string } = {}) =>
      deps.store.list(q).map(view),
    forFlag(connectionId: string, flagKey: string, env: string): PlanView | null {
      const p = deps.store.forFlag(connectionId, flagKey, env);
      return p ? view(p) : null;
    },
    events: (planId: string) => (deps.store.require(planId), deps.store.events(planId)),
    export(planId: string, format: 'json' | 'markdown') {
      const p = deps.store.require(planId);
      return exportRecord(p, deps.store.events(planId), format, deps.now());
    },
    bands(q: { connectionId?: string; flagKey?: string; env?: string; from: number; to: number }) {
      const now = deps.now();
      return deps.store
        .list({ connectionId: q.connectionId, flagKey: q.flagKey, env: q.env, limit: q.flagKey ? 50 : 200 })
        .flatMap((p) => planBands(p, deps.store.events(p.id), q.from, q.to, now));
    },
    policies: {
      list: () => deps.store.policies.list(),
      save(p: { name: string; description?: string; policy: PlanPolicyInput }) {
        const parsed = NamedPolicy.safeParse({ ...p, updatedAt: deps.now() });
        if (!parsed.success)
          throw new RampartError(
            'bad_request',
            `Invalid policy: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        return deps.store.policies.save(parsed.data);
      },
      remove: (name: string) => ({ removed: deps.store.policies.remove(name) }),
    },
  };
}

export type PlansService = ReturnType<typeof createPlansService>;
