/**
 * uPlot beside the app, in the same page and the same run: the benchmark hands it the exact series the app drew
 * (decoded from the app's own answers), in charts of the app's sizes and line styles, and times its full draw
 * (setData) and its zoom (setScale) the way the probe times the app — from the call to the end of the frame that
 * painted it. uPlot (dev dependency) is evaluated through the DevTools protocol, which the page's CSP does not
 * govern; nothing of it reaches the app's bundle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../bench-page';

export interface UplotSeries {
  label: string;
  color: string;
  width: number;
  dash: number[] | null;
  /** 'y' the left axis, 'y2' the right one. */
  scale: 'y' | 'y2';
}

export interface UplotChart {
  id: string;
  width: number;
  height: number;
  series: UplotSeries[];
  /** uPlot's aligned data: [x (s), ...one column per series (null = a gap, undefined = no point at that x)]. */
  data: (number | null | undefined)[][];
}

const HARNESS = String.raw`(() => {
  const charts = new Map();
  let box = null;
  const paint = () => window.__rampartProbe.nextPaint();
  const css = ${JSON.stringify(readFileSync(join(REPO_ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), 'utf8'))};
  try { const sheet = new CSSStyleSheet(); sheet.replaceSync(css); document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; } catch (e) { /* layout only */ }
  const axis = (scale, side) => ({ scale, side, stroke: '#9aa1ab', grid: { show: side === 3 || scale === 'x', stroke: '#2a2f38', width: 1 }, ticks: { stroke: '#2a2f38', width: 1 }, font: '11px system-ui', size: 56 });
  window.__uplotBench = {
    async mount(specs) {
      box = document.createElement('div');
      box.style.cssText = 'position:fixed;left:0;top:0;z-index:100000;background:#0f1216;padding:0;margin:0';
      document.body.appendChild(box);
      const t0 = performance.now();
      for (const s of specs) {
        const el = document.createElement('div');
        box.appendChild(el);
        const right = s.series.some((x) => x.scale === 'y2');
        const opts = {
          width: s.width, height: s.height, legend: { show: false }, cursor: { show: false }, pxAlign: 0,
          scales: { x: { time: true }, y: {}, y2: {} },
          axes: [axis('x', 2), axis('y', 3), ...(right ? [axis('y2', 1)] : [])],
          series: [{}, ...s.series.map((x) => ({ label: x.label, stroke: x.color, width: x.width, dash: x.dash || undefined, scale: x.scale, points: { show: false }, spanGaps: false }))],
        };
        charts.set(s.id, new uPlot(opts, s.data, el));
      }
      return (await paint()) - t0;
    },
    async setData(all) {
      const t0 = performance.now();
      for (const [id, data] of Object.entries(all)) charts.get(id).setData(data);
      return (await paint()) - t0;
    },
    async setScale(min, max) {
      const t0 = performance.now();
      for (const u of charts.values()) u.setScale('x', { min, max });
      return (await paint()) - t0;
    },
    unmount() {
      for (const u of charts.values()) u.destroy();
      charts.clear();
      box && box.remove();
      box = null;
    },
  };
})();`;

export interface UplotHandle {
  mount(charts: UplotChart[]): Promise<number>;
  /** Full draw of new data in every chart (by id); ms to painted. */
  setData(data: Record<string, (number | null | undefined)[][]>): Promise<number>;
  /** The x-range (epoch ms) of every chart; ms to painted. */
  setScale(from: number, to: number): Promise<number>;
  unmount(): Promise<void>;
}

export async function installUplot(page: Page): Promise<UplotHandle> {
  const lib = readFileSync(join(REPO_ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'), 'utf8');
  await page.evaluate(`${lib}\n;window.uPlot = uPlot;\n${HARNESS}`);
  return {
    mount: (charts) =>
      page.evaluate(
        (c) =>
          (globalThis as unknown as { __uplotBench: { mount(c: unknown): Promise<number> } }).__uplotBench.mount(c),
        charts,
      ),
    setData: (data) =>
      page.evaluate(
        (d) =>
          (globalThis as unknown as { __uplotBench: { setData(d: unknown): Promise<number> } }).__uplotBench.setData(d),
        data,
      ),
    setScale: (from, to) =>
      page.evaluate(
        ([a, b]) =>
          (
            globalThis as unknown as { __uplotBench: { setScale(a: number, b: number): Promise<number> } }
          ).__uplotBench.setScale(a, b),
        [from / 1000, to / 1000] as const,
      ),
    unmount: () =>
      page.evaluate(() => (globalThis as unknown as { __uplotBench: { unmount(): void } }).__uplotBench.unmount()),
  };
}

/**
 * Aligns series of one chart on the union of their timestamps (uPlot draws one x array per chart): a series' own gap
 * (NaN) is null — uPlot breaks the line there — and an x where the series has no point is undefined, which uPlot
 * spans (its documented alignment artifact), so each line is drawn through exactly its own points.
 */
export function alignForUplot(
  columns: { t: ArrayLike<number>; v: ArrayLike<number> }[],
): (number | null | undefined)[][] {
  const all = new Set<number>();
  for (const c of columns) for (let i = 0; i < c.t.length; i++) all.add(c.t[i]);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const out: (number | null | undefined)[][] = [xs.map((t) => t / 1000)];
  for (const c of columns) {
    const col = new Array<number | null | undefined>(xs.length).fill(undefined);
    for (let i = 0; i < c.t.length; i++) {
      const y = c.v[i];
      col[index.get(c.t[i]) ?? 0] = Number.isFinite(y) ? y : null;
    }
    out.push(col);
  }
  return out;
}
