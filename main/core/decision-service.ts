import { createHash } from 'node:crypto';
import type { DecisionAction, LiveGuard, WatchDecision } from '../../shared/domain/decision';
import { watchStepMs, type Watch } from '../../shared/domain/metrics';
import type { BaselineKind } from '../../shared/domain/verdict';
import type { PartialFailure } from '../../shared/errors';
import { formatDuration } from '../../shared/stats/format';
import { armLabel } from './decision-arms';
import { guardStep, type GuardState } from './decision-judge';
import type { DecisionStore } from './decision-store';
import type { EventBus } from './event-bus';
import { newestCompleteStep, type Computed, type LiveHook, type VerdictService } from './verdict-service';

/** What a watch's decision depends on besides the data: editing any of it starts a new guard. */
export function watchConfigHash(watch: Watch): string {
  const { id: _id, ...settings } = watch;
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

/** The charts saw the provider fail (and no query of the verdict did): how often, and with what. */
function providerFailure(last: PartialFailure | null | undefined, count: number): PartialFailure {
  const message = `${count} provider error(s) in a row${last ? `: ${last.message}` : ''}`;
  return { code: last?.code ?? 'unreachable', message };
}

/**
 * The one decision per watch (docs/design.md "One decision, many consumers"), evaluated ONCE per new data step:
 * a look at a step already evaluated returns the stored decision unchanged, so refreshes, several viewers, the ramp
 * guard, plans and a restart cannot speed the guard up (its state and the decision persist, migration 3).
 * Baseline: the concurrent control when both arms have data in the canary window, else the pre-rollout window.
 */
export function createDecisionService(deps: {
  verdicts: VerdictService;
  store: DecisionStore;
  bus: EventBus;
  now: () => number;
  providerErrors: (metricsConnectionId: string) => number;
  /** The failure behind those errors (series-service's `lastFailure`). */
  lastProviderFailure?: (metricsConnectionId: string) => PartialFailure | null;
  /** The newest recorded change of the watch's flag in its environment after `after` (Rampart's own writes are recorded at once). */
  changedSince: (watch: Watch, after: number) => boolean;
}) {
  const inFlight = new Map<string, Promise<WatchDecision>>();

  /** The guard hook for one evaluation: advances from the stored state; the caller persists the chosen one. */
  function liveFor(
    prev: GuardState | null,
    config: string,
    watch: Watch,
    kept: { state: GuardState | null; guard: LiveGuard | null },
  ): LiveHook {
    return ({ metrics, out, windows, step, kind }) => {
      const windowKey = `${kind}|${windows.change?.id ?? 'none'}|${config}`;
      const g = guardStep(prev, {
        windowKey,
        step,
        metrics,
        verdicts: out.metrics,
        confidence: watch.thresholds.confidence,
      });
      kept.state = g.state;
      kept.guard = g.guard;
      return { sequential: g.sequential, guard: g.guard };
    };
  }

  async function compute(
    watch: Watch,
    step: number,
    config: string,
    persist: boolean,
    now: number,
  ): Promise<WatchDecision> {
    const prev = deps.store.guard(watch.id);
    const tryKind = async (kind: BaselineKind) => {
      const kept = { state: null as GuardState | null, guard: null as LiveGuard | null };
      const c = await deps.verdicts.evaluate(watch, kind, { step, now, live: liveFor(prev, config, watch, kept) });
      return { c, kept };
    };
    const { exposure } = await deps.verdicts.windowsAt(watch, 'control', step, now);
    let chosen = exposure > 0 && exposure < 100 ? await tryKind('control') : null;
    const bothArms = chosen !== null && chosen.c.armsWithData.has('treatment') && chosen.c.armsWithData.has('control');
    let baselineReason = chosen
      ? `concurrent control: both arms (${armLabel(chosen.c.mapping, 'treatment')} vs ${armLabel(chosen.c.mapping, 'control')}) have data in the canary window`
      : '';
    if (!chosen || !bothArms) {
      const why =
        exposure >= 100
          ? 'the flag serves everyone the treatment (100 %): no control arm'
          : exposure <= 0
            ? 'the flag exposes no one now'
            : 'the variant label does not carry both arms in the data';
      chosen = await tryKind('pre');
      baselineReason = `${chosen.c.windows.baseline.label.startsWith('previous') ? 'previous step' : 'pre-rollout window'}: ${why}`;
    }
    const decision = build(watch, chosen.c, chosen.kept.guard as LiveGuard, baselineReason);
    if (persist && chosen.kept.state) {
      deps.store.save(watch.id, chosen.kept.state, decision, config);
      deps.bus.emit('decision:updated', { decision });
    }
    return decision;
  }

  function build(watch: Watch, c: Computed, guard: LiveGuard, baselineReason: string): WatchDecision {
    const v = c.verdict;
    const providerErrors = deps.providerErrors(watch.metricsConnectionId);
    const failing = v.metrics.filter((m) => m.verdict === 'fail').map((m) => m.name);
    // The decision rests on missing data when the provider failed any of its queries (or the charts saw it fail).
    const failed =
      c.errors[0] ??
      (providerErrors > 0
        ? providerFailure(deps.lastProviderFailure?.(watch.metricsConnectionId), providerErrors)
        : null);
    const stale = failed ? { fetchedAt: v.computedAt, ageMs: 0, ...failed } : null;
    let action: DecisionAction;
    let reason: string;
    if (guard.act) {
      action = 'rollback';
      reason = `Roll back: ${guard.reason}.`;
    } else if (stale) {
      action = 'hold';
      reason = `Hold: the metrics provider is failing (${stale.message}); no new evidence to advance on.`;
    } else if (!c.windows.ready) {
      action = 'hold';
      reason = `Hold: ${c.windows.reason}.`;
    } else if (v.verdict === 'pass') {
      action = 'advance';
      reason = `Safe to advance: the metrics are within their margins (${v.reason ?? 'pass'}).`;
    } else if (v.verdict === 'fail' && failing.length > 0) {
      action = 'hold';
      reason = `Hold: ${failing.join(', ')} fail${failing.length === 1 ? 's' : ''} on this step; the guard acts when the fail is sustained over new data or the always-valid interval confirms it (${guard.reason}).`;
    } else {
      action = 'hold';
      const bake = v.extras?.bakeTime?.minutesMore;
      reason = `Hold: ${v.verdict === 'marginal' ? 'marginal' : 'not decided yet'} (${v.reason ?? v.verdict})${bake ? `; about ${formatDuration(bake * 60_000)} more to decide` : ''}.`;
    }
    return {
      watchId: watch.id,
      flagConnectionId: watch.flagConnectionId,
      flagKey: watch.flagKey,
      env: watch.env,
      step: c.step,
      computedAt: deps.now(),
      baseline: v.baseline.kind,
      action,
      reason,
      verdict: v,
      guard,
      stale,
      providerErrors,
      baselineReason,
      exposure: c.windows.exposure,
      arms: { treatment: c.mapping.treatment, control: c.mapping.control, source: c.mapping.source },
      stepMs: watchStepMs(watch),
    };
  }

  /** The decision for the newest complete step at `at` (default now): stored if that step was evaluated already. */
  async function evaluate(watch: Watch, opts: { at?: number } = {}): Promise<WatchDecision> {
    const now = opts.at ?? deps.now();
    const step = newestCompleteStep(now, watchStepMs(watch));
    const config = watchConfigHash(watch);
    const stored = deps.store.latest(watch.id);
    const current = stored && stored.configHash === config ? stored.decision : null;
    // A flag change since the stored decision (a ramp or rollback a moment ago) makes it describe the old split: the
    // ramp guard and plans must not act on it, so the same step is decided again with the new change as its start.
    const moved = current !== null && opts.at === undefined && deps.changedSince(watch, current.computedAt);
    if (current && current.step === step && !moved) return current;
    // A look at an older step (a plan replaying the past): computed, not stored, the guard not advanced.
    const persist = !current || step > current.step || moved;
    const key = `${watch.id}\u0000${step}\u0000${config}\u0000${moved ? now : ''}`;
    const running = inFlight.get(key);
    if (running) return running;
    const p = compute(watch, step, config, persist, now).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  /** Evaluate every watch whose newest complete step has not been evaluated yet (the core's tick). */
  async function tick(watches: Watch[]): Promise<number> {
    let evaluated = 0;
    for (const w of watches) {
      const stored = deps.store.latest(w.id);
      const upToDate =
        stored &&
        stored.configHash === watchConfigHash(w) &&
        stored.decision.step >= newestCompleteStep(deps.now(), watchStepMs(w));
      if (upToDate && !deps.changedSince(w, stored.decision.computedAt)) continue;
      try {
        await evaluate(w);
        evaluated++;
      } catch {
        // A watch that cannot be evaluated (deleted connection, bad template) says so when asked; the others go on.
      }
    }
    return evaluated;
  }

  return {
    evaluate,
    tick,
    latest: (watchId: string) => deps.store.latest(watchId)?.decision ?? null,
    forget: (watchId: string) => deps.store.forget(watchId),
  };
}

export type DecisionService = ReturnType<typeof createDecisionService>;
