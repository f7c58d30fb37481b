import { watchStepMs, type Watch } from '../../shared/domain/metrics';
import type { Series } from '../metrics/metrics-provider';

/** One point an hour over the threshold window: fine enough to say when, ≈ 720 points for a month. */
const HOUR_MS = 3_600_000;
/**
 * The hourly points are aligned to the hour, so the hour in progress is invisible to them: the last two hours are
 * also read at the watch's own step, so a flag evaluated only since a few minutes ago is seen (tester 2, F13).
 */
const RECENT_MS = 2 * HOUR_MS;

/** What the exposure metric says about one flag's evaluations in [from, to]. */
export interface EvaluationReading {
  /** The last time any variant showed traffic; null: not once in the data read. */
  lastAt: number | null;
  /** The earliest time the metric had a series for the flag: silence can only be claimed from there on. */
  dataFrom: number;
  /** In plain words, what was read — the stale reason repeats it (issue 14: the reason says what was measured). */
  measured: string;
}

export interface EvaluationDeps {
  /** Raw series through the series cache (series-service fetchCached). */
  fetch: (
    watch: Watch,
    query: string,
    from: number,
    to: number,
    stepMs: number,
  ) => Promise<{ series: Series[]; error: string | null }>;
  /** The watch's query for a metric, split by variant, over a window of `windowSec`. */
  render: (watch: Watch, spec: Watch['metrics'][number], byVariant: boolean, windowSec: number) => string;
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

/**
 * "Not evaluated for N days" (issue 14), when the flag's watch has an exposure metric: its request rate split by the
 * variant label, hourly over [from, to] and at the watch's step over the last two hours. Traffic without the label
 * says nothing about this flag. Undefined — no claim either way — when the metric cannot be read or has no series
 * for the flag at all: "no traffic data" is unknown, not silence.
 */
export function createEvaluationProbe(deps: EvaluationDeps) {
  return async function lastEvaluated(watch: Watch, from: number, to: number): Promise<EvaluationReading | undefined> {
    const spec = watch.metrics.find((m) => m.kind === 'rate');
    if (!spec) return undefined;
    const step = watchStepMs(watch);
    const recentFrom = Math.max(from, to - RECENT_MS);
    const [hourly, recent] = await Promise.all([
      deps.fetch(watch, deps.render(watch, spec, true, HOUR_MS / 1000), from, to, HOUR_MS),
      deps.fetch(watch, deps.render(watch, spec, true, step / 1000), recentFrom, to, step),
    ]);
    if (hourly.error || recent.error) return undefined;
    let last: number | null = null;
    let first = Infinity;
    const read = (series: Series[], windowMs: number) => {
      for (const s of series) {
        if (!s.labels[watch.variantLabel]) continue;
        for (let i = 0; i < s.t.length; i++) {
          if (s.t[i] < from || s.t[i] > to || !Number.isFinite(s.v[i])) continue;
          // A point's rate covers the window before it: the series is known from the start of that window.
          first = Math.min(first, Math.max(from, s.t[i] - windowMs));
          if (s.v[i] > 0 && (last === null || s.t[i] > last)) last = s.t[i];
        }
      }
    };
    read(hourly.series, HOUR_MS);
    read(recent.series, step);
    if (first === Infinity) return undefined;
    const measured = `its exposure metric (${spec.name} by ${watch.variantLabel}, hourly and every ${seconds(step)} over the last 2 h)`;
    return { lastAt: last, dataFrom: first, measured };
  };
}

export type EvaluationProbe = ReturnType<typeof createEvaluationProbe>;
