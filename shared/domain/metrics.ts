import { z } from 'zod';

/** A point on the wire: [epoch ms, value]; null where the provider had NaN, ±Inf or no value. */
export const WirePoint = z.tuple([z.number(), z.number().nullable()]);

export const WireSeries = z.object({
  /** Metric name from the watch's metric set, e.g. "p99". */
  metric: z.string(),
  /** Variant this series is for, when split by the variant label; null for the whole population. */
  variant: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  points: z.array(WirePoint),
});
export type WireSeries = z.infer<typeof WireSeries>;

export const METRIC_KINDS = ['rate', 'errors', 'latency'] as const;

/** One metric of a watch: a query template per provider, with `{{selector}}`, `{{variantLabel}}` and `{{window}}` holes. */
export const MetricSpec = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,40}$/),
  kind: z.enum(METRIC_KINDS),
  unit: z.enum(['rps', 'ratio', 'ms']),
  query: z.string().min(1).max(4000),
  critical: z.boolean().default(false),
});
export type MetricSpec = z.infer<typeof MetricSpec>;

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

export const Staleness = z.object({ fetchedAt: z.number(), ageMs: z.number(), reason: z.string() });
