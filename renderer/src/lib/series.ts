/**
 * From the series of a watch to how the chart stack draws them: which chart and axis each series goes on, its
 * colour, and whether it is the treatment (solid) or the control (dashed) arm — one styling for the charts (which
 * carry columns, charts/columns.ts) and for the sparklines (which carry points). Points are passed through as they
 * came — the core already downsampled them (M4); nothing here adds points.
 */
import { isSeriesShown, seriesKey, visibleByDefault } from '../../../shared/contract/domains/watches';
import type { MetricSpec, WireSeries } from '../../../shared/domain/metrics';
import type { Columns } from '../charts/columns';
import type { Unit } from './format';

export type ChartId = 'traffic' | 'latency';
export type VariantRole = 'treatment' | 'control' | 'all' | 'other';

export interface ChartPoint {
  t: number;
  v: number | null;
}

export interface SeriesStyle {
  /** Unique per series: metric + variant (shared/contract/domains/watches.ts seriesKey). */
  key: string;
  metric: string;
  variant: string | null;
  role: VariantRole;
  chart: ChartId;
  axis: 'left' | 'right';
  unit: Unit;
  color: string;
  dash: string | undefined;
  name: string;
}

export interface PlotSeries extends SeriesStyle {
  points: ChartPoint[];
}

/** A series as the charts draw it: its style and its columns (already downsampled for the window). */
export interface ChartSeries extends SeriesStyle {
  cols: Columns;
}

export interface VariantNames {
  treatment?: string;
  control?: string;
}

const TREATMENT_WORDS = /^(on|true|enabled|treatment|new|variant|test|canary)$/i;
const CONTROL_WORDS = /^(off|false|disabled|control|old|baseline|default)$/i;

export function variantRole(variant: string | null, names: VariantNames): VariantRole {
  if (variant === null) return 'all';
  if (names.treatment !== undefined && variant === names.treatment) return 'treatment';
  if (names.control !== undefined && variant === names.control) return 'control';
  if (TREATMENT_WORDS.test(variant)) return 'treatment';
  if (CONTROL_WORDS.test(variant)) return 'control';
  return 'other';
}

/** Colour families: one per metric, treatment and control share it (control dashed and lighter). */
const PALETTE = {
  rate: { main: '#5794f2', light: '#8ab8ff' },
  errors: { main: '#f2495c', light: '#ff7383' },
  latency: [
    { main: '#73bf69', light: '#a6dd9e' }, // p50
    { main: '#fade2a', light: '#fff099' }, // p95
    { main: '#ff9830', light: '#ffb870' }, // p99
    { main: '#b877d9', light: '#d2a6ea' },
    { main: '#33b5e5', light: '#7fd3f2' },
  ],
} as const;

interface Placement {
  chart: ChartId;
  axis: 'left' | 'right';
  unit: Unit;
  family: { main: string; light: string };
}

/** Metric kind decides the chart: rate and errors share the traffic chart (two axes), latency has its own. */
export function placeMetric(metric: string, specs: readonly MetricSpec[]): Placement {
  const spec = specs.find((m) => m.name === metric);
  const kind = spec?.kind ?? (/err/i.test(metric) ? 'errors' : /^p\d+|lat|ms$/i.test(metric) ? 'latency' : 'rate');
  if (kind === 'rate') return { chart: 'traffic', axis: 'left', unit: spec?.unit ?? 'rps', family: PALETTE.rate };
  if (kind === 'errors')
    return { chart: 'traffic', axis: 'right', unit: spec?.unit ?? 'ratio', family: PALETTE.errors };
  const latencyIndex = specs.filter((m) => m.kind === 'latency').findIndex((m) => m.name === metric);
  const family = PALETTE.latency[Math.max(0, latencyIndex) % PALETTE.latency.length];
  return { chart: 'latency', axis: 'left', unit: spec?.unit ?? 'ms', family };
}

function seriesName(metric: string, variant: string | null, role: VariantRole): string {
  if (variant === null) return metric;
  if (role === 'treatment' || role === 'control') return `${metric} · ${role} (${variant})`;
  return `${metric} · ${variant}`;
}

const ROLE_ORDER: Record<VariantRole, number> = { all: 0, treatment: 1, control: 2, other: 3 };

/** The style of one series of a watch: chart, axis, unit, colour, dash and legend name. */
export function styleSeries(
  s: { metric: string; variant: string | null },
  specs: readonly MetricSpec[],
  names: VariantNames,
): SeriesStyle {
  const role = variantRole(s.variant, names);
  const place = placeMetric(s.metric, specs);
  return {
    key: seriesKey(s.metric, s.variant),
    metric: s.metric,
    variant: s.variant,
    role,
    chart: place.chart,
    axis: place.axis,
    unit: place.unit,
    color: role === 'control' || role === 'other' ? place.family.light : place.family.main,
    dash: role === 'control' ? '6 4' : role === 'other' ? '2 3' : undefined,
    name: seriesName(s.metric, s.variant, role),
  };
}

/** The order series are listed and drawn in: the watch's metric order, then whole population, treatment, control. */
export function bySpecOrder(specs: readonly MetricSpec[]): (a: SeriesStyle, b: SeriesStyle) => number {
  const specOrder = (m: string): number => {
    const i = specs.findIndex((s) => s.name === m);
    return i < 0 ? specs.length : i;
  };
  return (a, b) => specOrder(a.metric) - specOrder(b.metric) || ROLE_ORDER[a.role] - ROLE_ORDER[b.role];
}

export function toPlotSeries(
  series: readonly WireSeries[],
  specs: readonly MetricSpec[],
  names: VariantNames,
): PlotSeries[] {
  return series
    .map((s) => ({ ...styleSeries(s, specs, names), points: s.points.map(([t, v]) => ({ t, v })) }))
    .sort(bySpecOrder(specs));
}

/** The point nearest to `t` (binary search on sorted points), or null if none lies within `maxGapMs`. */
export function nearestPoint(points: readonly ChartPoint[], t: number, maxGapMs: number): ChartPoint | null {
  if (points.length === 0) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  let best = points[lo];
  if (lo > 0 && Math.abs(points[lo - 1].t - t) <= Math.abs(best.t - t)) best = points[lo - 1];
  return Math.abs(best.t - t) <= maxGapMs ? best : null;
}

export function countPoints(series: readonly PlotSeries[]): number {
  return series.reduce((n, s) => n + s.points.filter((p) => p.v !== null).length, 0);
}

/** Whether a series is drawn unless the user toggled it: the contract's visibility rule (population line hidden under a split). */
export function defaultVisible(s: SeriesStyle, all: readonly SeriesStyle[]): boolean {
  return visibleByDefault(s, all);
}

export function isVisible(
  s: SeriesStyle,
  all: readonly SeriesStyle[],
  overrides: Readonly<Record<string, boolean>>,
): boolean {
  return isSeriesShown(s, all, overrides);
}
