/**
 * One simulated rollout watched live, exactly as the core will watch it (docs/statistics.md "Watching live"):
 * treatment vs concurrent control over a window that grows by one 1-minute step at a time; the judge runs once per
 * new data step; the live guard (`guardStep`) is called at EVERY look — `looksPerStep` looks per step, 12 for a
 * UI refreshing every 5 s — with the latest step's metrics and verdicts, as a core answering every viewer would.
 * Three metrics: the p99 from merged histogram buckets, the per-minute p99 (each minute's histogram_quantile, the
 * fallback path) and the error rate. Guards: one per metric, and one per watch (p99 path + errors).
 */
import { BUCKETS, LATENCY_MODELS, NO_REGRESSION, type Regression } from './latency-model';
import { LoadProcess, Random } from './model';
import { DEFAULT_TRAFFIC, simulateArmTraffic, type TrafficModel } from './traffic';
import type { JudgeMetricInput, MetricVerdict } from '../../shared/domain/verdict';
import { guardStep, type GuardState } from '../../shared/stats/guard';
import { judge } from '../../shared/stats/judge';

export const PATHS = ['histogram', 'perMinute', 'errors'] as const;
export type Path = (typeof PATHS)[number];
export const WATCHES = ['histogramWatch', 'perMinuteWatch'] as const;
export type WatchName = (typeof WATCHES)[number];
const WATCH_METRICS: Record<WatchName, Path[]> = {
  histogramWatch: ['histogram', 'errors'],
  perMinuteWatch: ['perMinute', 'errors'],
};

export interface RunOptions {
  model: string;
  traffic?: TrafficModel;
  exposure: number;
  /** Maximum steps (minutes). */
  steps: number;
  latency: Regression;
  /** Added error probability of the treatment (0.005 = +0.5 pp). */
  errorAdded: number;
  looksPerStep: number;
  /** Stop once the guards of these paths have acted and at least `minSteps` steps ran (detection runs). */
  stopPaths: Path[];
  minSteps: number;
  /** The metrics judged and guarded (default all three); watch guards run only when all of theirs are judged. */
  paths?: Path[];
  seed: number;
}

export interface RunRecord {
  steps: number;
  /** Look (1-based, counted over the whole run) at which each guard first acted. */
  actLook: Record<Path | WatchName, number | null>;
  actStep: Record<Path | WatchName, number | null>;
  trigger: Record<Path, string | null>;
  /** One character per step: 1 when the fixed-horizon verdict of the path was fail, else 0. */
  fails: Record<Path, string>;
  /** At the last step: does the fixed-horizon relative interval exclude 0 (for coverage on identical arms)? */
  excludesZero: Record<Path, boolean | null>;
}

const NAMES: Record<Path, string> = { histogram: 'p99_hist', perMinute: 'p99_ms', errors: 'errors' };

function record<K extends string, V>(keys: readonly K[], value: () => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value()])) as Record<K, V>;
}

export function simulateRun(o: RunOptions): RunRecord {
  const model = LATENCY_MODELS.find((m) => m.name === o.model);
  if (!model) throw new Error(`unknown latency model ${o.model}`);
  const traffic = o.traffic ?? DEFAULT_TRAFFIC;
  const random = new Random(o.seed);
  const load = new LoadProcess(random, traffic.loadSigma);
  const tBuckets = new Float64Array(BUCKETS.length);
  const cBuckets = new Float64Array(BUCKETS.length);
  const tP99: Array<number | null> = [];
  const cP99: Array<number | null> = [];
  const counts = { te: 0, tn: 0, ce: 0, cn: 0 };
  const guards = record<Path | WatchName, GuardState | null>([...PATHS, ...WATCHES], () => null);
  const out: RunRecord = {
    steps: 0,
    actLook: record([...PATHS, ...WATCHES], () => null),
    actStep: record([...PATHS, ...WATCHES], () => null),
    trigger: record(PATHS, () => null),
    fails: record(PATHS, () => ''),
    excludesZero: record(PATHS, () => null),
  };
  const paths = o.paths ?? [...PATHS];
  const guarded: Array<Path | WatchName> = [
    ...paths,
    ...WATCHES.filter((w) => WATCH_METRICS[w].every((p) => paths.includes(p))),
  ];
  let look = 0;
  for (let step = 1; step <= o.steps; step++) {
    const f = load.next();
    const t = simulateArmTraffic(random, traffic, model, o.exposure, f, o.latency, traffic.errorRate + o.errorAdded);
    const c = simulateArmTraffic(random, traffic, model, 1 - o.exposure, f, NO_REGRESSION, traffic.errorRate);
    for (let k = 0; k < BUCKETS.length; k++) {
      tBuckets[k] += t.buckets[k];
      cBuckets[k] += c.buckets[k];
    }
    tP99.push(t.p99);
    cP99.push(c.p99);
    counts.te += t.errors;
    counts.tn += t.requests;
    counts.ce += c.errors;
    counts.cn += c.requests;
    const metrics: Record<Path, JudgeMetricInput> = {
      histogram: {
        name: NAMES.histogram,
        kind: 'histogram',
        quantile: 0.99,
        bounds: BUCKETS,
        baseline: Array.from(cBuckets),
        canary: Array.from(tBuckets),
      },
      perMinute: { name: NAMES.perMinute, kind: 'latency', baseline: [...cP99], canary: [...tP99] },
      errors: {
        name: NAMES.errors,
        kind: 'errors',
        baseline: { errors: counts.ce, total: counts.cn },
        canary: { errors: counts.te, total: counts.tn },
      },
    };
    const verdicts = judge({ metrics: paths.map((p) => metrics[p]) }).metrics;
    const byPath = Object.fromEntries(paths.map((p, i) => [p, verdicts[i]])) as Record<Path, MetricVerdict>;
    for (const p of paths) {
      out.fails[p] += byPath[p].verdict === 'fail' ? '1' : '0';
      const ci = byPath[p].relativeCi;
      out.excludesZero[p] = ci ? ci[0] > 0 || ci[1] < 0 : null;
    }
    for (let l = 0; l < o.looksPerStep; l++) {
      look++;
      for (const g of guarded) {
        const paths = (WATCHES as readonly string[]).includes(g) ? WATCH_METRICS[g as WatchName] : [g as Path];
        const r = guardStep(guards[g], {
          windowKey: 'w',
          step,
          metrics: paths.map((p) => metrics[p]),
          verdicts: paths.map((p) => byPath[p]),
          confidence: 0.98,
        });
        guards[g] = r.state;
        if (r.guard.act && out.actLook[g] === null) {
          out.actLook[g] = look;
          out.actStep[g] = step;
          if ((PATHS as readonly string[]).includes(g)) out.trigger[g as Path] = r.guard.trigger;
        }
      }
    }
    out.steps = step;
    if (o.stopPaths.length > 0 && step >= o.minSteps && o.stopPaths.every((p) => out.actStep[p] !== null)) break;
  }
  return out;
}
