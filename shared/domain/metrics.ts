import { z } from 'zod';
import { PartialFailure } from '../errors';

/** A point on the wire: [epoch ms, value]; null where the provider had NaN, ±Inf or no value. */
export const WirePoint = z.tuple([z.number(), z.number().nullable()]);

export const ARMS = ['treatment', 'control'] as const;
export type Arm = (typeof ARMS)[number];

export const WireSeries = z.object({
  /** Metric name from the watch's metric set, e.g. "p99". */
  metric: z.string(),
  /** Variant this series is for, when split by the variant label; null for the whole population. */
  variant: z.string().nullable(),
  /**
   * Which arm the variant's label value belongs to under the watch's treatment/control mapping (the mapping the
   * verdict uses: main/core/decision-arms.ts); null for the whole population or a value in neither arm.
   */
  arm: z.enum(ARMS).nullable().optional(),
  labels: z.record(z.string(), z.string()),
  points: z.array(WirePoint),
});
export type WireSeries = z.infer<typeof WireSeries>;

export const METRIC_KINDS = ['rate', 'errors', 'latency'] as const;

/**
 * One metric of a watch: query templates per provider, with `{{selector}}`, `{{variantLabel}}` and `{{window}}`
 * holes. In `query` (a range query, one sample per step) `{{window}}` is the watch's step, so consecutive samples
 * come from non-overlapping windows (docs/statistics.md "Samples must be honest"). In `buckets` and `counts`
 * (instant queries at the window's end) it is the whole judged window.
 */
export const MetricSpec = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,40}$/),
  kind: z.enum(METRIC_KINDS),
  unit: z.enum(['rps', 'ratio', 'ms']),
  query: z.string().min(1).max(4000),
  critical: z.boolean().default(false),
  /** Latency: which quantile this is (0.99 for p99), for judging it from merged histogram buckets. */
  quantile: z.number().gt(0).lt(1).optional(),
  /** Latency: per-bucket counts over the window, `sum by (le, <variant>) (increase(…_bucket[{{window}}]))`. */
  buckets: z.string().min(1).max(4000).optional(),
  /** Milliseconds per unit of the buckets' `le` bounds: 1000 for a histogram in seconds (the default), 1 in ms. */
  bucketUnitMs: z.number().positive().optional(),
  /** Errors: failed and all requests over the window (instant queries), the two-proportion test's counts. */
  counts: z.object({ errors: z.string().min(1).max(4000), total: z.string().min(1).max(4000) }).optional(),
});
export type MetricSpec = z.infer<typeof MetricSpec>;

const labelValue = z.string().min(1).max(200);

/** A watch binds one flag in one environment to a metrics connection and a metric set. */
export const Watch = z.object({
  id: z.string(),
  flagConnectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  metricsConnectionId: z.string(),
  selector: z.string().max(1000),
  /** Label carrying the evaluated variant (OpenTelemetry `feature_flag.result.variant` as exported to Prometheus). */
  variantLabel: z.string().default('feature_flag_result_variant'),
  /**
   * Which values of the variant label are the treatment and which the control. Absent: the store's SDK
   * conventions (main/core/decision-arms.ts): the flag's own variant names, booleans true|on|enabled vs
   * false|off|disabled, Unleash's `disabled`. Several values of one arm are merged.
   */
  arms: z
    .object({ treatment: z.array(labelValue).min(1).max(20), control: z.array(labelValue).min(1).max(20) })
    .optional(),
  /** Length of one sample and the range of per-step queries, seconds; default 60. Keep it ≥ 2 scrape intervals. */
  stepSec: z.number().int().min(5).max(3600).optional(),
  /**
   * Exposed units per variant over `{{window}}` (an instant query), for the sample-ratio check: e.g. OpenFeature
   * evaluation counts or distinct users. Without it the check falls back to requests, dispersion-corrected.
   */
  units: z.object({ query: z.string().min(1).max(4000) }).optional(),
  metrics: z.array(MetricSpec).min(1).max(40),
  /** Verdict thresholds, editable per watch. */
  thresholds: z
    .object({
      confidence: z.number().gt(0.5).lt(1).default(0.98),
      allowedIncrease: z.number().gt(1).default(1.1),
      passScore: z.number().min(0).max(100).default(95),
      marginalScore: z.number().min(0).max(100).default(75),
    })
    .default({ confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 }),
});
export type Watch = z.infer<typeof Watch>;

export const DEFAULT_STEP_SEC = 60;

/** The watch's step in ms: one sample per step, and the range of its per-step queries. */
export function watchStepMs(watch: Pick<Watch, 'stepSec'>): number {
  return (watch.stepSec ?? DEFAULT_STEP_SEC) * 1000;
}

/** Data shown from the last good fetch: when it was fetched, its age, and the failure that keeps it from being fresh. */
export const Staleness = z.object({ fetchedAt: z.number(), ageMs: z.number(), ...PartialFailure.shape });
