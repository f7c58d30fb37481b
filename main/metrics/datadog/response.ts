import { z } from 'zod';
import { RampartError } from '../../../shared/errors';
import type { Series } from '../metrics-provider';

/**
 * What Rampart reads from the client's deserialized answers (camelCase model fields), checked with zod because
 * the client's deserializer does not enforce shapes (a missing array is just `undefined`).
 * Shapes: DataDog/datadog-api-client-typescript models and recorded cassettes
 * (cassettes/v2/Metrics_*\/Timeseries-cross-product-query-returns-OK-response, cassettes/v1/Metrics_*\/Query-timeseries-points…).
 */
const V2Timeseries = z.object({
  data: z
    .object({
      attributes: z
        .object({
          series: z
            .array(z.object({ groupTags: z.array(z.string()).nullish(), queryIndex: z.number().nullish() }))
            .nullish(),
          times: z.array(z.number()).nullish(),
          values: z.array(z.array(z.number().nullable())).nullish(),
        })
        .nullish(),
    })
    .nullish(),
  errors: z.string().nullish(),
});

const V1Query = z.object({
  status: z.string().nullish(),
  error: z.string().nullish(),
  series: z
    .array(
      z.object({
        pointlist: z.array(z.tuple([z.number(), z.number().nullable()])).nullish(),
        tagSet: z.array(z.string()).nullish(),
        scope: z.string().nullish(),
      }),
    )
    .nullish(),
});

export interface ParsedSeries {
  series: Series[];
  /** The API's own error text, when it answered 200 but said something went wrong. */
  errors?: string;
}

/** `["feature_flag.result.variant:on", "service:checkout"]` → labels; a tag without a value maps to "". */
export function tagsToLabels(tags: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    if (colon < 0) labels[tag] = '';
    else labels[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return labels;
}

function malformed(api: string, why: string): RampartError {
  return new RampartError('vendor_error', `Datadog: malformed ${api} response (${why})`);
}

function checked<T>(schema: z.ZodType<T>, value: unknown, api: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(api, `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** v2: one shared `times` array (ms) and one `values` row per series; null → NaN. */
export function v2ToSeries(response: unknown): ParsedSeries {
  const body = checked(V2Timeseries, response, 'timeseries');
  const attrs = body.data?.attributes;
  // Every field is optional in the client's model, but an answer with neither data nor errors is not an empty
  // result: it is not a timeseries response at all (an HTML error page, `{}` from a proxy), never "no data".
  if (!attrs && !body.errors) throw malformed('timeseries', 'neither data.attributes nor errors');
  const times = attrs?.times ?? [];
  const meta = attrs?.series ?? [];
  const rows = attrs?.values ?? [];
  if (rows.length !== meta.length) throw malformed('timeseries', `${meta.length} series but ${rows.length} value rows`);
  const series = meta.map((m, i) => {
    const row = rows[i];
    if (row.length !== times.length)
      throw malformed('timeseries', `series ${i} has ${row.length} values for ${times.length} times`);
    const v = new Float64Array(row.length);
    for (let k = 0; k < row.length; k++) v[k] = row[k] ?? NaN;
    return { labels: tagsToLabels(m.groupTags ?? []), t: Float64Array.from(times), v };
  });
  return { series, errors: body.errors ?? undefined };
}

/** v1: `pointlist` of [ms, value|null] per series (from/to go in as SECONDS, points come out in ms). */
export function v1ToSeries(response: unknown): ParsedSeries {
  const body = checked(V1Query, response, 'query');
  if (!body.series && !body.status && !body.error) throw malformed('query', 'neither series nor status');
  const series = (body.series ?? []).map((s) => {
    const points = [...(s.pointlist ?? [])].sort((a, b) => a[0] - b[0]);
    const t = new Float64Array(points.length);
    const v = new Float64Array(points.length);
    points.forEach(([ms, value], k) => {
      t[k] = ms;
      v[k] = value ?? NaN;
    });
    return { labels: tagsToLabels(s.tagSet ?? []), t, v };
  });
  const failed = body.status === 'error';
  return { series, errors: failed ? (body.error ?? 'status "error"') : undefined };
}
