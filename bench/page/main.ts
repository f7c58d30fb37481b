/**
 * The bench page: the app's TimeChart (bench/page/chart.ts) drawn from generated series — from every point ("raw",
 * the naive baseline), from the M4 worker's output (what the app does), from M4 computed on the UI thread, or from
 * every k-th point (the pixel check's control). The benchmark driver and the pixel-check test call
 * `window.rampartBench` through playwright; timings use the browser's performance marks.
 */
import { createElement as h } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { m4 } from '../../shared/downsample/m4';
import { alignToColumns, createM4Pool, type M4Client } from '../../renderer/src/workers/m4-client';
import type { Columns } from '../../renderer/src/charts/columns';
import { latencySeries, prng } from '../data';
import { BenchChart, PALETTE, plotWidthOf, type BenchChartProps, type BenchSeries } from './chart';
import { nextFrame, nextTask, page } from './dom';

interface HeldSeries {
  id: string;
  color: string;
  /** Kept in the page only when asked (UI-thread M4, every point, pixel check). */
  cols: Columns | null;
  /** Every point as a {t, v} object — what a chart fed raw points holds (the memory baseline; never drawn). */
  objects: { t: number; v: number }[] | null;
  lastT: number;
  lastV: number;
}

/** Where the columns come from: M4 in the worker / M4 on this thread / every point / every k-th point. */
export type Mode = 'm4' | 'm4-main' | 'raw' | 'nth';

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
  /** points ready → React commit (the SVG layers and every line canvas drawn) */
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
let chart: Omit<BenchChartProps, 'series' | 'from' | 'to'> = { width: 1200, height: 300, fullScale: false };
let held: HeldSeries[] = [];
let seq = 0;

function columns(): number {
  return Math.round(plotWidthOf(chart.width, chart.height) * page.devicePixelRatio);
}

/** The line canvases' draw counters (PlotCanvas stamps `data-drawn` each time it repaints a line). */
function drawStamps(): string[] {
  return Array.from(page.document.querySelectorAll('canvas.series-line')).map(
    (c) => c.getAttribute('data-drawn') ?? '',
  );
}

async function draw(
  from: number,
  to: number,
  series: BenchSeries[],
): Promise<{ commitEnd: number; renderedAt: number; vsyncWait: number; drawn: boolean }> {
  if (!root) throw new Error('bench page: call init() first');
  const r = root;
  const before = drawStamps();
  // The line canvases repaint in the commit's layout effects: flushSync returns with every line drawn.
  flushSync(() => r.render(h(BenchChart, { ...chart, from, to, series })));
  const commitEnd = performance.now();
  const after = drawStamps();
  const drawn = after.length === series.length && after.every((s, i) => s !== '' && s !== before[i]);
  const frameStart = await nextFrame();
  const renderedAt = await nextTask();
  return { commitEnd, renderedAt, vsyncWait: Math.max(0, frameStart - commitEnd), drawn: series.length === 0 || drawn };
}

function kept(s: HeldSeries): Columns {
  if (!s.cols) throw new Error('bench page: generate({ keepInPage: true }) first');
  return s.cols;
}

async function pointsFor(
  mode: Mode,
  from: number,
  to: number,
  reuse: boolean,
): Promise<{ series: BenchSeries[]; reused: number; scanned: number }> {
  const width = columns();
  let reused = 0;
  let scanned = 0;
  const styled = (cols: Columns[]): BenchSeries[] =>
    cols.map((c, i) => ({ key: held[i].id, color: held[i].color, cols: c }));
  if (mode === 'm4') {
    const c = client;
    if (!c) throw new Error('bench page: no M4 worker');
    const views = await Promise.all(held.map((s) => c.view(s.id, from, to, width, { reuse })));
    for (const view of views) {
      reused += view.reusedColumns;
      scanned += view.scannedPoints;
    }
    return { series: styled(views), reused, scanned };
  }
  if (mode === 'm4-main')
    return { series: styled(held.map((s) => m4(kept(s).t, kept(s).v, from, to, width))), reused, scanned };
  if (mode === 'raw') return { series: styled(held.map(kept)), reused, scanned };
  // 'nth': every k-th point, as many as M4 would send — the control that must NOT pass the pixel check.
  const nth = held.map((s) => {
    const { t, v } = kept(s);
    const k = Math.max(1, Math.ceil(t.length / m4(t, v, from, to, width).t.length));
    const n = Math.ceil(t.length / k);
    const out = { t: new Float64Array(n), v: new Float64Array(n) };
    for (let i = 0, j = 0; i < t.length; i += k, j++) {
      out.t[j] = t[i];
      out.v[j] = v[i];
    }
    return out;
  });
  return { series: styled(nth), reused, scanned };
}

const api = {
  /** Sets the chart's size and style and draws it empty. Returns the plot width the M4 columns must match. */
  async init(o: { width: number; height: number; fullScale?: boolean; worker?: boolean; workers?: number }) {
    const el = page.document.getElementById('chart');
    if (!el) throw new Error('bench page has no #chart');
    root ??= createRoot(el);
    chart = { width: o.width, height: o.height, fullScale: o.fullScale === true };
    if (o.worker !== false) client ??= createM4Pool(o.workers ?? 1);
    held = [];
    await draw(0, 1, []);
    return { plotWidth: plotWidthOf(o.width, o.height), columns: columns(), dpr: page.devicePixelRatio };
  },

  /** Generates `count` series of `points` 1-second points and loads them into the worker. */
  async generate(o: {
    count: number;
    points: number;
    seed: number;
    keepInPage?: boolean;
    objects?: boolean;
    worker?: boolean;
    gaps?: boolean;
  }) {
    held = [];
    for (let i = 0; i < o.count; i++) {
      const s = latencySeries(o.points, o.seed + i, { gaps: o.gaps });
      const id = `s${i}`;
      const lastT = s.t[s.t.length - 1];
      const lastV = s.v[s.v.length - 1];
      const keep = o.keepInPage === true;
      if (o.worker !== false && client) await client.load(id, s.t, s.v, { copy: keep }); // transferred unless kept
      held.push({
        id,
        color: PALETTE[i % PALETTE.length],
        cols: keep ? s : null,
        objects: o.objects ? Array.from(s.t, (t, k) => ({ t, v: s.v[k] })) : null,
        lastT,
        lastV,
      });
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
    const { commitEnd, renderedAt, vsyncWait, drawn } = await draw(o.from, o.to, drawing.series);
    performance.mark(`${label}:rendered`, { startTime: renderedAt });
    const nextFrameAt = await nextFrame();
    performance.mark(`${label}:next-frame`, { startTime: nextFrameAt });
    const rendered = performance.measure(label, `${label}:start`, `${label}:rendered`).duration;
    const toNextFrame = performance.measure(`${label}:to-next-frame`, `${label}:start`, `${label}:next-frame`).duration;
    const data = dataAt - start;
    performance.clearMarks();
    performance.clearMeasures();
    const sizes = drawing.series.map((s) => s.cols.t.length);
    const workerWait = o.mode === 'm4' ? data : 0;
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
  async workerView(o: {
    index: number;
    from: number;
    to: number;
    reuse?: boolean;
  }): Promise<{ ms: number; points: number }> {
    if (!client) throw new Error('bench page: no M4 worker');
    const start = performance.now();
    const view = await client.view(held[o.index].id, o.from, o.to, columns(), { reuse: o.reuse !== false });
    return { ms: performance.now() - start, points: view.t.length };
  },

  /** The same M4 on this (the UI) thread, blocking it (ms). */
  mainThreadView(o: { index: number; from: number; to: number }): { ms: number; points: number } {
    const { t, v } = kept(held[o.index]);
    const start = performance.now();
    const r = m4(t, v, o.from, o.to, columns());
    return { ms: performance.now() - start, points: r.t.length };
  },

  /**
   * A live tick: `count` new points appended to every series, then the live window [newest − rangeMs, newest]
   * (snapped to its column grid) drawn again. reuse=false recomputes every column (the non-incremental baseline).
   */
  async liveTick(o: { count: number; rangeMs: number; reuse: boolean }): Promise<UpdateTiming & { newest: number }> {
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
    return { ...(await api.update({ mode: 'm4', from: range.from, to: range.to, reuse: o.reuse })), newest };
  },

  /** Draws [from, to] from `mode` and waits for the frame (pixel check). */
  async show(o: { mode: Mode; from: number; to: number }): Promise<{ points: number[]; drawn: boolean }> {
    const drawing = await pointsFor(o.mode, o.from, o.to, true);
    const { drawn } = await draw(o.from, o.to, drawing.series);
    return { points: drawing.series.map((s) => s.cols.t.length), drawn };
  },

  /** The plot area's box in CSS pixels (the TimeChart's line layer), for screenshots of exactly the plot. */
  plotBox(): { x: number; y: number; width: number; height: number } {
    const layer = page.document.querySelectorAll('foreignObject.plot-layer')[0];
    if (!layer) throw new Error('bench page: no chart drawn');
    const r = layer.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  },
};

export type BenchApi = typeof api;
page.rampartBench = api;
page.document.body.dataset.benchReady = 'true';
