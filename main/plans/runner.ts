import type { Plan } from '../../shared/domain/plans';
import { formatDuration } from '../../shared/stats/format';
import type { PlanDeps } from './plan-deps';
import { AUTOPILOT, type Actor, type PlanEffects } from './plan-effects';
import { PlanMovedError } from './plan-store';
import { createRunnerMoves, message } from './runner-moves';

export interface RunnerOptions {
  owner: string;
  /** How often every active plan is looked at (default 5 s): a decision acts only on a new data step anyway. */
  tickMs?: number;
  /** Lease lifetime; renewed every tick (also while an evaluation is in flight), so takeover follows a dead runner. */
  leaseMs?: number;
  /** One plan's evaluation deadline (default 15 s): past it, a hung provider counts as a provider error. */
  evaluationMs?: number;
  /** Plans evaluated at once (default 8): one slow provider never holds the others back. */
  concurrency?: number;
}

/**
 * The runner: one loop in the core, in whichever process runs it (the Electron app, `rampart serve`, `rampart
 * autopilot`). Every tick it renews the leases of the plans it is evaluating, then starts an evaluation of every
 * other plan it has work on (active, or verifying a recovery) — concurrently, at most `concurrency` at once, each
 * with its own deadline. An evaluation takes or renews the plan's lease, reads the flag from the store and the watch's
 * decision, and carries out the one move engine.ts chooses as a compare-and-set on the plan's version
 * (runner-moves.ts). Nothing is remembered between ticks except when the last tick ran: a tick after a long gap (a
 * laptop that slept) says so in the decision record, and still makes at most one move per plan.
 */
export function createPlanRunner(deps: PlanDeps, effects: PlanEffects, opts: RunnerOptions) {
  let tickMs = opts.tickMs ?? 5_000;
  let leaseMs = opts.leaseMs ?? Math.max(15_000, 3 * tickMs);
  const evaluationMs = opts.evaluationMs ?? 15_000;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  let timer: NodeJS.Timeout | undefined;
  let lastTickAt: number | null = null;
  const me: Actor = { ...AUTOPILOT, runner: opts.owner };
  const moves = createRunnerMoves(deps, effects, me, () => evaluationMs);
  /** Plans queued or being evaluated by this runner, with the promise of that evaluation. */
  const inFlight = new Map<string, Promise<void>>();
  let active = 0;
  const waiting: (() => void)[] = [];

  async function slot<T>(run: () => Promise<T>): Promise<T> {
    if (active >= concurrency) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await run();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  async function evaluatePlan(id: string, gapMs: number | null): Promise<void> {
    if (!deps.leases.acquire(id, opts.owner, leaseMs)) return;
    let plan = deps.store.require(id);
    if (gapMs !== null) {
      const text = `runner resumed after a ${formatDuration(gapMs)} gap: re-read the plan and the store; no missed step is replayed`;
      deps.store.appendEvent({ ...effects.event(plan, 'gap', text, me, {}, false), planId: id });
    }
    deps.store.markEvaluating(id, deps.now());
    try {
      if (plan.recovery?.status === 'verifying') return await moves.verify(plan);
      for (let pass = 0; pass < 2; pass++) {
        const move = await moves.decide(plan);
        if (move.kind === 'adopt' || move.kind === 'drop-pending') {
          plan = await moves.settle(plan, move);
          continue; // settled against the store: decide again on the same tick
        }
        return await moves.apply(plan, move, () => deps.leases.holds(id, opts.owner));
      }
    } catch (e) {
      if (!(e instanceof PlanMovedError)) throw e;
      dropped(plan, e);
    } finally {
      deps.store.markEvaluating(id, null);
    }
  }

  /** The plan moved while it was evaluated (a person paused or aborted it): the decision is dropped, and said so. */
  function dropped(plan: Plan, e: PlanMovedError): void {
    const now = e.current;
    const text = `decision dropped: the plan became ${now.state}${now.state !== plan.state ? ` (was ${plan.state})` : ''} while it was being evaluated; nothing was written`;
    deps.store.appendEvent({
      ...effects.event(now, 'dropped', text, me, { readVersion: plan.version, version: now.version }, false),
      planId: plan.id,
    });
  }

  function failed(p: Plan, e: unknown): void {
    // One plan's bad day (a database conflict, a bug) never stops the others; the next tick re-reads it.
    try {
      deps.store.appendEvent({
        planId: p.id,
        at: deps.now(),
        kind: 'error',
        stepIndex: p.stepIndex,
        exposure: p.expected.exposure,
        actor: 'autopilot',
        message: `tick failed: ${message(e)}`,
      });
    } catch {
      // the database itself is unavailable: the next tick tries again
    }
  }

  /**
   * One pass: renews the leases of plans still being evaluated (the heartbeat never waits on a provider), then starts
   * an evaluation of every other plan. Resolves when the evaluations this pass started have finished (`autopilot
   * --once`, tests); the interval does not wait for it, so the next pass still renews leases on time.
   */
  async function tick(): Promise<void> {
    const now = deps.now();
    const gap = lastTickAt !== null && now - lastTickAt > Math.max(3 * tickMs, 60_000) ? now - lastTickAt : null;
    lastTickAt = now;
    let plans: Plan[];
    try {
      for (const id of inFlight.keys()) deps.leases.acquire(id, opts.owner, leaseMs);
      plans = deps.store.driven();
    } catch {
      return; // the database is unavailable right now: the next tick tries again
    }
    const started: Promise<void>[] = [];
    for (const p of plans) {
      if (inFlight.has(p.id)) continue;
      const run = slot(() => evaluatePlan(p.id, gap))
        .catch((e) => failed(p, e))
        .finally(() => inFlight.delete(p.id));
      inFlight.set(p.id, run);
      started.push(run);
    }
    await Promise.all(started);
  }

  return {
    tick,
    /** Before start: `rampart autopilot --tick 2s`, tests. */
    configure(o: { tickMs?: number; leaseMs?: number }): void {
      if (o.tickMs) tickMs = o.tickMs;
      leaseMs = o.leaseMs ?? Math.max(15_000, 3 * tickMs);
    },
    get tickMs() {
      return tickMs;
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => void tick(), tickMs);
      void tick();
    },
    /** Stops ticking and hands the leases back at once, so another runner can take over without waiting. */
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      try {
        for (const p of deps.store.driven()) deps.leases.release(p.id, opts.owner);
      } catch {
        // the database is already closed: the leases expire on their own
      }
    },
    /** Resolves when every evaluation in flight has finished (tests, `autopilot --once`). */
    drain: async (): Promise<void> => {
      await Promise.all([...inFlight.values()]);
    },
    /** Plans this runner is evaluating right now (the liveness line of `autopilot`). */
    get evaluating(): number {
      return inFlight.size;
    },
    owner: opts.owner,
  };
}

export type PlanRunner = ReturnType<typeof createPlanRunner>;
