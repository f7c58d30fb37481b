/**
 * Request latencies of the simulated service and the regressions injected into the treatment, as distribution
 * functions — the simulation draws bucket counts from them, never individual requests.
 *
 * A latency model is a mixture of lognormals (one component: lognormal; a 5 % slow path with a wider spread:
 * heavy-tailed; two well-separated modes: bimodal, e.g. cache hit / miss). The shared per-step load factor f
 * multiplies every latency of both arms: F_f(x) = F(x / f).
 * Regressions of the treatment (each moves the p99 by the stated factor):
 *   scale r      every request ×r                         F_t(x) = F(x/r)
 *   p99-only r   the slowest 2 % ×r (p50 … p98 unchanged)  F_t(x) = F(x) below Q(0.98), max(0.98, F(x/r)) above
 *   variance r   spread around the median widened so that p99 ×r: x ↦ M·(x/M)^k, k = 1 + ln r / ln(Q(0.99)/M)
 */
import { normalCdf } from '../../shared/stats/distributions';

export interface Component {
  weight: number;
  medianMs: number;
  sigma: number;
}

export interface LatencyModel {
  name: string;
  description: string;
  components: Component[];
}

export const LATENCY_MODELS: LatencyModel[] = [
  {
    name: 'lognormal',
    description: 'lognormal, median 80 ms, log-sd 0.6 (p99 ≈ 324 ms)',
    components: [{ weight: 1, medianMs: 80, sigma: 0.6 }],
  },
  {
    name: 'heavy-tailed',
    description: '95 % lognormal(70 ms, 0.45) + 5 % slow path lognormal(400 ms, 0.9)',
    components: [
      { weight: 0.95, medianMs: 70, sigma: 0.45 },
      { weight: 0.05, medianMs: 400, sigma: 0.9 },
    ],
  },
  {
    name: 'bimodal',
    description: '70 % cache hits lognormal(40 ms, 0.3) + 30 % misses lognormal(250 ms, 0.3)',
    components: [
      { weight: 0.7, medianMs: 40, sigma: 0.3 },
      { weight: 0.3, medianMs: 250, sigma: 0.3 },
    ],
  },
];

export function modelCdf(model: LatencyModel, x: number): number {
  if (!(x > 0)) return 0;
  let p = 0;
  for (const c of model.components) p += c.weight * normalCdf(Math.log(x / c.medianMs) / c.sigma);
  return p;
}

/** Q(u) by bisection on the log scale. */
export function modelQuantile(model: LatencyModel, u: number): number {
  let lo = Math.log(1e-3);
  let hi = Math.log(1e7);
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (modelCdf(model, Math.exp(mid)) < u) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

export type RegressionShape = 'none' | 'scale' | 'p99-only' | 'variance';

export interface Regression {
  shape: RegressionShape;
  /** The factor on the p99 (1.25 = +25 %). */
  factor: number;
}

export const NO_REGRESSION: Regression = { shape: 'none', factor: 1 };

/** The treatment's CDF at x under load factor f (shared by both arms). */
export type Cdf = (x: number) => number;

export function armCdf(model: LatencyModel, load: number, regression: Regression): Cdf {
  const base: Cdf = (x) => modelCdf(model, x / load);
  const r = regression.factor;
  switch (regression.shape) {
    case 'none':
      return base;
    case 'scale':
      return (x) => base(x / r);
    case 'p99-only': {
      const q98 = modelQuantile(model, 0.98) * load;
      return (x) => (x < q98 ? base(x) : Math.max(0.98, base(x / r)));
    }
    case 'variance': {
      const median = modelQuantile(model, 0.5) * load;
      const k = 1 + Math.log(r) / Math.log(modelQuantile(model, 0.99) / modelQuantile(model, 0.5));
      return (x) => (x > 0 ? base(median * Math.pow(x / median, 1 / k)) : 0);
    }
  }
}

/** Bucket upper bounds: exponential ×2^(1/4) from 1 ms (a native-histogram schema-2 layout) to ~55 s, then +Inf. */
export const BUCKETS: Array<number | null> = [
  ...Array.from({ length: 64 }, (_, k) => Number(Math.pow(2, k / 4).toPrecision(6))),
  null,
];

/** Probability of each bucket under a CDF. */
export function bucketShares(cdf: Cdf, bounds: ReadonlyArray<number | null> = BUCKETS): Float64Array {
  const out = new Float64Array(bounds.length);
  let previous = 0;
  bounds.forEach((b, i) => {
    const p = b === null ? 1 : cdf(b);
    out[i] = Math.max(0, p - previous);
    previous = Math.max(previous, p);
  });
  return out;
}
