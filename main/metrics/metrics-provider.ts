export interface MetricsCapabilities {
  /** Most points the provider returns for one series in one call (Prometheus 11,000). */
  maxPointsPerSeries: number;
  /** Whether the provider computes percentiles itself (histogram_quantile, Datadog p99:). */
  nativePercentiles: boolean;
  /** How the provider's API expresses time, for documentation and step choice. */
  timeUnit: 's' | 'ms';
}

/** A series as the core holds it: labels and parallel arrays; NaN where the provider had NaN, ±Inf or no value. */
export interface Series {
  labels: Record<string, string>;
  t: Float64Array; // epoch ms, ascending
  v: Float64Array;
}

/**
 * One metrics provider (Prometheus, Datadog, the demo's simulated service). `query` is already in the provider's
 * own language (PromQL, Datadog query); templates turn a watch's metric spec into it.
 * Errors are `RampartError`s naming the provider, the reason and the query.
 */
export interface MetricsProvider {
  readonly connectionId: string;
  capabilities(): MetricsCapabilities;
  range(query: string, from: number, to: number, stepMs: number, signal?: AbortSignal): Promise<Series[]>;
}
