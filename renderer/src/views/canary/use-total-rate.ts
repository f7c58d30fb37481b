/**
 * The watched service's total request rate now (rps), what the blast radius of the next step is computed from: the
 * median of the last few steps of the watch's rate metric over all variants — read from the series the charts
 * already hold (data/series-views.ts), not asked again. The whole-population line is usually hidden under its split
 * by variant and then not sent, so the variants' rates are summed step by step (rates add). Null when the watch has
 * no rate metric or no recent data.
 */
import type { Watch } from '../../../../shared/domain/metrics';
import type { Columns } from '../../charts/columns';
import { useSeriesView } from '../../data/series-views';
import type { SeriesFrame } from '../../data/series-view';

const RECENT_STEPS = 5;

/** Per step, the sum of the series' values (steps where any is missing are left out). */
function sumByStep(cols: readonly Columns[]): Map<number, number> {
  const sums = new Map<number, { v: number; n: number }>();
  for (const c of cols) {
    for (let i = 0; i < c.t.length; i++) {
      if (!Number.isFinite(c.v[i])) continue;
      const s = sums.get(c.t[i]) ?? { v: 0, n: 0 };
      s.v += c.v[i];
      s.n++;
      sums.set(c.t[i], s);
    }
  }
  return new Map([...sums].filter(([, s]) => s.n === cols.length).map(([t, s]) => [t, s.v]));
}

export function latestTotal(frame: SeriesFrame | null, metric: string): number | null {
  if (!frame) return null;
  const overall = frame.cols.get(`${metric}\u0000`);
  const parts = overall
    ? [overall]
    : frame.series
        .filter((s) => s.metric === metric && s.variant !== null && frame.cols.has(s.key))
        .map((s) => frame.cols.get(s.key) as Columns);
  if (parts.length === 0) return null;
  const steps = [...sumByStep(parts)]
    .sort((a, b) => a[0] - b[0])
    .slice(-RECENT_STEPS)
    .map(([, v]) => v)
    .sort((a, b) => a - b);
  return steps.length ? steps[steps.length >> 1] : null;
}

export function useTotalRate(watch: Watch | null): number | null {
  const rate = watch?.metrics.find((m) => m.kind === 'rate');
  const { frame } = useSeriesView(watch && rate ? watch.id : null, 0);
  return rate ? latestTotal(frame, rate.name) : null;
}
