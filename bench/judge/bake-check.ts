/**
 * The bake-time check of the judge simulation: what `bakeTimeForJudge` predicts — from what the core would have
 * (a pilot window of the control's merged buckets and per-minute p99s, the canary's per-minute p99s, the error
 * rate, the per-step request counts) — against the simulated time at which the judge's fixed-horizon verdict fails the regression in 80 % of
 * runs.
 */
import { bakeTimeForJudge } from '../../shared/stats/bake-judge';
import { BUCKETS, LATENCY_MODELS, NO_REGRESSION } from './latency-model';
import { LoadProcess, Random } from './model';
import type { Path, RunRecord } from './scenarios';
import { DEFAULT_TRAFFIC, simulateArmTraffic } from './traffic';

const PILOT_STEPS = 30;

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

/** First step at which ≥ 80 % of runs have a fixed-horizon fail (null if not within the steps every run reached). */
export function simulatedBake(records: RunRecord[], path: Path): number | null {
  const reach = Math.min(...records.map((r) => r.fails[path].length));
  for (let t = 1; t <= reach; t++) {
    const failing = records.filter((r) => r.fails[path][t - 1] === '1').length;
    if (failing >= 0.8 * records.length) return t;
  }
  return null;
}
