import { createWriteStream } from 'node:fs';

/**
 * A day of OpenMetrics history for one HTTP service, as an OpenTelemetry SDK exporting to Prometheus would record
 * it: the histogram `http_server_request_duration_seconds` (`_bucket`, `_count`, `_sum`) split by
 * `http_response_status_code` (so each status has its own `_count` counter) and by the evaluated variant
 * (`feature_flag_result_variant` = "on" | "off").
 *
 * From `regressionAt` on, the "on" variant gets a KNOWN regression: every latency ×1.5 and 5xx 0.5% → 3%.
 * The "off" variant never changes. Latency is log-normal (median 120 ms, σ 0.5); counts are drawn with a
 * seeded generator, so a seed gives the same file every time.
 *
 * Bucket boundaries are finer than the OpenTelemetry SDK default. With the default ones (…0.25, 0.5, 0.75…) a
 * true ×1.5 shift of this distribution shows as only ×1.36 at p99 after histogram_quantile's linear
 * interpolation: the tail sits inside the wide 0.25–0.5 bucket. The SDK lets services set boundaries (a View).
 */
export const BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1, 1.5, 2, 2.5, 5, 7.5, 10,
];
export const METRIC = 'http_server_request_duration_seconds';

export interface HistoryProfile {
  /** Requests per second at the daily mean, per variant; the variant named "on" regresses. */
  rps: Record<string, number>;
  medianSec: number;
  sigma: number;
  errorRatio: number;
  regressedErrorRatio: number;
  latencyFactor: number;
  /** When set, only the slowest `tailShare` of requests are `latencyFactor` slower (a p99-only regression). */
  tailShare?: number;
  /** Histogram name without `_bucket` (default http_server_request_duration_seconds, OTLP → Prometheus style). */
  metric?: string;
  /** Bucket upper bounds in seconds (default BUCKETS). */
  buckets?: readonly number[];
  /** Where the daily traffic cycle starts (default 0, midnight UTC): pinned, a seed draws the same data at any hour. */
  dayOriginMs?: number;
}

export const DEFAULT_PROFILE: HistoryProfile = {
  rps: { off: 30, on: 10 },
  medianSec: 0.12,
  sigma: 0.5,
  errorRatio: 0.005,
  regressedErrorRatio: 0.03,
  latencyFactor: 1.5,
};

export interface HistorySpec {
  startMs: number;
  endMs: number;
  stepSec: number;
  regressionAtMs: number;
  job: string;
  variantLabel: string;
  seed: number;
  profile?: HistoryProfile;
}

export interface HistoryStats {
  series: number;
  samples: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** The latency CDF of a variant: log-normal, or with its slowest `tailShare` stretched by `factor` (p99-only). */
function latencyCdf(
  median: number,
  sigma: number,
  factor: number,
  tailShare: number | undefined,
): (x: number) => number {
  const base = (x: number) => normalCdf(Math.log(x / median) / sigma);
  if (tailShare === undefined || factor === 1) return (x) => base(x / factor);
  const q = median * Math.exp(sigma * normalQuantileApprox(1 - tailShare));
  return (x) => (x <= q ? base(x) : x < factor * q ? 1 - tailShare : base(x / factor));
}

/** Inverse of normalCdf by bisection (test data only: speed does not matter, exactness to 1e-9 does). */
function normalQuantileApprox(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Splits `n` observations into the buckets of a latency CDF (sequential binomials, normal approximation). */
function drawBuckets(
  n: number,
  cdfOf: (x: number) => number,
  buckets: readonly number[],
  gauss: () => number,
): { counts: number[]; sum: number } {
  const counts: number[] = [];
  let remaining = n;
  let below = 0;
  let sum = 0;
  let lower = 0;
  for (const upper of buckets) {
    const cdf = cdfOf(upper);
    const q = below >= 1 ? 1 : Math.min(1, Math.max(0, (cdf - below) / (1 - below)));
    const c = Math.min(
      remaining,
      Math.max(0, Math.round(remaining * q + Math.sqrt(remaining * q * (1 - q)) * gauss())),
    );
    counts.push(c);
    sum += (c * (lower + upper)) / 2;
    remaining -= c;
    below = cdf;
    lower = upper;
  }
  counts.push(remaining); // (last bound, +Inf)
  sum += remaining * buckets[buckets.length - 1] * 1.5;
  return { counts, sum };
}

const formatLe = (b: number) => (Number.isInteger(b) ? `${b}.0` : String(b));

/** Writes the OpenMetrics file (timestamps in SECONDS, ends with `# EOF`) and says how much it holds. */
export async function writeHistory(path: string, spec: HistorySpec): Promise<HistoryStats> {
  const profile = spec.profile ?? DEFAULT_PROFILE;
  const random = mulberry32(spec.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const steps = Math.floor((spec.endMs - spec.startMs) / (spec.stepSec * 1000)) + 1;
  const variants = Object.keys(profile.rps);
  const metric = profile.metric ?? METRIC;
  const buckets = profile.buckets ?? BUCKETS;
  const statuses = ['200', '500'] as const;
  // Increments per (variant, status, step): bucket counts (non-cumulative) and the sum of durations.
  const increments = new Map<string, { counts: number[]; sum: number }[]>();
  for (let k = 0; k < steps; k++) {
    const at = spec.startMs + k * spec.stepSec * 1000;
    const diurnal = 1 + 0.25 * Math.sin((2 * Math.PI * ((at - (profile.dayOriginMs ?? 0)) % 86_400_000)) / 86_400_000);
    for (const variant of variants) {
      const regressed = variant === 'on' && at >= spec.regressionAtMs;
      const n = Math.max(0, Math.round(profile.rps[variant] * spec.stepSec * diurnal * (1 + 0.05 * gauss())));
      const p = regressed ? profile.regressedErrorRatio : profile.errorRatio;
      const errors = Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gauss())));
      const cdf = latencyCdf(
        profile.medianSec,
        profile.sigma,
        regressed ? profile.latencyFactor : 1,
        profile.tailShare,
      );
      for (const status of statuses) {
        const key = `${variant}/${status}`;
        if (!increments.has(key)) increments.set(key, []);
        increments.get(key)?.push(drawBuckets(status === '500' ? errors : n - errors, cdf, buckets, gauss));
      }
    }
  }

  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  // OpenMetrics wants a UNIT only when the name ends in it: the OpenTelemetry JS exporter's name does not.
  const unit = metric.endsWith('_seconds') ? `# UNIT ${metric} seconds\n` : '';
  await write(`# HELP ${metric} Duration of HTTP server requests.\n# TYPE ${metric} histogram\n${unit}`);
  let samples = 0;
  let series = 0;
  // One Metric (label set) at a time, its points in time order: buckets, then _count and _sum, per timestamp.
  for (const variant of variants) {
    for (const status of statuses) {
      const labels = `job="${spec.job}",${spec.variantLabel}="${variant}",http_response_status_code="${status}"`;
      const cumulative = new Array<number>(buckets.length + 1).fill(0);
      let total = 0;
      let sum = 0;
      const rows = increments.get(`${variant}/${status}`) ?? [];
      const lines: string[] = [];
      rows.forEach((inc, k) => {
        const ts = spec.startMs / 1000 + k * spec.stepSec;
        let acc = 0;
        for (let i = 0; i < inc.counts.length; i++) {
          acc += inc.counts[i];
          cumulative[i] += acc;
          const le = i < buckets.length ? formatLe(buckets[i]) : '+Inf';
          lines.push(`${metric}_bucket{${labels},le="${le}"} ${cumulative[i]} ${ts}\n`);
        }
        total += acc;
        sum += inc.sum;
        lines.push(`${metric}_count{${labels}} ${total} ${ts}\n`, `${metric}_sum{${labels}} ${sum.toFixed(3)} ${ts}\n`);
      });
      samples += lines.length;
      series += buckets.length + 3;
      for (let i = 0; i < lines.length; i += 2000) await write(lines.slice(i, i + 2000).join(''));
    }
  }
  await write('# EOF\n');
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
  return { series, samples };
}
