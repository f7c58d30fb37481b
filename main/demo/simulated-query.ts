import type { MetricSpec } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { renderTemplate } from '../metrics/templates/render';
import { DEMO_SERVICES, serviceModel, type ServiceModel } from './sim/services';

/**
 * The query language of the demo's simulated service — deliberately tiny, PromQL-looking, parsed strictly:
 *
 *     <metric>{service="<service>"}
 *     <metric>{service="<service>"} by (feature_flag_result_variant)
 *
 * metric  request_rate  requests per second in each step                     (rps)
 *         error_ratio   failed / all requests in each step                   (ratio, NaN with no requests)
 *         p50 p95 p99   latency quantiles of the step's requests             (ms, NaN with no requests)
 *         requests      number of requests in each step                      (count) — for two-proportion tests
 *         errors        number of failed requests in each step               (count)
 * service checkout (flag checkout-v2), search (search-ranker), web (dark-mode)
 * by (…)  one series per variant of the service's flag, labelled feature_flag_result_variant="<variant>"
 *
 * Each point at time T aggregates the requests in (T − step, T]. There is no range window: the step is the window.
 */

export const SIMULATED_METRICS = ['request_rate', 'error_ratio', 'p50', 'p95', 'p99', 'requests', 'errors'] as const;
export type SimulatedMetric = (typeof SIMULATED_METRICS)[number];
export const SIMULATED_VARIANT_LABEL = 'feature_flag_result_variant';

export interface SimulatedQuery {
  metric: SimulatedMetric;
  model: ServiceModel;
  byVariant: boolean;
}

const QUERY = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"\\]*)"\s*\}\s*(?:by\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*)?$/;
const SYNTAX = `<metric>{service="<service>"} [by (${SIMULATED_VARIANT_LABEL})]`;

export function parseSimulatedQuery(query: string): SimulatedQuery {
  const m = QUERY.exec(query);
  const fail = (why: string): never => {
    throw new RampartError('bad_request', `Simulated service: ${why} in query \`${query}\``, { query });
  };
  if (!m) return fail(`expected ${SYNTAX}`);
  const [, metric, label, value, by] = m;
  if (!(SIMULATED_METRICS as readonly string[]).includes(metric)) {
    fail(`unknown metric "${metric}" (known: ${SIMULATED_METRICS.join(', ')})`);
  }
  if (label !== 'service') fail(`unknown label "${label}" in the selector (only service="…" is supported)`);
  const model = serviceModel(value);
  if (!model) fail(`unknown service "${value}" (known: ${DEMO_SERVICES.map((s) => s.service).join(', ')})`);
  if (by !== undefined && by !== SIMULATED_VARIANT_LABEL) {
    fail(`cannot split by "${by}"; the variant label is ${SIMULATED_VARIANT_LABEL}`);
  }
  return { metric: metric as SimulatedMetric, model: model as ServiceModel, byVariant: by !== undefined };
}

/** Template for one metric, in the same hole language as the Prometheus and Datadog templates. */
export function simulatedTemplate(metric: SimulatedMetric): string {
  return `${metric}{{{selector}}}{{#byVariant}} by ({{variantLabel}}){{/byVariant}}`;
}

/** The default metric set of a watch on the simulated service. */
export function simulatedMetricSpecs(): MetricSpec[] {
  return [
    { name: 'request_rate', kind: 'rate', unit: 'rps', query: simulatedTemplate('request_rate'), critical: false },
    { name: 'error_ratio', kind: 'errors', unit: 'ratio', query: simulatedTemplate('error_ratio'), critical: true },
    { name: 'p50', kind: 'latency', unit: 'ms', query: simulatedTemplate('p50'), critical: false },
    { name: 'p95', kind: 'latency', unit: 'ms', query: simulatedTemplate('p95'), critical: false },
    { name: 'p99', kind: 'latency', unit: 'ms', query: simulatedTemplate('p99'), critical: true },
  ];
}

export interface SimulatedRenderOptions {
  /** The watch's selector, e.g. `service="checkout"`. */
  selector: string;
  byVariant: boolean;
  variantLabel?: string;
}

/** Fills a spec's template for a watch and checks the result parses; bad selector or label → bad_request. */
export function renderSimulatedQuery(spec: Pick<MetricSpec, 'query'> & { name?: string }, opts: SimulatedRenderOptions): string {
  const query = renderTemplate(
    spec.query,
    { selector: opts.selector.trim(), variantLabel: opts.variantLabel ?? SIMULATED_VARIANT_LABEL, window: '' },
    opts.byVariant,
  );
  try {
    parseSimulatedQuery(query);
  } catch (e) {
    if (e instanceof RampartError && spec.name) throw new RampartError(e.code, `Metric "${spec.name}": ${e.message}`, e.details);
    throw e;
  }
  return query;
}

/** Queries for the per-step request and error counts (for a two-proportion test on errors). */
export function simulatedCountQueries(opts: SimulatedRenderOptions): { requests: string; errors: string } {
  return {
    requests: renderSimulatedQuery({ query: simulatedTemplate('requests') }, opts),
    errors: renderSimulatedQuery({ query: simulatedTemplate('errors') }, opts),
  };
}
