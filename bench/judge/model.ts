/**
 * A simulated service for the judge simulation benchmark.
 *
 * Traffic: `requestsPerStep` requests per 1-minute step in total (default 3,000 = 50 rps), split between the
 * arms by the exposure: each arm's count is Poisson(total × share) (normal approximation with continuity
 * rounding above λ = 50, exact by multiplication below).
 * Latency: each request's latency is lognormal, median `medianMs` (80 ms) and log-sd `sigma` (0.6), so the
 * true p99 is 80·e^{0.6·2.326} ≈ 324 ms; a slow shared factor exp(0.05·AR(1)) multiplies both arms' latencies
 * in a step (load varies over time; a concurrent control cancels it). A "+x% p99" regression multiplies the
 * treatment's request latencies by 1 + x, which moves every quantile, p99 included, by x.
 * Per-step p99: the nearest-rank 99th percentile of the step's n requests in an arm, i.e. the k-th smallest
 * latency with k = ⌈0.99·n⌉ (a step with no request in an arm is missing → null, dropped by the judge, as a
 * provider would return NaN). Instead of drawing n latencies and selecting the k-th, we draw that order
 * statistic directly from its exact distribution: U₍k₎ ~ Beta(k, n − k + 1) for uniforms, so
 * p99 = median·exp(σ·Φ⁻¹(U₍k₎)) — the same distribution, at O(1) instead of O(n) cost per step
 * (test/stats/bench-model.test.ts checks it against brute force).
 * Errors: each request fails independently with probability `errorRate` (1%); "+0.5 pp" adds 0.005 for the
 * treatment. Per step the count is drawn exactly as Binomial(n, p) by inversion.
 */
import { normalUpperQuantile } from '../../shared/stats/distributions';

export interface ServiceModel {
  requestsPerStep: number;
  medianMs: number;
  sigma: number;
  errorRate: number;
  /** Log-sd of the shared per-step load factor (AR(1) with coefficient 0.9). */
  loadSigma: number;
}

export const DEFAULT_MODEL: ServiceModel = {
  requestsPerStep: 3000,
  medianMs: 80,
  sigma: 0.6,
  errorRate: 0.01,
  loadSigma: 0.05,
};

/** xoshiro128** — fast, seedable, good enough for simulation. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    // splitmix32 to spread the seed over the state
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const result = Math.imul(this.rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = this.rotl(this.d, 11);
    return result / 4294967296;
  }

  private rotl(x: number, k: number): number {
    return (x << k) | (x >>> (32 - k));
  }

  /** Standard normal (Marsaglia polar method, caching the second value). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

export interface ArmStep {
  /** Nearest-rank p99 of this step's request latencies, null when the arm had no requests. */
  p99: number | null;
  requests: number;
  errors: number;
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape ≥ 1 here (order-statistic ranks are ≥ 1). */
export function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(random.next() || 1e-300, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Binomial(n, p) by inversion (sequential search); cost ~ n·p, fine for error counts. */
export function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  const q = 1 - p;
  const ratio = p / q;
  let pmf = Math.pow(q, n);
  if (pmf === 0) return Math.max(0, Math.round(n * p + Math.sqrt(n * p * q) * random.normal())); // n·p huge: normal
  let cdf = pmf;
  const u = random.next();
  let k = 0;
  while (u > cdf && k < n) {
    pmf *= (ratio * (n - k)) / (k + 1);
    k++;
    cdf += pmf;
  }
  return k;
}

/** Standard-normal value of the k-th smallest of n standard normals, drawn exactly via U₍k₎ ~ Beta(k, n − k + 1). */
export function normalOrderStatistic(random: Random, k: number, n: number): number {
  const below = gamma(random, k);
  const above = gamma(random, n - k + 1);
  // 1 − U₍k₎ = above / (below + above): use the upper tail so values near 1 keep their precision.
  return normalUpperQuantile(above / (below + above));
}

/** Simulates one arm for one step. */
export function simulateArmStep(
  random: Random,
  model: ServiceModel,
  share: number,
  latencyFactor: number,
  errorRate: number,
): ArmStep {
  const requests = random.poisson(model.requestsPerStep * share);
  if (requests === 0) return { p99: null, requests: 0, errors: 0 };
  const rank = Math.ceil(0.99 * requests); // nearest rank, 1-based
  const z = normalOrderStatistic(random, rank, requests);
  return {
    p99: model.medianMs * latencyFactor * Math.exp(model.sigma * z),
    requests,
    errors: binomial(random, requests, errorRate),
  };
}

/** The brute-force equivalent of simulateArmStep's p99: draw every request, take the nearest-rank p99. */
export function bruteForceP99(random: Random, model: ServiceModel, requests: number): number {
  const latencies = Float64Array.from(
    { length: requests },
    () => model.medianMs * Math.exp(model.sigma * random.normal()),
  ).sort();
  return latencies[Math.ceil(0.99 * requests) - 1];
}

/** Shared load factor: AR(1) in log space, stationary log-sd = loadSigma. */
export class LoadProcess {
  private level = 0;
  constructor(
    private readonly random: Random,
    private readonly loadSigma: number,
  ) {
    this.level = loadSigma * random.normal();
  }
  next(): number {
    const rho = 0.9;
    this.level = rho * this.level + Math.sqrt(1 - rho * rho) * this.loadSigma * this.random.normal();
    return Math.exp(this.level);
  }
}

// The issue-10 simulation (histogram buckets per arm, three latency models, the regression shapes, one watched
// rollout with the live guard) builds on the primitives above; re-exported so one import serves other simulations
// (e.g. plans): latency-model.ts (models, regressions, buckets), traffic.ts (one step of one arm), scenarios.ts
// (simulateRun: a rollout watched exactly as the core watches it).
export * from './latency-model';
export * from './traffic';
