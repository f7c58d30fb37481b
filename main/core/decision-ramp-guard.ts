import type { Watch } from '../../shared/domain/metrics';
import type { DecisionService } from './decision-service';

/**
 * Whether metrics allow a ramp now, from the ONE decision of the flag's watch (docs/design.md "One decision, many
 * consumers"): blocked when it says roll back, when the verdict fails on data, or when the metrics are down or have
 * no data — except the first step of a rollout (exposure 0 → first rung), which is what a canary is for and never
 * has treatment data before it. Evaluating here counts no extra look: the decision is per data step.
 */
export function rampGuardFor(deps: {
  watchFor: (connectionId: string, flagKey: string, env: string) => Watch | undefined;
  decisions: Pick<DecisionService, 'evaluate'>;
  /** The flag's live state in the store (the ramp reads it anyway): is anyone exposed now? */
  live: (watch: Watch) => Promise<{ enabled: boolean; exposure: number | null }>;
}) {
  return async ({ connectionId, flagKey, env }: { connectionId: string; flagKey: string; env: string }) => {
    const watch = deps.watchFor(connectionId, flagKey, env);
    if (!watch) return { ok: true, reason: 'no watch for this flag: nothing to check' };
    const live = await deps.live(watch).catch(() => null);
    const exposed = live ? (live.enabled ? (live.exposure ?? 100) : 0) : null;
    if (exposed === 0)
      return {
        ok: true,
        reason: 'first step of the rollout: no one is exposed yet, so there is no treatment data to wait for',
      };
    const d = await deps.decisions.evaluate(watch);
    const detail = {
      watchId: watch.id,
      step: d.step,
      action: d.action,
      baseline: d.baseline,
      verdict: d.verdict.verdict,
      score: d.verdict.score,
      reason: d.reason,
    };
    if (d.action === 'rollback') return { ok: false, reason: `the decision says roll back: ${d.guard.reason}`, detail };
    if (d.stale) return { ok: false, reason: `the metrics are down (${d.stale.message})`, detail };
    if (d.verdict.verdict === 'fail') {
      const failing = d.verdict.metrics.filter((m) => m.verdict === 'fail').map((m) => m.name);
      return {
        ok: false,
        reason: `the current step fails its verdict (${failing.join(', ') || `score ${d.verdict.score.toFixed(0)}`})`,
        detail,
      };
    }
    if (d.verdict.verdict === 'inconclusive')
      return {
        ok: false,
        reason: `the metrics have no usable data yet (${d.verdict.reason ?? 'inconclusive'})`,
        detail,
      };
    return { ok: true, reason: d.reason, detail };
  };
}
