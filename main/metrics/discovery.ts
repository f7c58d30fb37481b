import type { MetricName } from './metrics-provider';

/**
 * Metric discovery (docs/design.md "Connection kinds", docs/integrations.md §7): OpenTelemetry names differ by
 * exporter — `http.server.request.duration` (s) is `http_server_request_duration_bucket` from the OpenTelemetry JS
 * Prometheus exporter (no unit suffix), `http_server_request_duration_seconds_bucket` through OTLP → Prometheus,
 * `http.server.request.duration` in Datadog; older instrumentation has `http.server.duration` in milliseconds.
 * So names are looked up, never assumed, and a query that matches nothing says what the provider does have.
 */

/** The request-duration histograms of the HTTP semantic conventions, current first, with their default unit. */
export const REQUEST_DURATION_STEMS = [
  {
    stem: 'http_server_request_duration',
    unit: 's' as const,
    convention: 'http.server.request.duration (semantic conventions ≥ 1.20, seconds)',
  },
  {
    stem: 'http_server_duration',
    unit: 'ms' as const,
    convention: 'http.server.duration (older semantic conventions, milliseconds)',
  },
];

const UNIT_SUFFIX = /_(seconds|milliseconds|ms)$/;
const SERIES_SUFFIX = /_(bucket|count|sum|total|created)$/;

/** Lower case, dots and dashes to underscores, without the series suffix (_bucket, _count, …) or unit suffix. */
export function metricStem(name: string): { stem: string; unit: 's' | 'ms' | null } {
  let s = name
    .toLowerCase()
    .replace(/[.\-/]/g, '_')
    .replace(SERIES_SUFFIX, '');
  const u = UNIT_SUFFIX.exec(s);
  s = s.replace(UNIT_SUFFIX, '');
  return { stem: s, unit: u ? (u[1] === 'seconds' ? 's' : 'ms') : null };
}

export interface HistogramMatch {
  /** The name the provider has, without `_bucket` (Prometheus) — what a template uses. */
  base: string;
  unit: 's' | 'ms';
  convention: string;
  /** How the name was written by its exporter: "no unit suffix", "with unit suffix _seconds", "dotted (Datadog)". */
  form: string;
}

/** The request-duration histograms among a provider's names, best match (current convention) first. */
export function findRequestHistograms(names: readonly MetricName[]): HistogramMatch[] {
  const out: HistogramMatch[] = [];
  for (const n of names) {
    const dotted = n.name.includes('.');
    const isBucket = n.name.endsWith('_bucket');
    const isHistogram = dotted ? n.type === null || /distribution|histogram/i.test(n.type) : isBucket;
    if (!isHistogram) continue;
    const { stem, unit } = metricStem(n.name);
    const known = REQUEST_DURATION_STEMS.find((k) => k.stem === stem);
    if (!known) continue;
    const base = isBucket ? n.name.slice(0, -'_bucket'.length) : n.name;
    const form = dotted
      ? 'dotted (Datadog / OTLP name)'
      : unit
        ? `with unit suffix _${UNIT_SUFFIX.exec(base)?.[1]}`
        : 'no unit suffix (OpenTelemetry JS Prometheus exporter)';
    if (!out.some((o) => o.base === base))
      out.push({ base, unit: unit ?? known.unit, convention: known.convention, form });
  }
  const rank = (m: HistogramMatch) => REQUEST_DURATION_STEMS.findIndex((k) => m.convention === k.convention);
  return out.sort((a, b) => rank(a) - rank(b) || a.base.localeCompare(b.base));
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * The provider's names closest to `wanted` (a name or a regex over names, as in `__name__=~"…"`): same stem
 * first (another unit suffix, dots or underscores), then by edit distance of the stems; at most `k`.
 */
export function suggestNames(wanted: string, names: readonly string[], k = 3): string[] {
  const target = metricStem(wanted.replace(/\(([^)]*)\)\?/g, '').replace(/[\\^$()?*+[\]|]/g, ''));
  const suffix = SERIES_SUFFIX.exec(wanted.replace(/[\\^$"]/g, ''))?.[0] ?? '';
  const scored = names
    .filter((n) => n !== wanted)
    .map((name) => {
      const s = metricStem(name);
      const sameSuffix = suffix === '' || name.endsWith(suffix) ? 0 : 0.5;
      const d = s.stem === target.stem ? 0 : editDistance(s.stem, target.stem);
      return { name, score: d + sameSuffix };
    })
    .filter((x) => x.score <= Math.max(2, target.stem.length * 0.4))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  // Asked for a _bucket (or _count …): the same series of a close name, not its siblings, when there is one.
  const same = suffix ? scored.filter((x) => x.name.endsWith(suffix)) : [];
  return (same.length > 0 ? same : scored).slice(0, k).map((x) => x.name);
}

const NOT_METRICS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'or',
  'and',
  'unless',
  'offset',
  'bool',
]);

/** The metric names (or `__name__` regexes) a PromQL / Datadog / simulated query reads, in order. */
export function metricNamesInQuery(query: string): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(/__name__\s*=~?\s*"([^"]+)"/g)) out.push(m[1]);
  // Datadog: `p99:http.server.request.duration{…}`; PromQL and the demo: `name{…}` or `name[…]`.
  for (const m of query.matchAll(/(?:^|[\s(,:*/+-])([A-Za-z_][A-Za-z0-9_.:]*)\s*[{[]/g)) {
    const name = m[1].includes(':') ? m[1].split(':').pop()! : m[1];
    if (name.length > 0 && !NOT_METRICS.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** "no series match X; did you mean Y?" — or just the first half when nothing is close. */
export function noSeriesMessage(query: string, names: readonly string[]): { message: string; suggestions: string[] } {
  const wanted = metricNamesInQuery(query);
  const suggestions = [...new Set(wanted.flatMap((w) => suggestNames(w, names)))].slice(0, 3);
  const what = wanted.length > 0 ? wanted.join(', ') : query;
  const hint =
    suggestions.length > 0
      ? `; did you mean ${suggestions.join(' or ')}?`
      : names.length === 0
        ? ' (the provider has no metrics at all)'
        : '';
  return { message: `no series match ${what}${hint}`, suggestions };
}
