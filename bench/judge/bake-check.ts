/**
 * The bake-time check of the judge simulation: what `bakeTimeForJudge` predicts — from what the core would have
 * (a pilot window of the control's merged buckets and per-minute p99s, the canary's per-minute p99s, the error
 * rate, the per-step request counts) — against the simulated time at which the judge's fixed-horizon verdict fails the regression in 80 % of
 * runs.
 *
 * One pilot is one draw: a 30-minute pilot of a small arm's per-minute p99s can put the same service's
 * prediction anywhere from 14 to 500 minutes. So the check predicts from PILOTS independent pilots and reports
 * their median (what is compared with the simulation) and their 10th–90th percentiles (how far one pilot — what
 * the core has on a given day — can land from it).
 */
import { bakeTimeForJudge } from '../../shared/stats/bake-judge';
import { BUCKETS, LATENCY_MODELS, NO_REGRESSION } from './latency-model';
import { LoadProcess, Random } from './model';
import type { Path, RunRecord } from './scenarios';
import { DEFAULT_TRAFFIC, simulateArmTraffic } from './traffic';

const PILOT_STEPS = 30;
export const PILOTS = 15;

export interface BakePrediction {
  histogram: number | null;
  perMinute: number | null;
  errors: number | null;
}

/** Predicted minutes to power 0.8 for a ×target latency regression (or +errorAdded) at this exposure. */
export function predictBake(
  modelName: string,
  exposure: number,
  target: number,
  errorAdded: number,
  seed = 77,
): BakePrediction {
  const model = LATENCY_MODELS.find((m) => m.name === modelName);
  if (!model) throw new Error(`unknown latency model ${modelName}`);
  const random = new Random(seed);
  const load = new LoadProcess(random, DEFAULT_TRAFFIC.loadSigma);
  const counts = new Float64Array(BUCKETS.length);
  const perMinute: Array<number | null> = [];
  const canaryPerMinute: Array<number | null> = [];
  for (let s = 0; s < PILOT_STEPS; s++) {
    const f = load.next();
    const c = simulateArmTraffic(
      random,
      DEFAULT_TRAFFIC,
      model,
      1 - exposure,
      f,
      NO_REGRESSION,
      DEFAULT_TRAFFIC.errorRate,
    );
    const t = simulateArmTraffic(random, DEFAULT_TRAFFIC, model, exposure, f, NO_REGRESSION, DEFAULT_TRAFFIC.errorRate);
    c.buckets.forEach((v, k) => (counts[k] += v));
    perMinute.push(c.p99);
    canaryPerMinute.push(t.p99);
  }
  const common = {
    stepMs: 60_000,
    stepsSoFar: 0,
    perStepRequests: {
      treatment: DEFAULT_TRAFFIC.requestsPerStep * exposure,
      control: DEFAULT_TRAFFIC.requestsPerStep * (1 - exposure),
    },
    maxMinutes: 24 * 60,
  };
  const minutes = (x: Parameters<typeof bakeTimeForJudge>[0]) => bakeTimeForJudge(x).minutesTotal;
  return {
    histogram:
      target > 1
        ? minutes({
            ...common,
            kind: 'histogram',
            targetRegression: target,
            baseline: { bounds: BUCKETS, counts: Array.from(counts) },
          })
        : null,
    perMinute:
      target > 1
        ? minutes({
            ...common,
            kind: 'latency',
            targetRegression: target,
            baseline: perMinute,
            canary: canaryPerMinute,
          })
        : null,
    errors:
      errorAdded > 0
        ? minutes({
            ...common,
            kind: 'errors',
            targetRegression: errorAdded,
            baseline: { rate: DEFAULT_TRAFFIC.errorRate },
          })
        : null,
  };
}

type Minutes = number | null;

export interface BakeSpread {
  /** The median prediction over the pilots (null: > 24 h). */
  median: Minutes;
  /** 10th and 90th percentile of one pilot's prediction (null: > 24 h). */
  p10: Minutes;
  p90: Minutes;
}

/** Order statistic of predictions where null (> 24 h) sorts last. */
function percentile(values: Minutes[], q: number): Minutes {
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
  return Number.isFinite(v) ? v : null;
}

/** predictBake from PILOTS independent pilots: their median and spread per path. */
export function predictBakeSpread(
  modelName: string,
  exposure: number,
  target: number,
  errorAdded: number,
): Record<keyof BakePrediction, BakeSpread> {
  const pilots = Array.from({ length: PILOTS }, (_, i) =>
    predictBake(modelName, exposure, target, errorAdded, 77 + 1009 * i),
  );
  const spread = (path: keyof BakePrediction): BakeSpread => {
    const values = pilots.map((p) => p[path]);
    return { median: percentile(values, 0.5), p10: percentile(values, 0.1), p90: percentile(values, 0.9) };
  };
  return { histogram: spread('histogram'), perMinute: spread('perMinute'), errors: spread('errors') };
}

/** First step at which ≥ 80 % of runs have a fixed-horizon fail (null if not within the steps every run reached). */
export function simulatedBake(records: RunRecord[], path: Path): number | null {
  const reach = Math.min(...records.map((r) => r.fails[path].length));
  for (let t = 1; t <= reach; t++) {
    const failing = records.filter((r) => r.fails[path][t - 1] === '1').length;
    if (failing >= 0.8 * records.length) return t;
  }
  return null;
}
