export {
  TRACER_NAME,
  METRICS_SPAN_NAME,
  rampartTracer,
  queryHash,
  withSpan,
  metricsQueryAttributes,
  traceMetricsQuery,
} from './tracing';
export type { MetricsQueryInfo } from './tracing';
export { FEATURE_FLAG_ATTR, flagWriteAttributes, flagWriteSpanName, withFlagWriteSpan } from './flag-spans';
export type { FlagWriteAction, FlagWriteInfo } from './flag-spans';
