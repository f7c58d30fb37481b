import type { Watch, WireSeries } from '../../shared/domain/metrics';
import type { FlagChange } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
import { m4 } from '../../shared/downsample/m4';
import { detectChangePoints, rankSuspects, type SeriesPoint } from '../../shared/stats';
import { chooseStep, type SeriesService } from './series-service';

/**
 * "p99 jumped at 14:02 — what changed?" Offline over the chosen window: binary segmentation finds where the metric
 * shifted; every flag change from every connection near it is ranked by time distance and by the shift around it.
 */
export function createIncidentAnalysis(deps: {
  series: SeriesService;
  render: (watch: Watch, metric: Watch['metrics'][number], byVariant: boolean) => string;
  changesBetween: (from: number, to: number) => FlagChange[];
}) {
  return async function analyze(watch: Watch, q: { metric: string; from: number; to: number }) {
    if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
    const spec = watch.metrics.find((m) => m.name === q.metric);
    if (!spec) throw new RampartError('bad_request', `Watch '${watch.id}' has no metric '${q.metric}' (it has ${watch.metrics.map((m) => m.name).join(', ')})`);
    // Enough resolution to place an onset within a few minutes, few enough points to segment quickly.
    const stepMs = chooseStep(q.from, q.to, 1500, 60_000);
    const got = await deps.series.fetchCached(watch, deps.render(watch, spec, false), q.from, q.to, stepMs);
    if (got.error && got.series.length === 0) throw new RampartError('unreachable', got.error);
    const s = got.series[0];
    const points: SeriesPoint[] = s ? Array.from(s.t, (t, i) => [t, Number.isFinite(s.v[i]) ? s.v[i] : null] as const) : [];
    // Of all change points in the window (diurnal swings included), the regression is the largest rise.
    const rises = detectChangePoints(points).filter((c) => c.meanAfter > c.meanBefore && c.meanBefore > 0);
    const found = rises.sort((a, b) => b.meanAfter / b.meanBefore - a.meanAfter / a.meanBefore)[0] ?? null;
    const changes = deps.changesBetween(q.from, q.to);
    const suspects = found
      ? rankSuspects(found, changes, points, { stepMs, windowMs: Math.max(3_600_000, (q.to - q.from) / 4) })
          .slice(0, 10)
          .map((x) => ({ changeId: x.change.id, label: `${x.change.flagKey} ${x.change.label}`, at: x.change.at, score: x.score, reason: x.reason, offsetMs: x.offsetMs, relativeShift: x.relativeShift }))
      : [];
    const shift = found ? found.meanAfter / found.meanBefore - 1 : null;
    const d = s ? m4(s.t, s.v, q.from, q.to, 1000) : { t: new Float64Array(0), v: new Float64Array(0) };
    const series: WireSeries = {
      metric: spec.name,
      variant: null,
      labels: s?.labels ?? {},
      points: Array.from(d.t, (t, i) => [t, Number.isFinite(d.v[i]) ? d.v[i] : null] as [number, number | null]),
    };
    return {
      onset: found ? { at: found.at, metric: spec.name, method: 'binary segmentation (Welch t-test between adjacent windows), largest rise', shift } : null,
      suspects,
      changes,
      series,
    };
  };
}
