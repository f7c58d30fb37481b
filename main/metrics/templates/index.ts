import { RampartError } from '../../../shared/errors';
import { DEFAULT_STEP_SEC, type MetricSpec } from '../../../shared/domain/metrics';
import { validateDatadogScope, validateDatadogTagKey } from '../datadog/scope';
import { validatePromLabelName, validatePromSelector } from '../prometheus/selector';
import { datadogTemplates } from './datadog';
import { DEFAULT_PROM_HISTOGRAM, prometheusTemplates, type PromHistogram } from './prometheus';
import { renderTemplate } from './render';

/**
 * Default metric set of a watch, per provider, following the OpenTelemetry HTTP server conventions:
 * `http.server.request.duration` (a histogram in seconds) with `http.response.status_code`, and the evaluated
 * variant in `feature_flag.result.variant`. PromQL in ./prometheus.ts, Datadog in ./datadog.ts.
 */
export type TemplateProviderKind = 'prometheus' | 'datadog';

export const DEFAULT_VARIANT_LABEL: Record<TemplateProviderKind, string> = {
  prometheus: 'feature_flag_result_variant',
  datadog: 'feature_flag.result.variant',
};

/** What discovery found for the request histogram (../discovery.ts); absent → the defaults. */
export interface TemplateNames {
  prometheus?: PromHistogram;
  /** Datadog metric name, e.g. http.server.request.duration. */
  datadog?: string;
}

/** Each provider's default metric set, from what discovery found (or the defaults). */
const METRIC_SETS: Record<TemplateProviderKind, (names: TemplateNames) => MetricSpec[]> = {
  prometheus: (names) => {
    const t = prometheusTemplates(names.prometheus ?? DEFAULT_PROM_HISTOGRAM);
    const latency = (name: 'p50' | 'p95' | 'p99', quantile: number, critical: boolean): MetricSpec => ({
      name,
      kind: 'latency',
      unit: 'ms',
      query: t[name],
      critical,
      quantile,
      buckets: t.buckets,
      bucketUnitMs: t.bucketUnitMs,
    });
    return [
      { name: 'request_rate', kind: 'rate', unit: 'rps', query: t.request_rate, critical: false },
      {
        name: 'error_ratio',
        kind: 'errors',
        unit: 'ratio',
        query: t.error_ratio,
        critical: true,
        counts: { errors: t.errorCount, total: t.totalCount },
      },
      latency('p50', 0.5, false),
      latency('p95', 0.95, false),
      latency('p99', 0.99, true),
    ];
  },
  datadog: (names) => {
    const t = datadogTemplates(names.datadog);
    return [
      { name: 'request_rate', kind: 'rate', unit: 'rps', query: t.request_rate, critical: false },
      { name: 'error_ratio', kind: 'errors', unit: 'ratio', query: t.error_ratio, critical: true },
      { name: 'p50', kind: 'latency', unit: 'ms', query: t.p50, critical: false, quantile: 0.5 },
      { name: 'p95', kind: 'latency', unit: 'ms', query: t.p95, critical: false, quantile: 0.95 },
      { name: 'p99', kind: 'latency', unit: 'ms', query: t.p99, critical: true, quantile: 0.99 },
    ];
  },
};

/**
 * How each provider's syntax fills the holes: its selector and label rules (validated, naming the problem) and how
 * a window of whole seconds is written.
 */
const SYNTAX: Record<
  TemplateProviderKind,
  (selector: string, variantLabel: string, windowSec: number) => Record<'selector' | 'variantLabel' | 'window', string>
> = {
  prometheus: (selector, variantLabel, windowSec) => ({
    selector: validatePromSelector(selector),
    variantLabel: validatePromLabelName(variantLabel),
    window: `${windowSec}s`,
  }),
  datadog: (selector, variantLabel, windowSec) => ({
    selector: validateDatadogScope(selector),
    variantLabel: validateDatadogTagKey(variantLabel),
    window: `${windowSec}`,
  }),
};

export function defaultMetricSpecs(kind: TemplateProviderKind, names: TemplateNames = {}): MetricSpec[] {
  const set = Object.hasOwn(METRIC_SETS, kind) ? METRIC_SETS[kind] : undefined;
  if (!set)
    throw new RampartError(
      'bad_request',
      `No metric templates for provider kind "${String(kind)}" (${Object.keys(METRIC_SETS).join(', ')})`,
    );
  return set(names);
}

export interface RenderOptions {
  /** Label matchers (Prometheus, e.g. `job="checkout"`) or a scope (Datadog, e.g. `service:checkout`). */
  selector: string;
  /** Defaults to DEFAULT_VARIANT_LABEL[kind]. */
  variantLabel?: string;
  /** Split the series by variant (one series per variant) or not (the whole population). */
  byVariant: boolean;
  /**
   * What `{{window}}` stands for, in seconds: the watch's step for per-step queries (default 60, so samples do not
   * overlap), the judged window's length for instant queries.
   */
  windowSec?: number;
  /** Which provider's syntax the selector and the output follow; defaults to 'prometheus'. */
  kind?: TemplateProviderKind;
}

/** Fills a template for one watch. Throws `bad_request` naming the problem for a bad selector or label. */
export function renderQuery(spec: Pick<MetricSpec, 'name' | 'query'>, opts: RenderOptions): string {
  const kind = opts.kind ?? 'prometheus';
  const windowSec = opts.windowSec ?? DEFAULT_STEP_SEC;
  if (!Number.isInteger(windowSec) || windowSec < 1 || windowSec > 90 * 86_400) {
    throw new RampartError(
      'bad_request',
      `Metric "${spec.name}": window must be a whole number of seconds from 1 to 7776000, got ${windowSec}`,
    );
  }
  const variantLabel = opts.variantLabel ?? DEFAULT_VARIANT_LABEL[kind];
  try {
    return renderTemplate(spec.query, SYNTAX[kind](opts.selector, variantLabel, windowSec), opts.byVariant);
  } catch (e) {
    if (e instanceof RampartError) throw new RampartError(e.code, `Metric "${spec.name}": ${e.message}`, e.details);
    throw e;
  }
}

export { HOLES, renderTemplate, type Hole } from './render';
export { DEFAULT_PROM_HISTOGRAM, type PromHistogram } from './prometheus';
export { validatePromLabelName, validatePromSelector } from '../prometheus/selector';
export { validateDatadogScope, validateDatadogTagKey } from '../datadog/scope';
