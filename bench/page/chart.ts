/**
 * The chart under test is the app's own: renderer/src/charts/TimeChart (SVG grid and axes, one canvas per series),
 * given columns the way the canary view gives them (docs/design.md, issue 13 "Measure what ships"). The bench page
 * only chooses where the columns come from (M4 in the worker, M4 on the UI thread, every point). Written with
 * createElement: bench/** is compiled by the Node tsconfig, which has no JSX and no DOM — so the component comes in
 * through the Vite alias `rampart-shipped-chart` (bench/page/vite.config.mts, typed in shipped-chart.d.ts) and its
 * props are spelled out here against the app's own series type.
 */
import { createElement as h, type ComponentType } from 'react';
import { TimeChart } from 'rampart-shipped-chart';
import type { Columns } from '../../renderer/src/charts/columns';
import { plotBox } from '../../renderer/src/charts/plot-box';
import type { ChartSeries } from '../../renderer/src/lib/series';
import { timeTicks } from '../../renderer/src/lib/time';

/** The subset of TimeChartProps (renderer/src/charts/TimeChart.tsx) the bench sets. */
interface ShippedChartProps {
  width: number;
  height: number;
  from: number;
  to: number;
  ticks: readonly number[];
  tickInterval: number;
  showXAxis: boolean;
  series: readonly ChartSeries[];
  leftUnit: 'ms';
  rightUnit: null;
  fullScale?: boolean;
}

const Chart = TimeChart as ComponentType<ShippedChartProps>;

export interface BenchSeries {
  key: string;
  color: string;
  cols: Columns;
}

export interface BenchChartProps {
  width: number;
  height: number;
  from: number;
  to: number;
  series: BenchSeries[];
  /**
   * Scale the y-axis to every point (the app's "full scale" option) instead of the robust default: the pixel check
   * needs the same axis for every point and for M4's output, and M4 keeps each column's extremes, not the quantiles.
   */
  fullScale: boolean;
}

export const PALETTE = [
  '#5794f2',
  '#f2495c',
  '#73bf69',
  '#ff9830',
  '#b877d9',
  '#33b5e5',
  '#fade2a',
  '#8ab8ff',
  '#ff7383',
  '#a6dd9e',
  '#ffb870',
  '#d2a6ea',
];

/** The plot area's width in CSS pixels for a chart of `width` (the app's geometry, with the x-axis shown). */
export function plotWidthOf(width: number, height: number): number {
  return plotBox(width, height, true).width;
}

/** A bench series styled as the app styles a latency series (treatment: solid, 1.5 px). */
function asChartSeries(s: BenchSeries): ChartSeries {
  return {
    key: s.key,
    metric: s.key,
    variant: null,
    role: 'all',
    chart: 'latency',
    axis: 'left',
    unit: 'ms',
    color: s.color,
    dash: undefined,
    name: s.key,
    cols: s.cols,
  };
}

export function BenchChart(p: BenchChartProps): React.JSX.Element {
  const { ticks, interval } = timeTicks(p.from, p.to, plotWidthOf(p.width, p.height));
  return h(Chart, {
    width: p.width,
    height: p.height,
    from: p.from,
    to: p.to,
    ticks,
    tickInterval: interval,
    showXAxis: true,
    series: p.series.map(asChartSeries),
    leftUnit: 'ms',
    rightUnit: null,
    fullScale: p.fullScale,
  });
}
