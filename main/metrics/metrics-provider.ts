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

/** One series' value at one instant (an instant query); NaN where the provider had NaN or ±Inf. */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

/** A metric name the provider holds, with what it says about it (Prometheus metadata; Datadog metric search). */
export interface MetricName {
  name: string;
  /** counter | gauge | histogram | summary | distribution …, when the provider says. */
  type: string | null;
  unit: string | null;
  help: string | null;
}

/** One thing `connections:test` proved or failed to prove, in plain words. */
export interface ProbeCheck {
  name: string;
  ok: boolean;
  detail: string;
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
  /** One value per series at `at` (epoch ms): the merged bucket counts, error counts and units of a window. */
  instant?(query: string, at: number, signal?: AbortSignal): Promise<InstantSample[]>;
  /** Every metric name the provider has (for discovery and "did you mean"). */
  listMetrics?(signal?: AbortSignal): Promise<MetricName[]>;
  /** Contact the server and prove it is this provider and answers `probeQuery` (an instant query); never throws. */
  check?(probeQuery: string | null, signal?: AbortSignal): Promise<ProbeCheck[]>;
  /** Post a flag change to the provider's event stream (Datadog events), where it has one. */
  postEvent?(event: ChangeEvent, signal?: AbortSignal): Promise<unknown>;
}

/** A flag change as a provider's event stream shows it. */
export interface ChangeEvent {
  flagKey: string;
  env: string;
  title: string;
  text: string;
  alertType?: 'info' | 'success' | 'warning' | 'error';
  /** When it happened, epoch ms; default now. */
  at?: number;
}
