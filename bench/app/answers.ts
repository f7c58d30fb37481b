/**
 * The series the app drew, for uPlot: the app's own series calls (their payloads as the probe saw them) are asked
 * again of the same host with its bearer token, and the answers decoded into columns and placed on the app's two
 * charts (traffic: rate left, errors right; latency) with the app's colours and line styles — only the series the
 * app shows.
 */
import type { MetricSpec } from '../../shared/domain/metrics';
import { decodeSeriesColumns, type SeriesViewAnswer } from '../../shared/downsample/columns';
import { LINE_WIDTH } from '../../renderer/src/charts/draw-lines';
import { isVisible, toPlotSeries, type ChartId } from '../../renderer/src/lib/series';
import { alignForUplot, type UplotChart, type UplotSeries } from './uplot';

export interface ColumnSeries {
  metric: string;
  variant: string | null;
  t: Float64Array;
  v: Float64Array;
}

export async function rpc<T>(origin: string, token: string, channel: string, payload: unknown): Promise<T> {
  const res = await fetch(`${origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  const body = (await res.json()) as { result?: T; error?: { code: string; message: string } };
  if (body.error || body.result === undefined)
    throw new Error(`${channel}: ${body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`}`);
  return body.result;
}

/** Columns of an answer of either series channel: `series:range` (points as [t, v] pairs) or `series:view` (encoded columns). */
export function columnsOf(channel: string, result: unknown): { series: ColumnSeries[]; shown: Set<string> | null } {
  if (channel === 'series:view') {
    const a = result as SeriesViewAnswer;
    const series = a.series.map((s) => ({ metric: s.metric, variant: s.variant, ...decodeSeriesColumns(s) }));
    return {
      series,
      shown: new Set(a.series.filter((s) => !s.hidden).map((s) => `${s.metric}\u0000${s.variant ?? ''}`)),
    };
  }
  const r = result as { series: { metric: string; variant: string | null; points: [number, number | null][] }[] };
  const series = r.series.map((s) => ({
    metric: s.metric,
    variant: s.variant,
    t: Float64Array.from(s.points, (p) => p[0]),
    v: Float64Array.from(s.points, (p) => (p[1] === null ? Number.NaN : p[1])),
  }));
  return { series, shown: null };
}

const DASH: Record<string, number[]> = { '6 4': [6, 4], '2 3': [2, 3] };

/** The app's two charts as uPlot charts of the given sizes, with the series the app shows (its visibility rule). */
export function uplotCharts(
  cols: { series: ColumnSeries[]; shown: Set<string> | null },
  specs: readonly MetricSpec[],
  sizes: Record<ChartId, { width: number; height: number }>,
): UplotChart[] {
  const wire = cols.series.map((s) => ({
    metric: s.metric,
    variant: s.variant,
    labels: {},
    points: [] as [number, number | null][],
  }));
  const plot = toPlotSeries(wire, specs, {});
  const byKey = new Map(cols.series.map((s) => [`${s.metric}\u0000${s.variant ?? ''}`, s]));
  const charts: UplotChart[] = [];
  for (const id of ['traffic', 'latency'] as const) {
    const shown = plot.filter((p) => p.chart === id && (cols.shown ? cols.shown.has(p.key) : isVisible(p, plot, {})));
    const series: UplotSeries[] = shown.map((p) => ({
      label: p.name,
      color: p.color,
      width: LINE_WIDTH, // the app's own line width: uPlot strokes what the app strokes
      dash: p.dash ? (DASH[p.dash] ?? null) : null,
      scale: p.axis === 'right' ? 'y2' : 'y',
    }));
    const columns = shown.map((p) => byKey.get(p.key) ?? { t: new Float64Array(0), v: new Float64Array(0) });
    charts.push({ id, width: sizes[id].width, height: sizes[id].height, series, data: alignForUplot(columns) });
  }
  return charts;
}

/** Points per chart, for the report. */
export function pointCount(charts: UplotChart[]): number {
  return charts.reduce(
    (n, c) => n + c.data.slice(1).reduce((m, col) => m + col.filter((x) => x !== null && x !== undefined).length, 0),
    0,
  );
}
