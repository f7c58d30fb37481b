import { createRng, hashString, normalCdf, normalQuantile, type Rng } from './random';
import { variantOrder, type ServiceModel } from './services';

/**
 * One step of one simulated service: how many requests arrived in (T − step, T], how they split across the
 * flag's variants, how many failed, and their p50/p95/p99 latency — overall and per variant.
 *
 * Requests are Poisson(rate × step) with a diurnal rate. Each request comes from a user drawn uniformly from the
 * synthetic pool, so the number served the treatment is Binomial(n, share of the pool flagd buckets into the
 * treatment) — drawn in one go rather than user by user, which is the same distribution and keeps a day of data
 * cheap. Latencies are lognormal per variant; a step's quantile is the quantile of its n samples, drawn through
 * the order-statistic approximation (exact sampling below 30 requests), so small arms are as noisy as they would
 * be in production. The overall quantile is the quantile of the per-variant mixture, consistent with the arms.
 */

export const QUANTILE_LEVELS = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
export type QuantileName = keyof typeof QUANTILE_LEVELS;
const QUANTILE_NAMES = Object.keys(QUANTILE_LEVELS) as QuantileName[];

export interface ArmStats {
  requests: number;
  errors: number;
  /** Latency quantiles in ms; NaN when the arm had no request in this step. */
  p50: number;
  p95: number;
  p99: number;
  /** The arm's latency distribution in this step: lognormal(logMedian, sigma) in ms (NaN for the overall mix). */
  logMedian: number;
  sigma: number;
}

export interface StepStats {
  overall: ArmStats;
  /** Keyed by variant name, treatment first. */
  arms: Record<string, ArmStats>;
}

const HOUR_MS = 3_600_000;
const WOBBLE_KNOT_MS = 600_000;
/** Exact sampling of quantiles below this many requests in an arm; the order-statistic approximation above. */
const EXACT_BELOW = 30;

function smoothNoise(key: string, t: number, knotMs: number): number {
  const k = Math.floor(t / knotMs);
  const f = t / knotMs - k;
  const at = (i: number) => normalQuantile((hashString(`${key}|${i}`) + 0.5) / 4294967296);
  const s = f * f * (3 - 2 * f);
  return at(k) * (1 - s) + at(k + 1) * s;
}

/** Traffic relative to the daily peak (0.35 at 03:00 UTC … 1 at 15:00 UTC), with a slow ±8 % wobble. */
export function loadFactor(service: string, t: number): number {
  const hour = (((t / HOUR_MS) % 24) + 24) % 24;
  const diurnal = 0.35 + 0.65 * (0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - 15)) / 24));
  return diurnal * Math.exp(0.08 * smoothNoise(`${service}|load`, t, WOBBLE_KNOT_MS));
}

function quantileOfArm(rng: Rng, n: number, mu: number, sigma: number): Record<QuantileName, number> {
  const out = { p50: NaN, p95: NaN, p99: NaN };
  if (n === 0) return out;
  if (n < EXACT_BELOW) {
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) samples[i] = Math.exp(mu + sigma * rng.normal());
    samples.sort();
    for (const name of QUANTILE_NAMES) out[name] = samples[Math.max(0, Math.ceil(QUANTILE_LEVELS[name] * n) - 1)];
    return out;
  }
  for (const name of QUANTILE_NAMES) {
    const p = QUANTILE_LEVELS[name];
    const spread = Math.sqrt((p * (1 - p)) / (n + 2));
    const level = Math.min(n / (n + 1), Math.max(1 / (n + 1), p + spread * rng.normal()));
    out[name] = Math.exp(mu + sigma * normalQuantile(level));
  }
  return out;
}

interface ArmDraw {
  n: number;
  mu: number;
  sigma: number;
  q: Record<QuantileName, number>;
}

/** Quantile of the mixture of arms, each lognormal shifted so its own p-quantile is its drawn value. */
function mixtureQuantile(arms: ArmDraw[], name: QuantileName): number {
  const live = arms.filter((a) => a.n > 0);
  if (live.length === 0) return NaN;
  if (live.length === 1) return live[0].q[name];
  const p = QUANTILE_LEVELS[name];
  const z = normalQuantile(p);
  const total = live.reduce((s, a) => s + a.n, 0);
  const parts = live.map((a) => ({ w: a.n / total, sigma: a.sigma, mu: Math.log(a.q[name]) - a.sigma * z }));
  let lo = Math.min(...live.map((a) => Math.log(a.q[name])));
  let hi = Math.max(...live.map((a) => Math.log(a.q[name])));
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    const cdf = parts.reduce((s, c) => s + c.w * normalCdf((mid - c.mu) / c.sigma), 0);
    if (cdf < p) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

export interface StepOptions {
  /** Compute the overall latency quantiles (a bisection per quantile); the arms' are always computed. */
  overallLatency: boolean;
}

/**
 * The stats of the step ending at `stepEnd` (exclusive start `stepEnd − stepMs`). `treatedShare` is the share of
 * the user pool flagd served the treatment during the step (time-weighted when the flag changed mid-step).
 * Deterministic: the generator is seeded by service, step size and step end only.
 */
export function simulateStep(
  model: ServiceModel,
  stepEnd: number,
  stepMs: number,
  treatedShare: number,
  opts: StepOptions,
): StepStats {
  const rng = createRng(hashString(`${model.service}|${stepMs}|${stepEnd}`));
  const mid = stepEnd - stepMs / 2;
  const load = loadFactor(model.service, mid);
  const n = rng.poisson(model.peakRps * load * (stepMs / 1000));
  const nTreated = rng.binomial(n, treatedShare);

  // Shared by both arms: busier hours are a bit slower; now and then a noisy neighbour slows everything.
  let slowdown = Math.exp(0.04 * rng.normal()) * (1 + 0.2 * (load - 0.6));
  let errorBoost = 1;
  if (rng.next() < 0.003) {
    slowdown *= 1.2 + 0.3 * rng.next();
    errorBoost = 2.5;
  }

  const [treatment, control] = variantOrder(model);
  const arms: Record<string, ArmStats> = {};
  const draws: ArmDraw[] = [];
  for (const [variant, count] of [
    [treatment, nTreated],
    [control, n - nTreated],
  ] as const) {
    const b = model.behaviour[variant];
    const mu = Math.log(b.medianMs * slowdown);
    const errors = rng.binomial(count, Math.min(1, b.errorRate * errorBoost));
    const q = quantileOfArm(rng, count, mu, b.sigma);
    arms[variant] = { requests: count, errors, ...q, logMedian: mu, sigma: b.sigma };
    draws.push({ n: count, mu, sigma: b.sigma, q });
  }
  const overallQ = opts.overallLatency
    ? { p50: mixtureQuantile(draws, 'p50'), p95: mixtureQuantile(draws, 'p95'), p99: mixtureQuantile(draws, 'p99') }
    : { p50: NaN, p95: NaN, p99: NaN };
  const errors = arms[treatment].errors + arms[control].errors;
  return { overall: { requests: n, errors, ...overallQ, logMedian: NaN, sigma: NaN }, arms };
}
