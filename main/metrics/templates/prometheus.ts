/**
 * PromQL templates for the OpenTelemetry HTTP server histogram `http.server.request.duration` (docs/integrations.md
 * §5.2, §7): per-step queries over `[{{window}}]` = the watch's step (non-overlapping samples), and instant
 * queries over `[{{window}}]` = the whole judged window for the merged bucket counts and the error counts.
 *
 * The histogram's name depends on the exporter: the OpenTelemetry JS Prometheus exporter writes
 * `http_server_request_duration_bucket` (no unit suffix), OTLP → Prometheus adds `_seconds`, older
 * instrumentation has `http_server_duration` in milliseconds. The default matches both names in seconds by a
 * `__name__` regex, so a new watch finds the series either way; discovery (../discovery.ts) pins the exact name.
 */
export interface PromHistogram {
  /** The base name (without `_bucket`), or a regex over base names when `regex`. */
  base: string;
  regex: boolean;
  /** Unit of the observations and of the `le` bounds. */
  unit: 's' | 'ms';
}

export const DEFAULT_PROM_HISTOGRAM: PromHistogram = {
  base: 'http_server_request_duration(_seconds)?',
  regex: true,
  unit: 's',
};

const BY = '{{#byVariant}} by ({{variantLabel}}){{/byVariant}}';

/** `name{matchers,selector}` for one of the histogram's series; `extra` are matchers ending in a comma. */
function series(h: PromHistogram, suffix: 'bucket' | 'count', extra = ''): string {
  return h.regex
    ? `{__name__=~"${h.base}_${suffix}",${extra}{{selector}}}`
    : `${h.base}_${suffix}{${extra}{{selector}}}`;
}

const FIVE_XX = 'http_response_status_code=~"5..",';

export function prometheusTemplates(h: PromHistogram = DEFAULT_PROM_HISTOGRAM) {
  const toMs = h.unit === 's' ? '1000 * ' : '';
  const all = (fn: 'rate' | 'increase') => `sum${BY} (${fn}(${series(h, 'count')}[{{window}}]))`;
  // `or 0 * all`: a variant with traffic and no 5xx in the window has no error series at all; without this its
  // error count would be missing instead of 0. With no traffic it stays missing (no data), as it should.
  const errors = (fn: 'rate' | 'increase') =>
    `(sum${BY} (${fn}(${series(h, 'count', FIVE_XX)}[{{window}}])) or 0 * ${all(fn)})`;
  const perStepQuantile = (q: string) =>
    `${toMs}histogram_quantile(${q}, sum by (le{{#byVariant}}, {{variantLabel}}{{/byVariant}}) (rate(${series(h, 'bucket')}[{{window}}])))`;
  return {
    request_rate: all('rate'),
    error_ratio: `${errors('rate')} / ${all('rate')}`,
    p50: perStepQuantile('0.5'),
    p95: perStepQuantile('0.95'),
    p99: perStepQuantile('0.99'),
    buckets: `sum by (le{{#byVariant}}, {{variantLabel}}{{/byVariant}}) (increase(${series(h, 'bucket')}[{{window}}]))`,
    errorCount: errors('increase'),
    totalCount: all('increase'),
    bucketUnitMs: h.unit === 's' ? 1000 : 1,
  };
}
