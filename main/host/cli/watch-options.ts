import { METRIC_KINDS, type MetricSpec, type Watch } from '../../../shared/domain/metrics';
import { optionalNumber, parseDuration, UsageError, type Options } from './args';

/**
 * The options `watch add` and `watch edit` share: what the UI's watch editor sets, as flags. A metric is
 *   --metric NAME:KIND[:UNIT][:critical]=QUERY
 * e.g. --metric 'p99:latency:ms:critical=histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_bucket{{{selector}}}[{{window}}]))) * 1000'
 * where KIND is rate|errors|latency and UNIT rps|ratio|ms (default by kind); repeat it for several.
 */
export const WATCH_OPTIONS: Options = {
  selector: { type: 'string' },
  'variant-label': { type: 'string' },
  treatment: { type: 'string' },
  control: { type: 'string' },
  metric: { type: 'string', multiple: true },
  'drop-metric': { type: 'string', multiple: true },
  step: { type: 'string' },
  'units-query': { type: 'string' },
  confidence: { type: 'string' },
  'allowed-increase': { type: 'string' },
  'pass-score': { type: 'string' },
  'marginal-score': { type: 'string' },
};

export const WATCH_OPTIONS_USAGE =
  "[--selector S] [--variant-label L] [--treatment V[,V…] --control V[,V…]] [--metric 'NAME:KIND[:UNIT][:critical]=QUERY']… [--drop-metric NAME]… [--step 60s] [--units-query Q] [--confidence 0.98] [--allowed-increase 1.1] [--pass-score 95] [--marginal-score 75]";

const UNIT_OF_KIND: Record<MetricSpec['kind'], MetricSpec['unit']> = { rate: 'rps', errors: 'ratio', latency: 'ms' };
const UNITS = ['rps', 'ratio', 'ms'] as const;

/** One `--metric` value as a MetricSpec; a malformed one names what is wrong with it. */
export function parseMetricOption(text: string): MetricSpec {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1)
    throw new UsageError(`--metric must look like NAME:KIND[:UNIT][:critical]=QUERY, got '${text}'`);
  const [name, kind, ...rest] = text.slice(0, eq).split(':');
  const query = text.slice(eq + 1).trim();
  if (!/^[a-z0-9_]{1,40}$/.test(name ?? ''))
    throw new UsageError(`--metric name must be lower-case letters, digits or _ (up to 40), got '${name}'`);
  if (!(METRIC_KINDS as readonly string[]).includes(kind ?? ''))
    throw new UsageError(`--metric ${name}: kind must be one of ${METRIC_KINDS.join(', ')}, got '${kind ?? ''}'`);
  const k = kind as MetricSpec['kind'];
  let unit = UNIT_OF_KIND[k];
  let critical = false;
  for (const part of rest) {
    if (part === 'critical') critical = true;
    else if ((UNITS as readonly string[]).includes(part)) unit = part as MetricSpec['unit'];
    else throw new UsageError(`--metric ${name}: '${part}' is neither a unit (${UNITS.join(', ')}) nor 'critical'`);
  }
  return { name, kind: k, unit, query, critical };
}

const list = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
const csv = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The watch with the options applied: `--metric` replaces a metric of the same name or adds one, `--drop-metric`
 * removes one; arms need both `--treatment` and `--control`. The core validates the result (watches:save).
 */
export function applyWatchOptions(watch: Watch, v: Record<string, unknown>): Watch {
  const out: Watch = { ...watch, thresholds: { ...watch.thresholds }, metrics: [...watch.metrics] };
  if (typeof v.selector === 'string') out.selector = v.selector;
  if (typeof v['variant-label'] === 'string') out.variantLabel = v['variant-label'];
  if ((v.treatment === undefined) !== (v.control === undefined))
    throw new UsageError('--treatment and --control go together: name the label values of both arms');
  if (typeof v.treatment === 'string' && typeof v.control === 'string') {
    const treatment = csv(v.treatment);
    const control = csv(v.control);
    if (treatment.length === 0 || control.length === 0)
      throw new UsageError('--treatment and --control each need at least one label value');
    const both = treatment.find((t) => control.includes(t));
    if (both) throw new UsageError(`'${both}' cannot be both a treatment and a control value`);
    out.arms = { treatment, control };
  }
  for (const spec of list(v.metric).map(parseMetricOption)) {
    const i = out.metrics.findIndex((m) => m.name === spec.name);
    if (i >= 0) out.metrics[i] = spec;
    else out.metrics.push(spec);
  }
  for (const name of list(v['drop-metric'])) {
    if (!out.metrics.some((m) => m.name === name))
      throw new UsageError(
        `--drop-metric: the watch has no metric '${name}' (it has ${out.metrics.map((m) => m.name).join(', ')})`,
      );
    out.metrics = out.metrics.filter((m) => m.name !== name);
  }
  if (out.metrics.length === 0) throw new UsageError('a watch needs at least one metric');
  if (typeof v.step === 'string') {
    const sec = parseDuration(v.step, 'step') / 1000;
    if (!Number.isInteger(sec) || sec < 5 || sec > 3600)
      throw new UsageError(`--step must be whole seconds from 5s to 1h, got '${v.step}'`);
    out.stepSec = sec;
  }
  if (typeof v['units-query'] === 'string') out.units = { query: v['units-query'] };
  const confidence = optionalNumber(v, 'confidence', 0.501, 0.9999);
  const allowed = optionalNumber(v, 'allowed-increase', 1.0001, 10);
  const pass = optionalNumber(v, 'pass-score', 0, 100);
  const marginal = optionalNumber(v, 'marginal-score', 0, 100);
  if (confidence !== undefined) out.thresholds.confidence = confidence;
  if (allowed !== undefined) out.thresholds.allowedIncrease = allowed;
  if (pass !== undefined) out.thresholds.passScore = pass;
  if (marginal !== undefined) out.thresholds.marginalScore = marginal;
  if (out.thresholds.marginalScore > out.thresholds.passScore)
    throw new UsageError(
      `--marginal-score (${out.thresholds.marginalScore}) must not exceed --pass-score (${out.thresholds.passScore})`,
    );
  return out;
}
