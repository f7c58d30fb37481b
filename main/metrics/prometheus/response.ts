import { z } from 'zod';
import { RampartError } from '../../../shared/errors';
import type { Series } from '../metrics-provider';

/**
 * Prometheus HTTP API response shapes (prometheus/prometheus@v2.42.0 docs/querying/api.md, web/api/v1/api.go).
 * Lenient about fields we do not use (zod strips them), strict about the ones we read.
 */
const SAMPLE_VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Inf)$/;

export const PromSample = z.tuple([z.number(), z.string().regex(SAMPLE_VALUE, 'a Prometheus sample value')]);

export const PromRangeSuccess = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        // Absent for a series that only has native-histogram samples (a feature flag in 2.42): no float values.
        values: z.array(PromSample).optional(),
      }),
    ),
  }),
  warnings: z.array(z.string()).optional(),
});
export type PromRangeSuccess = z.infer<typeof PromRangeSuccess>;

export const PromErrorEnvelope = z.object({
  status: z.literal('error'),
  errorType: z.string(),
  error: z.string(),
});
export type PromErrorEnvelope = z.infer<typeof PromErrorEnvelope>;

/** Sample strings to numbers: "NaN", "+Inf", "-Inf" (and anything non-finite) become NaN, never 0. */
export function sampleValue(text: string): number {
  const v = Number(text === '+Inf' || text === 'Inf' ? Infinity : text === '-Inf' ? -Infinity : text);
  return Number.isFinite(v) ? v : NaN;
}

export interface Grid {
  startMs: number;
  stepMs: number;
  count: number;
}

/**
 * Converts a matrix to Series on the evaluation grid [start, start + step, …]: an instant where Prometheus had no
 * sample (a gap) becomes NaN, so every series of one query has the same timestamps and a gap never looks like a
 * value. A sample off the grid (which Prometheus never returns for query_range) is a malformed response.
 */
export function matrixToSeries(body: PromRangeSuccess, grid: Grid): Series[] {
  return body.data.result.map(({ metric, values = [] }) => {
    const t = new Float64Array(grid.count);
    const v = new Float64Array(grid.count).fill(NaN);
    for (let k = 0; k < grid.count; k++) t[k] = grid.startMs + k * grid.stepMs;
    for (const [seconds, text] of values) {
      const ms = Math.round(seconds * 1000);
      const k = Math.round((ms - grid.startMs) / grid.stepMs);
      if (k < 0 || k >= grid.count || Math.abs(t[k] - ms) > 1) {
        throw new RampartError(
          'vendor_error',
          `Prometheus: malformed response: sample at ${ms} ms is not on the query's step grid`,
        );
      }
      v[k] = sampleValue(text);
    }
    return { labels: { ...metric }, t, v };
  });
}

/** `/api/v1/query` answer: an instant vector, or a scalar (e.g. `vector(1)` is a vector, `1` a scalar). */
export const PromInstantSuccess = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({
      resultType: z.literal('vector'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: PromSample.optional() })),
    }),
    z.object({ resultType: z.literal('scalar'), result: PromSample }),
    z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) }),
    z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
  ]),
  warnings: z.array(z.string()).optional(),
});

/** `/api/v1/label/__name__/values`. */
export const PromLabelValues = z.object({ status: z.literal('success'), data: z.array(z.string()) });

/** `/api/v1/metadata`: per metric name, what its targets declared (empty for history loaded with promtool). */
export const PromMetadata = z.object({
  status: z.literal('success'),
  data: z.record(
    z.string(),
    z.array(z.object({ type: z.string(), help: z.string().optional(), unit: z.string().optional() })),
  ),
});

/** `/api/v1/status/buildinfo`: what proves the server is Prometheus (or a Prometheus-compatible API). */
export const PromBuildInfo = z.object({
  status: z.literal('success'),
  data: z.object({ version: z.string() }).passthrough(),
});
