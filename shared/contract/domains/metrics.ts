import { z } from 'zod';
import { MetricSpec, WirePoint } from '../../domain/metrics';
import { epochMs } from './common';

export const DiscoveredMetric = z.object({
  name: z.string(),
  type: z.string().nullable(),
  unit: z.string().nullable(),
  help: z.string().nullable(),
});

/** A request-duration histogram of the HTTP semantic conventions, as this provider names it. */
export const ConventionMatch = z.object({
  /** The name as the provider has it, without `_bucket` (Prometheus) — what a template reads. */
  base: z.string(),
  unit: z.enum(['s', 'ms']),
  /** e.g. "http.server.request.duration (semantic conventions ≥ 1.20, seconds)". */
  convention: z.string(),
  /** How its exporter wrote it: "no unit suffix (OpenTelemetry JS Prometheus exporter)", "with unit suffix _seconds". */
  form: z.string(),
});

export const metricsRequests = {
  /**
   * Metric names the provider has (Prometheus `/api/v1/label/__name__/values` + `/api/v1/metadata`; Datadog metric
   * search), filtered by `like` (dots, dashes and underscores alike, case-insensitive), with the semantic-convention
   * histograms found among them. Nothing found is said in `message` ("no metric matches X; did you mean Y?").
   */
  'metrics:discover': {
    input: z.object({ connectionId: z.string(), like: z.string().trim().max(200).optional() }),
    output: z.object({
      names: z.array(DiscoveredMetric),
      /** How many names the provider has in all (before `like` and the cap). */
      total: z.number().int().min(0),
      truncated: z.boolean(),
      conventions: z.array(ConventionMatch),
      suggestions: z.array(z.string()),
      message: z.string(),
    }),
  },
  /**
   * The provider's default metric set for a new watch (its query language, the request histogram under the name
   * discovery found) and its variant label: what `watch add` starts from and `metrics:range` can ask.
   */
  'metrics:defaults': {
    input: z.object({ connectionId: z.string() }).strict(),
    output: z.object({ metrics: z.array(MetricSpec), variantLabel: z.string() }),
  },
  /**
   * One default metric over [from, to] at a step, for a selector no watch holds yet (`rampart series`): the rendered
   * query and the raw series. No series is not an error: `empty` says what the provider has instead.
   */
  'metrics:range': {
    input: z
      .object({
        connectionId: z.string(),
        metric: z.string().min(1).max(100),
        selector: z.string().min(1).max(2000),
        variantLabel: z.string().min(1).max(200).optional(),
        byVariant: z.boolean(),
        from: epochMs,
        to: epochMs,
        stepMs: z.number().int().min(1000).max(86_400_000),
      })
      .strict(),
    output: z.object({
      query: z.string(),
      series: z.array(z.object({ labels: z.record(z.string(), z.string()), points: z.array(WirePoint) })),
      empty: z.object({ message: z.string(), suggestions: z.array(z.string()) }).nullable(),
    }),
  },
} as const;
