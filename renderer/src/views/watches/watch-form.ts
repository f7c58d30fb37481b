/**
 * The watch editor's form model, pure: a watch as the editable texts of a form (lists as "a, b", numbers as typed),
 * and back. The contract's Watch schema validates the result (field-errors.ts turns its issues into plain words).
 */
import type { MetricSpec, Watch } from '../../../../shared/domain/metrics';

export interface WatchForm {
  id: string;
  flagConnectionId: string;
  flagKey: string;
  env: string;
  metricsConnectionId: string;
  selector: string;
  variantLabel: string;
  /** Label values of each arm, comma-separated; both empty = the store's conventions decide. */
  treatment: string;
  control: string;
  stepSec: string;
  unitsQuery: string;
  confidence: string;
  allowedIncrease: string;
  passScore: string;
  marginalScore: string;
  metrics: MetricSpec[];
}

export function fromWatch(w: Watch): WatchForm {
  return {
    id: w.id,
    flagConnectionId: w.flagConnectionId,
    flagKey: w.flagKey,
    env: w.env,
    metricsConnectionId: w.metricsConnectionId,
    selector: w.selector,
    variantLabel: w.variantLabel,
    treatment: w.arms?.treatment.join(', ') ?? '',
    control: w.arms?.control.join(', ') ?? '',
    stepSec: String(w.stepSec ?? 60),
    unitsQuery: w.units?.query ?? '',
    confidence: String(w.thresholds.confidence),
    allowedIncrease: String(w.thresholds.allowedIncrease),
    passScore: String(w.thresholds.passScore),
    marginalScore: String(w.thresholds.marginalScore),
    metrics: w.metrics.map((m) => ({ ...m })),
  };
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** A number as typed; an empty or malformed text stays a string, so the schema names the field. */
const num = (s: string): number | string => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s);

/** The payload for watches:save / watches:preview, unvalidated (Watch.safeParse judges it). */
export function toWatch(f: WatchForm): unknown {
  const treatment = list(f.treatment);
  const control = list(f.control);
  return {
    id: f.id,
    flagConnectionId: f.flagConnectionId,
    flagKey: f.flagKey,
    env: f.env,
    metricsConnectionId: f.metricsConnectionId,
    selector: f.selector.trim(),
    variantLabel: f.variantLabel.trim(),
    ...(treatment.length || control.length ? { arms: { treatment, control } } : {}),
    stepSec: num(f.stepSec),
    ...(f.unitsQuery.trim() ? { units: { query: f.unitsQuery.trim() } } : {}),
    metrics: f.metrics.map((m) => ({ ...m, name: m.name.trim(), query: m.query.trim() })),
    thresholds: {
      confidence: num(f.confidence),
      allowedIncrease: num(f.allowedIncrease),
      passScore: num(f.passScore),
      marginalScore: num(f.marginalScore),
    },
  };
}

/** Where a schema issue shows in the form: "arms.treatment" under Treatment, "metrics.2.query" in that row. */
export function formField(path: string): string {
  if (path.startsWith('arms')) return path.includes('control') ? 'control' : 'treatment';
  if (path.startsWith('thresholds.')) return path.slice('thresholds.'.length);
  if (path.startsWith('units')) return 'unitsQuery';
  return path;
}

export const NEW_METRIC: MetricSpec = { name: '', kind: 'latency', unit: 'ms', query: '', critical: false };

const SUFFIX = /_(bucket|count|sum|total)$/;
const commonPrefix = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/**
 * A "did you mean" name put into a query: the metric name in the query that is closest to the suggestion (longest
 * common prefix) is replaced, suffixes kept — `http_server_request_duration_seconds_bucket` becomes
 * `http_server_request_duration_bucket` when the provider has the OpenTelemetry JS exporter's name. Unchanged when no
 * name in the query resembles it.
 */
export function applySuggestion(query: string, suggestion: string): string {
  const newBase = suggestion.replace(SUFFIX, '');
  const ids = [...new Set(query.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [])].filter(
    (x) => x.includes('_') && !x.includes('{'),
  );
  let best: { id: string; score: number } | null = null;
  for (const id of ids) {
    const score = commonPrefix(id, newBase);
    if (score >= 4 && (best === null || score > best.score)) best = { id, score };
  }
  if (!best) return query;
  const oldBase = best.id.replace(SUFFIX, '');
  if (oldBase === newBase) return query;
  return query.replace(
    new RegExp(`\\b${oldBase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=(_bucket|_count|_sum|_total)?\\b)`, 'g'),
    newBase,
  );
}
