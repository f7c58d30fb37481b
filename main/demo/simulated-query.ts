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
 *
 * Instant queries (evaluated at one time T) sum over a window written after the selector:
 *
 *     <metric>{service="<service>"}[<seconds>s] [by (feature_flag_result_variant)]
 *
 * metric  requests | errors   counts in (T − window, T]
 *         buckets             per-bucket latency counts, one series per bucket labelled le="<ms>" (+Inf last)
 *         users               distinct users (of the 100,000-user pool) who made a request in the window
 */

export const SIMULATED_METRICS = ['request_rate', 'error_ratio', 'p50', 'p95', 'p99', 'requests', 'errors'] as const;
export type SimulatedMetric = (typeof SIMULATED_METRICS)[number];
export const SIMULATED_WINDOW_METRICS = ['requests', 'errors', 'buckets', 'users'] as const;
export type SimulatedWindowMetric = (typeof SIMULATED_WINDOW_METRICS)[number];
export const SIMULATED_VARIANT_LABEL = 'feature_flag_result_variant';

export interface SimulatedQuery {
  metric: SimulatedMetric;
  model: ServiceModel;
  byVariant: boolean;
}

export interface SimulatedWindowQuery {
  metric: SimulatedWindowMetric;
  model: ServiceModel;
  byVariant: boolean;
  windowMs: number;
}

const QUERY =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"\\]*)"\s*\}\s*(?:\[\s*(\d+)s\s*\]\s*)?(?:by\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*)?$/;
const SYNTAX = `<metric>{service="<service>"} [by (${SIMULATED_VARIANT_LABEL})]`;
const WINDOW_SYNTAX = `<metric>{service="<service>"}[<seconds>s] [by (${SIMULATED_VARIANT_LABEL})]`;

function parseParts(query: string, syntax: string) {
  const m = QUERY.exec(query);
  const fail = (why: string): never => {
    throw new RampartError('bad_request', `Simulated service: ${why} in query \`${query}\``, { query });
  };
  if (!m) return fail(`expected ${syntax}`);
  const [, metric, label, value, window, by] = m;
  if (label !== 'service') fail(`unknown label "${label}" in the selector (only service="…" is supported)`);
  const model = serviceModel(value);
  if (!model) fail(`unknown service "${value}" (known: ${DEMO_SERVICES.map((s) => s.service).join(', ')})`);
  if (by !== undefined && by !== SIMULATED_VARIANT_LABEL)
    fail(`cannot split by "${by}"; the variant label is ${SIMULATED_VARIANT_LABEL}`);
  return {
    metric,
    model: model as ServiceModel,
    byVariant: by !== undefined,
    window: window === undefined ? null : Number(window),
    fail,
  };
}

/** An instant query over a window (buckets, counts, users); a range query's syntax is refused with the right form. */
export function parseSimulatedWindowQuery(query: string): SimulatedWindowQuery {
  const p = parseParts(query, WINDOW_SYNTAX);
  if (!(SIMULATED_WINDOW_METRICS as readonly string[]).includes(p.metric)) {
    p.fail(`"${p.metric}" has no window form (instant metrics: ${SIMULATED_WINDOW_METRICS.join(', ')})`);
  }
  if (p.window === null || p.window < 1) p.fail(`an instant query needs a window of at least 1 s: ${WINDOW_SYNTAX}`);
  return {
    metric: p.metric as SimulatedWindowMetric,
    model: p.model,
    byVariant: p.byVariant,
    windowMs: (p.window as number) * 1000,
  };
}

export function parseSimulatedQuery(query: string): SimulatedQuery {
  const p = parseParts(query, SYNTAX);
  if (!(SIMULATED_METRICS as readonly string[]).includes(p.metric)) {
    p.fail(
      `unknown metric "${p.metric}" (known: ${SIMULATED_METRICS.join(', ')}; instant over a window: ${SIMULATED_WINDOW_METRICS.join(', ')})`,
    );
  }
  if (p.window !== null) p.fail('a range query has no [window]: each point covers one step');
  return { metric: p.metric as SimulatedMetric, model: p.model, byVariant: p.byVariant };
}

/** Template for one metric, in the same hole language as the Prometheus and Datadog templates. */
export function simulatedTemplate(metric: SimulatedMetric): string {
  return `${metric}{{{selector}}}{{#byVariant}} by ({{variantLabel}}){{/byVariant}}`;
}

/** Template of an instant query over `{{window}}` (the judged window). */
export function simulatedWindowTemplate(metric: SimulatedWindowMetric): string {
  return `${metric}{{{selector}}}[{{window}}]{{#byVariant}} by ({{variantLabel}}){{/byVariant}}`;
}

/**
 * The default metric set of a watch on the simulated service: per-step series for the charts and the per-minute
 * fallback, merged buckets (bounds in ms) for the tails, and window counts for the errors.
 */
export function simulatedMetricSpecs(): MetricSpec[] {
  const latency = (name: 'p50' | 'p95' | 'p99', quantile: number, critical: boolean): MetricSpec => ({
    name,
    kind: 'latency',
    unit: 'ms',
    query: simulatedTemplate(name),
    critical,
    quantile,
    buckets: simulatedWindowTemplate('buckets'),
    bucketUnitMs: 1,
  });
  return [
    { name: 'request_rate', kind: 'rate', unit: 'rps', query: simulatedTemplate('request_rate'), critical: false },
    {
      name: 'error_ratio',
      kind: 'errors',
      unit: 'ratio',
      query: simulatedTemplate('error_ratio'),
      critical: true,
      counts: { errors: simulatedWindowTemplate('errors'), total: simulatedWindowTemplate('requests') },
    },
    latency('p50', 0.5, false),
    latency('p95', 0.95, false),
    latency('p99', 0.99, true),
  ];
}

/** The demo watch's exposed-units query: distinct users per variant over the window (the sample-ratio check). */
export function simulatedUnitsQuery(): string {
  return simulatedWindowTemplate('users');
}

export interface SimulatedRenderOptions {
  /** The watch's selector, e.g. `service="checkout"`. */
  selector: string;
  byVariant: boolean;
  variantLabel?: string;
  /** `{{window}}` in seconds, for instant templates; range templates have no window (the step is the window). */
  windowSec?: number;
}

/** Fills a spec's template for a watch and checks the result parses; bad selector or label → bad_request. */
export function renderSimulatedQuery(
  spec: Pick<MetricSpec, 'query'> & { name?: string },
  opts: SimulatedRenderOptions,
): string {
  const instant = spec.query.includes('[{{window}}]');
  const query = renderTemplate(
    spec.query,
    {
      selector: opts.selector.trim(),
      variantLabel: opts.variantLabel ?? SIMULATED_VARIANT_LABEL,
      window: `${Math.max(1, Math.round(opts.windowSec ?? 60))}s`,
    },
    opts.byVariant,
  );
  try {
    if (instant) parseSimulatedWindowQuery(query);
    else parseSimulatedQuery(query);
  } catch (e) {
    if (e instanceof RampartError && spec.name)
      throw new RampartError(e.code, `Metric "${spec.name}": ${e.message}`, e.details);
    throw e;
  }
  return query;
}
