import { createHash } from 'node:crypto';
import { context, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { isRampartError } from '../../shared/errors';
import type { MetricsConnection } from '../../shared/domain/connections';

/**
 * Rampart's own tracing, through `@opentelemetry/api` only. Every call here is a no-op until the user registers
 * an OpenTelemetry SDK (the API's global tracer provider); `trace.getTracer` returns a proxy, so a tracer taken
 * before registration starts recording once an SDK is registered (docs/integrations.md §7.2).
 *
 * Attributes never carry secrets: queries are identified by a hash, not by their text, and error messages put
 * on spans are Rampart's own (which by convention never contain a token).
 */
export const TRACER_NAME = 'rampart';

export function rampartTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** A short, stable identifier for a query: the first 16 hex digits of its SHA-256. */
export function queryHash(query: string): string {
  return createHash('sha256').update(query).digest('hex').slice(0, 16);
}

/**
 * Runs `fn` inside a span named `name` (made the active span, so nested spans become its children), records an
 * error as the span's status with the RampartError code as `error.type`, and always ends the span.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const span = rampartTracer().startSpan(name, { attributes });
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => fn(span));
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    span.setAttribute('error.type', isRampartError(e) ? e.code : e instanceof Error ? e.name : 'unknown');
    span.recordException({ name: isRampartError(e) ? `RampartError(${e.code})` : 'Error', message });
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    throw e;
  } finally {
    span.end();
  }
}

/** What a metrics query span says about the query: who answered and a hash of what was asked, never the text. */
export interface MetricsQueryInfo {
  provider: MetricsConnection['kind'];
  connectionId: string;
  query: string;
  from: number;
  to: number;
  stepMs: number;
}

export const METRICS_SPAN_NAME = 'rampart.metrics.range';

export function metricsQueryAttributes(info: MetricsQueryInfo): Attributes {
  return {
    'rampart.metrics.provider': info.provider,
    'rampart.connection.id': info.connectionId,
    'rampart.metrics.query_hash': queryHash(info.query),
    'rampart.metrics.range_ms': info.to - info.from,
    'rampart.metrics.step_ms': info.stepMs,
  };
}

/** Traces one provider query; the span also gets the number of series and points returned. */
export function traceMetricsQuery<T extends ArrayLike<{ t: ArrayLike<number> }>>(
  info: MetricsQueryInfo,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return withSpan(METRICS_SPAN_NAME, metricsQueryAttributes(info), async (span) => {
    const series = await fn(span);
    let points = 0;
    for (let i = 0; i < series.length; i++) points += series[i].t.length;
    span.setAttributes({ 'rampart.metrics.series_count': series.length, 'rampart.metrics.point_count': points });
    return series;
  });
}
