import { RampartError } from '../../shared/errors';
import type { InstantSample, MetricsCapabilities, MetricsProvider, Series } from '../metrics/metrics-provider';
import { chooseStepMs } from '../metrics/prometheus/step';
import { createAssignmentCache } from './sim/assignment';
import { variantOrder, type ServiceModel } from './sim/services';
import { simulateStep, type ArmStats, type StepStats } from './sim/step';
import { treatedShares, type TimelineEntry } from './sim/timeline';
import {
  parseSimulatedQuery,
  SIMULATED_METRICS,
  SIMULATED_VARIANT_LABEL,
  SIMULATED_WINDOW_METRICS,
  type SimulatedMetric,
} from './simulated-query';
import { windowSamples } from './simulated-window';
import { setBounded } from '../../shared/bounded-map';

export type { TimelineEntry } from './sim/timeline';

export interface SimulatedProviderOptions {
  connectionId: string;
  /** The flag's states over time, oldest first (the core replays stored changes plus the live file). */
  timeline: (flagKey: string) => readonly TimelineEntry[] | Promise<readonly TimelineEntry[]>;
  now?: () => number;
}

const CAPABILITIES: MetricsCapabilities = { maxPointsPerSeries: 11_000, nativePercentiles: true, timeUnit: 'ms' };
const MIN_STEP_MS = 1_000;
/** Recently simulated ranges: the series view asks for every metric of a watch over the same steps at once. */
const BLOCKS_KEPT = 24;

function valueOf(metric: SimulatedMetric, s: ArmStats, stepSeconds: number): number {
  switch (metric) {
    case 'request_rate':
      return s.requests / stepSeconds;
    case 'error_ratio':
      return s.requests > 0 ? s.errors / s.requests : NaN;
    case 'requests':
      return s.requests;
    case 'errors':
      return s.errors;
    default:
      return s[metric];
  }
}

/**
 * The demo's metrics provider: a simulated service per demo flag whose traffic is routed by the real flagd
 * evaluator over a pool of synthetic users, following the flag's timeline — ramp the demo flag and the next
 * steps' traffic mix, tail latency and error rate follow. See simulated-query.ts for the query language and
 * sim/step.ts for the traffic model. Data exists for any past time up to `now()`.
 */
export function createSimulatedProvider(opts: SimulatedProviderOptions): MetricsProvider {
  const now = opts.now ?? Date.now;
  const assignments = createAssignmentCache();
  const blocks = new Map<string, StepStats[]>();

  /** The stats of every step of a range, computed once for all the metrics asked over it. */
  function simulateRange(model: ServiceModel, t: Float64Array, stepMs: number, shares: Float64Array): StepStats[] {
    let h = 0;
    for (let i = 0; i < shares.length; i++) h = (Math.imul(h, 31) + Math.round(shares[i] * 1e9)) | 0;
    const key = `${model.service}|${stepMs}|${t[0]}|${t.length}|${h}`;
    const hit = blocks.get(key);
    if (hit) {
      blocks.delete(key);
      blocks.set(key, hit); // most recently used last
      return hit;
    }
    const stats = Array.from(t, (end, i) => simulateStep(model, end, stepMs, shares[i], { overallLatency: true }));
    setBounded(blocks, key, stats, BLOCKS_KEPT);
    return stats;
  }

  /** Step stats over (from − step, …, to], for a model: the shared engine of range and instant queries. */
  async function stepsOver(model: ServiceModel, first: number, count: number, stepMs: number) {
    const entries = await opts.timeline(model.flagKey);
    const t = new Float64Array(count);
    for (let i = 0; i < count; i++) t[i] = first + i * stepMs;
    const shares = treatedShares(entries, t, stepMs, (state) => assignments.get(model, state).share);
    return { t, shares, steps: count > 0 ? simulateRange(model, t, stepMs, shares) : [] };
  }

  const provider: MetricsProvider = {
    connectionId: opts.connectionId,
    capabilities: () => ({ ...CAPABILITIES }),

    async instant(query: string, at: number): Promise<InstantSample[]> {
      return windowSamples(query, Math.min(at, now()), stepsOver);
    },

    async listMetrics() {
      const names = [...new Set([...SIMULATED_METRICS, ...SIMULATED_WINDOW_METRICS])];
      return names.map((name) => ({
        name,
        type: name === 'buckets' ? 'histogram' : 'gauge',
        unit: null,
        help: 'demo: simulated service',
      }));
    },

    async check(probe: string | null) {
      const checks = [
        {
          name: 'simulated service',
          ok: true,
          detail: 'the demo service is simulated inside Rampart: nothing to contact',
        },
      ];
      if (probe === null) return checks;
      try {
        const t = now();
        const got = probe.includes('[')
          ? await windowSamples(probe, t, stepsOver)
          : await provider.range(probe, t - 600_000, t, 60_000);
        checks.push({
          name: 'probe query',
          ok: got.length > 0,
          detail: got.length > 0 ? `${got.length} series match ${probe}` : `no series match ${probe}`,
        });
      } catch (e) {
        checks.push({ name: 'probe query', ok: false, detail: e instanceof Error ? e.message : String(e) });
      }
      return checks;
    },

    async range(query: string, from: number, to: number, stepMs: number, signal?: AbortSignal): Promise<Series[]> {
      const q = parseSimulatedQuery(query);
      const bad = (why: string): never => {
        throw new RampartError('bad_request', `Simulated service: ${why} for query \`${query}\``, { query });
      };
      if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) bad(`bad time range ${from} – ${to}`);
      if (!Number.isInteger(stepMs) || stepMs < MIN_STEP_MS)
        bad(`step must be a whole number of ms ≥ ${MIN_STEP_MS}, got ${stepMs}`);
      const end = Math.min(to, now());
      const countAt = (step: number) => {
        const start = Math.ceil(from / step) * step;
        return start > end ? 0 : Math.floor((end - start) / step) + 1;
      };
      // Like Prometheus and Datadog: a range of more points than a series holds is answered at a coarser step.
      if (countAt(stepMs) > CAPABILITIES.maxPointsPerSeries)
        stepMs = chooseStepMs(from, end, stepMs, CAPABILITIES.maxPointsPerSeries);
      const first = Math.ceil(from / stepMs) * stepMs;
      const count = countAt(stepMs);
      signal?.throwIfAborted();

      const model = q.model;
      const { t, steps } = await stepsOver(model, first, count, stepMs);
      const variants = variantOrder(model);
      const overall = new Float64Array(count);
      const perVariant = variants.map(() => new Float64Array(count));
      const stepSeconds = stepMs / 1000;
      for (let i = 0; i < count; i++) {
        const stats = steps[i];
        overall[i] = valueOf(q.metric, stats.overall, stepSeconds);
        variants.forEach((v, k) => (perVariant[k][i] = valueOf(q.metric, stats.arms[v], stepSeconds)));
      }
      if (!q.byVariant) return [{ labels: { service: model.service }, t, v: overall }];
      return variants.map((variant, k) => ({
        labels: { service: model.service, [SIMULATED_VARIANT_LABEL]: variant },
        t: k === 0 ? t : t.slice(),
        v: perVariant[k],
      }));
    },
  };
  return provider;
}
