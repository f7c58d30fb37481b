import { RampartError } from '../../../shared/errors';
import type { MetricSpec } from '../../../shared/domain/metrics';
import { validateDatadogScope, validateDatadogTagKey } from '../datadog/scope';
import { validatePromLabelName, validatePromSelector } from '../prometheus/selector';
import { renderTemplate } from './render';

/**
 * Default metric set of a watch, per provider, following the OpenTelemetry HTTP server conventions:
 * `http.server.request.duration` (a histogram in seconds) with `http.response.status_code`, and the evaluated
 * variant in `feature_flag.result.variant`.
 *
 * Prometheus (OTLP → Prometheus naming): `http_server_request_duration_seconds_bucket|_count|_sum`, labels
 * `http_response_status_code` and `feature_flag_result_variant`. Percentiles by `histogram_quantile` over the
 * rate of the buckets, with `le` kept in the by-clause (functions.md), converted to milliseconds.
 *
 * Datadog (OTel → Datadog exporter, histograms as distributions): `http.server.request.duration`, percentiles by
 * the `p50:`/`p95:`/`p99:` aggregators (percentiles must be enabled on the metric), counts by `count:`. Several
 * queries combine through the provider's formula form `formula = a / b; a = …; b = …` — sent as a v2 formula
 * (`/api/v2/query/timeseries` computes it server-side), or expanded into v1 metric arithmetic on the v1 path.
 */
export type TemplateProviderKind = 'prometheus' | 'datadog';

export const DEFAULT_VARIANT_LABEL: Record<TemplateProviderKind, string> = {
  prometheus: 'feature_flag_result_variant',
  datadog: 'feature_flag.result.variant',
};

export const DEFAULT_WINDOW_SEC = 300;

const P_BY = '{{#byVariant}} by ({{variantLabel}}){{/byVariant}}';
const P_COUNT = 'http_server_request_duration_seconds_count';
const P_ALL = `sum${P_BY} (rate(${P_COUNT}{{{selector}}}[{{window}}]))`;
// `or 0 * all`: a variant with traffic and no 5xx in the window has no error series at all; without this its
// error ratio would be missing instead of 0. With no traffic the ratio stays 0/0 = NaN (no data), as it should.
const P_ERRORS = `(sum${P_BY} (rate(${P_COUNT}{http_response_status_code=~"5..",{{selector}}}[{{window}}])) or 0 * ${P_ALL})`;
const pQuantile = (q: string) =>
  `1000 * histogram_quantile(${q}, sum by (le{{#byVariant}}, {{variantLabel}}{{/byVariant}}) (rate(http_server_request_duration_seconds_bucket{{{selector}}}[{{window}}])))`;

const D_BY = '{{#byVariant}} by {{{variantLabel}}}{{/byVariant}}';
const D_METRIC = 'http.server.request.duration';
const dQuantile = (p: string) => `formula = 1000 * a; a = ${p}:${D_METRIC}{{{selector}}}${D_BY}.rollup({{window}})`;

const TEMPLATES: Record<TemplateProviderKind, Record<'request_rate' | 'error_ratio' | 'p50' | 'p95' | 'p99', string>> = {
  prometheus: {
    request_rate: P_ALL,
    error_ratio: `${P_ERRORS} / ${P_ALL}`,
    p50: pQuantile('0.5'),
    p95: pQuantile('0.95'),
    p99: pQuantile('0.99'),
  },
  datadog: {
    // `count:` of a distribution is its number of observations; `sum:` would add up the durations themselves.
    request_rate: `count:${D_METRIC}{{{selector}}}${D_BY}.as_rate().rollup({{window}})`,
    error_ratio:
      `formula = a / b; ` +
      `a = count:${D_METRIC}{http.response.status_code:5*,{{selector}}}${D_BY}.as_count().rollup({{window}}); ` +
      `b = count:${D_METRIC}{{{selector}}}${D_BY}.as_count().rollup({{window}})`,
    p50: dQuantile('p50'),
    p95: dQuantile('p95'),
    p99: dQuantile('p99'),
  },
};

export function defaultMetricSpecs(kind: TemplateProviderKind): MetricSpec[] {
  const t = TEMPLATES[kind];
  if (!t) throw new RampartError('bad_request', `No metric templates for provider kind "${String(kind)}" (prometheus, datadog)`);
  return [
    { name: 'request_rate', kind: 'rate', unit: 'rps', query: t.request_rate, critical: false },
    { name: 'error_ratio', kind: 'errors', unit: 'ratio', query: t.error_ratio, critical: true },
    { name: 'p50', kind: 'latency', unit: 'ms', query: t.p50, critical: false },
    { name: 'p95', kind: 'latency', unit: 'ms', query: t.p95, critical: false },
    { name: 'p99', kind: 'latency', unit: 'ms', query: t.p99, critical: true },
  ];
}

export interface RenderOptions {
  /** Label matchers (Prometheus, e.g. `job="checkout"`) or a scope (Datadog, e.g. `service:checkout`). */
  selector: string;
  /** Defaults to DEFAULT_VARIANT_LABEL[kind]. */
  variantLabel?: string;
  /** Split the series by variant (one series per variant) or not (the whole population). */
  byVariant: boolean;
  /** Rate / rollup window in seconds; defaults to 300. */
  windowSec?: number;
  /** Which provider's syntax the selector and the output follow; defaults to 'prometheus'. */
  kind?: TemplateProviderKind;
}

/** Fills a spec's template for one watch. Throws `bad_request` naming the problem for a bad selector or label. */
export function renderQuery(spec: Pick<MetricSpec, 'name' | 'query'>, opts: RenderOptions): string {
  const kind = opts.kind ?? 'prometheus';
  const windowSec = opts.windowSec ?? DEFAULT_WINDOW_SEC;
  if (!Number.isInteger(windowSec) || windowSec < 1 || windowSec > 7 * 86_400) {
    throw new RampartError('bad_request', `Metric "${spec.name}": window must be a whole number of seconds from 1 to 604800, got ${windowSec}`);
  }
  const variantLabel = opts.variantLabel ?? DEFAULT_VARIANT_LABEL[kind];
  try {
    const values =
      kind === 'prometheus'
        ? { selector: validatePromSelector(opts.selector), variantLabel: validatePromLabelName(variantLabel), window: `${windowSec}s` }
        : { selector: validateDatadogScope(opts.selector), variantLabel: validateDatadogTagKey(variantLabel), window: `${windowSec}` };
    return renderTemplate(spec.query, values, opts.byVariant);
  } catch (e) {
    if (e instanceof RampartError) throw new RampartError(e.code, `Metric "${spec.name}": ${e.message}`, e.details);
    throw e;
  }
}

export { HOLES, renderTemplate, type Hole } from './render';
export { validatePromLabelName, validatePromSelector } from '../prometheus/selector';
export { validateDatadogScope, validateDatadogTagKey } from '../datadog/scope';
