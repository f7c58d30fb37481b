import { RampartError } from '../../shared/errors';
import type { InstantSample } from '../metrics/metrics-provider';
import { variantOrder, type ServiceModel } from './sim/services';
import type { StepStats } from './sim/step';
import { armBuckets, DEMO_BUCKET_BOUNDS_MS, distinctUsers } from './sim/window-stats';
import { parseSimulatedWindowQuery, SIMULATED_VARIANT_LABEL } from './simulated-query';

export type StepsOver = (
  model: ServiceModel,
  first: number,
  count: number,
  stepMs: number,
) => Promise<{ t: Float64Array; shares: Float64Array; steps: StepStats[] }>;

const STEP_CHOICES_MS = [60_000, 30_000, 20_000, 15_000, 10_000, 5_000, 1_000];
const MAX_STEPS = 11_000;

/** Bucket bounds as Prometheus writes `le`: the bound, or +Inf. */
const LE = [...DEMO_BUCKET_BOUNDS_MS.map(String), '+Inf'];

/**
 * The demo's instant queries (simulated-query.ts): sums over the steps in (at − window, at], at the coarsest step
 * that tiles the window — the same steps, and so the same simulated requests, as the per-step series. Buckets come
 * out CUMULATIVE per `le`, as `increase(…_bucket[w])` does in Prometheus, so the core reads both the same way.
 */
export async function windowSamples(query: string, at: number, stepsOver: StepsOver): Promise<InstantSample[]> {
  const q = parseSimulatedWindowQuery(query);
  const stepMs = STEP_CHOICES_MS.find((s) => q.windowMs % s === 0) ?? 1_000;
  const count = Math.floor(q.windowMs / stepMs);
  if (count > MAX_STEPS)
    throw new RampartError(
      'bad_request',
      `Simulated service: a window of ${count} steps is more than ${MAX_STEPS}; use a shorter window for \`${query}\``,
    );
  const last = Math.floor(at / stepMs) * stepMs;
  const { t, shares, steps } = await stepsOver(q.model, last - (count - 1) * stepMs, count, stepMs);
  const variants = variantOrder(q.model);
  const service = q.model.service;
  const arms = q.byVariant ? variants.map((v) => [v]) : [variants];
  const labelsOf = (group: string[]): Record<string, string> =>
    q.byVariant ? { service, [SIMULATED_VARIANT_LABEL]: group[0] } : { service };
  const meanShare = shares.length > 0 ? shares.reduce((a, b) => a + b, 0) / shares.length : 0;

  const out: InstantSample[] = [];
  for (const group of arms) {
    const sum = (pick: (s: StepStats, v: string) => number) =>
      steps.reduce((acc, s) => acc + group.reduce((a, v) => a + pick(s, v), 0), 0);
    if (q.metric === 'requests') out.push({ labels: labelsOf(group), value: sum((s, v) => s.arms[v].requests) });
    else if (q.metric === 'errors') out.push({ labels: labelsOf(group), value: sum((s, v) => s.arms[v].errors) });
    else if (q.metric === 'users') {
      const requests = sum((s, v) => s.arms[v].requests);
      const poolShare = group.length > 1 ? 1 : group[0] === variants[0] ? meanShare : 1 - meanShare;
      out.push({
        labels: labelsOf(group),
        value: distinctUsers(requests, poolShare, `${service}|${stepMs}|${last}|${q.windowMs}|${group.join('+')}`),
      });
    } else {
      const counts = new Array<number>(LE.length).fill(0);
      steps.forEach((s, i) => {
        for (const v of group)
          armBuckets(s.arms[v], `${service}|${stepMs}|${t[i]}|${v}`).forEach((c, k) => (counts[k] += c));
      });
      let cumulative = 0;
      counts.forEach((c, k) => {
        cumulative += c;
        out.push({ labels: { ...labelsOf(group), le: LE[k] }, value: cumulative });
      });
    }
  }
  return out;
}
