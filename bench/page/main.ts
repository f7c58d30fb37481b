/**
 * The bench page: recharts LineCharts drawn from generated series, either from every point ("raw", the naive
 * baseline), from the M4 worker's output, or from M4 computed on the UI thread. The benchmark driver and the
 * pixel-check test call `window.rampartBench` through playwright; timings use the browser's performance marks.
 */
import { createElement as h } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { m4 } from '../../shared/downsample/m4';
import { alignToColumns, createM4Pool, toChartPoints, type M4Client } from '../../renderer/src/workers/m4-client';
import { latencySeries, prng } from '../data';
import { BenchChart, PALETTE, plotWidthOf, type BenchChartProps, type ChartPoint, type ChartSeries } from './chart';
import type { PathSeries } from './path-lines';
import { nextFrame, nextTask, page } from './dom';

interface HeldSeries {
  id: string;
  color: string;
  /** Kept in the page only when asked (UI-thread M4, raw points, pixel check). */
  t: Float64Array | null;
  v: Float64Array | null;
  raw: ChartPoint[] | null;
  lastT: number;
  lastV: number;
}

/** Where the points come from (M4 in the worker / M4 on this thread / every point) and how lines are drawn. */
export type Mode = 'm4' | 'm4-path' | 'm4-main' | 'm4-main-path' | 'raw' | 'nth';

export interface UpdateTiming {
  /**
   * start → the frame showing the update rendered on the main thread, minus the idle wait for that frame's vsync
   * (≤ 16.7 ms, not work): the figure.
   */
  total: number;
  /** start → the next frame begins, which waits for the update's frame to be rasterized (incl. vsync waits). */
  toNextFrame: number;
  /** start → points ready (worker round trip / UI-thread M4 / nothing for raw) */
  data: number;
  /** points ready → React + recharts commit */
  commit: number;
  /** the UI thread's own work: total minus the wait for the worker */
  uiThread: number;
  points: number;
  maxSeriesPoints: number;
  reusedColumns: number;
  scannedPoints: number;
  /** false when the DOM did not show the new data within 30 frames */
  drawn: boolean;
}

let root: Root | null = null;
let client: M4Client | null = null;
let chart: Omit<BenchChartProps, 'series' | 'from' | 'to'> = { width: 1200, height: 300, axes: true, yDomain: null, strokeWidth: 1.5 };
let held: HeldSeries[] = [];
let lastPath = '';
let seq = 0;

function columns(): number {
  return Math.round(plotWidthOf(chart.width, chart.axes) * page.devicePixelRatio);
}

function linePaths(): string[] {
  return Array.from(page.document.querySelectorAll('path.recharts-line-curve')).map((p) => p.getAttribute('d') ?? '');
}

interface Drawing {
  series: ChartSeries[];
  paths: PathSeries[];
  yDomain: [number, number] | null;
}

async function draw(from: number, to: number, d: Drawing): Promise<{ commitEnd: number; renderedAt: number; vsyncWait: number; drawn: boolean }> {
  if (!root) throw new Error('bench page: call init() first');
  const r = root;
  const props: BenchChartProps = { ...chart, from, to, series: d.series, paths: d.paths, yDomain: d.yDomain ?? chart.yDomain };
  const expected = d.series.length + d.paths.length;
  flushSync(() => r.render(h(BenchChart, props)));
  const commitEnd = performance.now();
  // recharts may finish its lines a render later: wait for frames until the DOM shows the new paths.
  let vsyncWait = -1;
  for (let frame = 0; frame < 30; frame++) {
    const frameStart = await nextFrame();
    if (vsyncWait < 0) vsyncWait = frameStart - commitEnd;
    const renderedAt = await nextTask();
    const paths = linePaths();
    const first = paths[0] ?? '';
    if (expected === 0 || (paths.length === expected && first !== lastPath && first.length > 0)) {
      lastPath = first;
      return { commitEnd, renderedAt, vsyncWait, drawn: true };
    }
  }
  return { commitEnd, renderedAt: performance.now(), vsyncWait: Math.max(0, vsyncWait), drawn: false };
}

/** [0, a round number above the highest value]: the explicit y-domain the path layer needs. */
function niceDomain(views: { v: Float64Array }[]): [number, number] {
  let hi = 0;
  for (const view of views) for (let i = 0; i < view.v.length; i++) if (view.v[i] > hi) hi = view.v[i];
  const mag = 10 ** Math.floor(Math.log10(hi || 1));
  return [0, Math.ceil(hi / mag) * mag];
}

async function pointsFor(mode: Mode, from: number, to: number, reuse: boolean): Promise<Drawing & { reused: number; scanned: number }> {
  const width = columns();
  let reused = 0;
  let scanned = 0;
  if (mode === 'm4' || mode === 'm4-path') {
    const c = client;
    if (!c) throw new Error('bench page: no M4 worker');
    const views = await Promise.all(held.map((s) => c.view(s.id, from, to, width, { reuse })));
    for (const view of views) {
      reused += view.reusedColumns;
      scanned += view.scannedPoints;
    }
    if (mode === 'm4-path') {
      const paths = views.map((view, i) => ({ key: held[i].id, color: held[i].color, t: view.t, v: view.v }));
      return { series: [], paths, yDomain: niceDomain(views), reused, scanned };
    }
    const series = views.map((view, i) => ({ key: held[i].id, color: held[i].color, points: toChartPoints(view) }));
    return { series, paths: [], yDomain: null, reused, scanned };
  }
  if (mode === 'm4-main-path') {
    const views = held.map((s) => {
      if (!s.t || !s.v) throw new Error('bench page: generate({ keepInPage: true }) first');
      return m4(s.t, s.v, from, to, width);
    });
    const paths = views.map((view, i) => ({ key: held[i].id, color: held[i].color, t: view.t, v: view.v }));
    return { series: [], paths, yDomain: niceDomain(views), reused, scanned };
  }
  const series = held.map((s): ChartSeries => {
    if (mode === 'raw') {
      if (!s.raw) throw new Error('bench page: generate({ raw: true }) first');
      return { key: s.id, color: s.color, points: s.raw };
    }
    if (!s.t || !s.v) throw new Error('bench page: generate({ keepInPage: true }) first');
    if (mode === 'm4-main') return { key: s.id, color: s.color, points: toChartPoints(m4(s.t, s.v, from, to, width)) };
    // 'nth': every k-th point, as many as M4 would send — the control that must NOT pass the pixel check.
    const budget = m4(s.t, s.v, from, to, width).t.length;
    const k = Math.max(1, Math.ceil(s.t.length / budget));
    const points: ChartPoint[] = [];
    for (let i = 0; i < s.t.length; i += k) points.push({ t: s.t[i], v: Number.isFinite(s.v[i]) ? s.v[i] : null });
    return { key: s.id, color: s.color, points };
  });
  return { series, paths: [], yDomain: null, reused, scanned };
}

const api = {
  /** Sets the chart's size and style and draws it empty. Returns the plot width the M4 columns must match. */
  async init(o: { width: number; height: number; axes: boolean; strokeWidth?: number; yDomain?: [number, number] | null; worker?: boolean; workers?: number }) {
    const el = page.document.getElementById('chart');
    if (!el) throw new Error('bench page has no #chart');
    root ??= createRoot(el);
    chart = { width: o.width, height: o.height, axes: o.axes, yDomain: o.yDomain ?? null, strokeWidth: o.strokeWidth ?? 1.5 };
    if (o.worker !== false) client ??= createM4Pool(o.workers ?? 1);
    held = [];
    lastPath = '';
    await draw(0, 1, { series: [], paths: [], yDomain: null });
    return { plotWidth: plotWidthOf(o.width, o.axes), columns: columns(), dpr: page.devicePixelRatio };
  },

  /** Changes the line width for the following updates. */
  setStroke(o: { strokeWidth: number }): void {
    chart = { ...chart, strokeWidth: o.strokeWidth };
  },

  /** Generates `count` series of `points` 1-second points and loads them into the worker. */
  async generate(o: { count: number; points: number; seed: number; keepInPage?: boolean; raw?: boolean; worker?: boolean; gaps?: boolean }) {
    held = [];
    for (let i = 0; i < o.count; i++) {
      const s = latencySeries(o.points, o.seed + i, { gaps: o.gaps });
      const raw = o.raw ? toChartPoints(s) : null;
      const id = `s${i}`;
      const lastT = s.t[s.t.length - 1];
      const lastV = s.v[s.v.length - 1];
      const keep = o.keepInPage === true;
      if (o.worker !== false && client) await client.load(id, s.t, s.v, { copy: keep }); // transferred unless kept
      held.push({ id, color: PALETTE[i % PALETTE.length], t: keep ? s.t : null, v: keep ? s.v : null, raw, lastT, lastV });
    }
    const first = latencySeries(1, o.seed).t[0];
    return { from: first, to: first + (o.points - 1) * 1000 };
  },

  /** One chart update: points for [from, to] by `mode`, drawn, timed with performance marks. */
  async update(o: { mode: Mode; from: number; to: number; reuse?: boolean }): Promise<UpdateTiming> {
    // Start from an idle pipeline: the previous update's frame is rasterized once the next frame begins.
    await nextFrame();
    await nextFrame();
    const label = `update-${o.mode}-${++seq}`;
    const start = performance.mark(`${label}:start`).startTime;
    const drawing = await pointsFor(o.mode, o.from, o.to, o.reuse !== false);
    const dataAt = performance.mark(`${label}:data`).startTime;
    const { commitEnd, renderedAt, vsyncWait, drawn } = await draw(o.from, o.to, drawing);
    performance.mark(`${label}:rendered`, { startTime: renderedAt });
    const nextFrameAt = await nextFrame();
    performance.mark(`${label}:next-frame`, { startTime: nextFrameAt });
    const rendered = performance.measure(label, `${label}:start`, `${label}:rendered`).duration;
    const toNextFrame = performance.measure(`${label}:to-next-frame`, `${label}:start`, `${label}:next-frame`).duration;
    const data = dataAt - start;
    performance.clearMarks();
    performance.clearMeasures();
    const sizes = [...drawing.series.map((s) => s.points.length), ...drawing.paths.map((s) => s.t.length)];
    const workerWait = o.mode === 'm4' || o.mode === 'm4-path' ? data : 0;
    return {
      total: rendered - vsyncWait,
      toNextFrame,
      data,
      commit: commitEnd - dataAt,
      uiThread: rendered - vsyncWait - workerWait,
      points: sizes.reduce((a, b) => a + b, 0),
      maxSeriesPoints: Math.max(0, ...sizes),
      reusedColumns: drawing.reused,
      scannedPoints: drawing.scanned,
      drawn,
    };
  },

  /** M4 of one series in the worker, round trip from this thread (ms). */
  async workerView(o: { index: number; from: number; to: number; reuse?: boolean }): Promise<{ ms: number; points: number }> {
    if (!client) throw new Error('bench page: no M4 worker');
    const start = performance.now();
    const view = await client.view(held[o.index].id, o.from, o.to, columns(), { reuse: o.reuse !== false });
    return { ms: performance.now() - start, points: view.t.length };
  },

  /** The same M4 on this (the UI) thread, blocking it (ms). */
  mainThreadView(o: { index: number; from: number; to: number }): { ms: number; points: number } {
    const s = held[o.index];
    if (!s.t || !s.v) throw new Error('bench page: generate({ keepInPage: true }) first');
    const start = performance.now();
    const r = m4(s.t, s.v, o.from, o.to, columns());
    return { ms: performance.now() - start, points: r.t.length };
  },

  /**
   * A live tick: `count` new points appended to every series, then the live window [newest − rangeMs, newest]
   * (snapped to its column grid) drawn again. reuse=false recomputes every column (the non-incremental baseline).
   */
  async liveTick(o: { count: number; rangeMs: number; reuse: boolean; mode?: 'm4' | 'm4-path' }): Promise<UpdateTiming & { newest: number }> {
    if (!client) throw new Error('bench page: no M4 worker');
    const c = client;
    let newest = 0;
    await Promise.all(
      held.map((s, i) => {
        const rnd = prng(s.lastT + i);
        const t = new Float64Array(o.count);
        const v = new Float64Array(o.count);
        for (let k = 0; k < o.count; k++) {
          s.lastT += 1000;
          s.lastV = Math.max(1, s.lastV + (rnd() - 0.5) * 4);
          t[k] = s.lastT;
          v[k] = s.lastV;
        }
        newest = Math.max(newest, s.lastT);
        return c.append(s.id, t, v);
      }),
    );
    const range = alignToColumns(newest - o.rangeMs, newest, columns());
    return { ...(await api.update({ mode: o.mode ?? 'm4', from: range.from, to: range.to, reuse: o.reuse })), newest };
  },

  /** Draws [from, to] from `mode` and waits for the frame (pixel check). */
  async show(o: { mode: Mode; from: number; to: number }): Promise<{ points: number[]; drawn: boolean }> {
    const drawing = await pointsFor(o.mode, o.from, o.to, true);
    const { drawn } = await draw(o.from, o.to, drawing);
    return { points: [...drawing.series.map((s) => s.points.length), ...drawing.paths.map((s) => s.t.length)], drawn };
  },

  /** The plot area's box in CSS pixels (recharts' clip rectangle), for screenshots of exactly the plot. */
  plotBox(): { x: number; y: number; width: number; height: number } {
    const rect = page.document.querySelectorAll('clipPath rect')[0];
    const svg = page.document.querySelectorAll('svg.recharts-surface')[0];
    if (!rect || !svg) throw new Error('bench page: no chart drawn');
    const s = svg.getBoundingClientRect();
    const num = (n: string): number => Number(rect.getAttribute(n) ?? Number.NaN);
    return { x: s.x + num('x'), y: s.y + num('y'), width: num('width'), height: num('height') };
  },
};

export type BenchApi = typeof api;
page.rampartBench = api;
page.document.body.dataset.benchReady = 'true';
