/**
 * Datadog templates (OTel → Datadog exporter, histograms as distributions): `http.server.request.duration`,
 * percentiles by the `p50:`/`p95:`/`p99:` aggregators (percentiles must be enabled on the metric), counts by
 * `count:`, rolled up per step (`.rollup({{window}})`, {{window}} = the watch's step in seconds) so samples do not
 * overlap. Several queries combine through the formula form `formula = a / b; a = …; b = …` (query-plan.ts).
 *
 * Datadog's public query API returns a distribution's percentiles computed server-side per rollup interval; it
 * does not return the sketch or bucket counts, so a Datadog watch judges tails from per-step percentiles (the
 * labelled fallback of docs/statistics.md) and has no `buckets` template (docs/integrations.md §6.5).
 */
const BY = '{{#byVariant}} by {{{variantLabel}}}{{/byVariant}}';

export function datadogTemplates(metric = 'http.server.request.duration') {
  const quantile = (p: string) => `formula = 1000 * a; a = ${p}:${metric}{{{selector}}}${BY}.rollup({{window}})`;
  return {
    // `count:` of a distribution is its number of observations; `sum:` would add up the durations themselves.
    request_rate: `count:${metric}{{{selector}}}${BY}.as_rate().rollup({{window}})`,
    error_ratio:
      `formula = a / b; ` +
      `a = count:${metric}{http.response.status_code:5*,{{selector}}}${BY}.as_count().rollup({{window}}); ` +
      `b = count:${metric}{{{selector}}}${BY}.as_count().rollup({{window}})`,
    p50: quantile('p50'),
    p95: quantile('p95'),
    p99: quantile('p99'),
  };
}
