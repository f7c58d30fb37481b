/**
 * Chart updates in Chromium (the bench page, which renders the app's own TimeChart): 4 series at full width
 * (1400 px chart) at 10k, 100k and 1M points per series — M4 in the worker feeding the chart, as the app does — and
 * the naive baseline: every point into the same chart (capped; a capped run kills the browser). Also M4 of 1M points
 * in the worker versus on the UI thread, the points per series that reach the chart, and the pixel check.
 */
import type { Mode, UpdateTiming } from './page/main';
import { openBenchPage, type OpenBenchPage } from './bench-page';
import { median } from './data';
import { figure, sample, type Budget, type Figure } from './figures';
import { runPixelCheck } from './pixel-check';
import { describeDiff } from './pixel-diff';
import type { StaticServer } from './static-server';

export const CHART = { width: 1400, height: 320 };
const SIZES = [10_000, 100_000, 1_000_000];
const RAW_CAP_MS = 10_000;
const RAW_RUNS: Record<number, number> = { 10_000: 7, 100_000: 3, 1_000_000: 2 };
const RAW_WARMUP: Record<number, number> = { 10_000: 1, 100_000: 0, 1_000_000: 0 };
export const UPDATE_BUDGET: Budget = { text: '≤ 50 ms p95', op: '<=', limit: 50, stat: 'p95' };
const label = (n: number): string => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

/** Consecutive updates must differ (the page checks that the lines changed), across calls too. */
let updateCount = 0;

/** Updates alternate between two ranges 3.333 s apart: never column-aligned, so M4 recomputes every column. */
async function updates(
  p: OpenBenchPage,
  mode: Mode,
  from: number,
  to: number,
  runs: number,
  warmup: number,
): Promise<UpdateTiming[]> {
  const out: UpdateTiming[] = [];
  await sample(
    runs,
    async (i) => {
      const shift = (updateCount++ % 2) * 3333;
      const u = await p.call('update', { mode, from: from + shift, to: to + shift, reuse: false });
      if (!u.drawn) throw new Error(`chart bench: the ${mode} update was not drawn`);
      if (i >= 0) out.push(u);
      return u.total;
    },
    warmup,
  );
  return out;
}

interface RawResult {
  values: number[];
  capped: boolean;
}

/** Every point into the chart, in its own browser: a run over the cap kills that browser. */
async function rawUpdates(server: StaticServer, n: number, log: (s: string) => void): Promise<RawResult> {
  const p = await openBenchPage(server);
  try {
    await p.call('init', CHART);
    const r = await p.call('generate', { count: 4, points: n, seed: 300, keepInPage: true, worker: false });
    const values: number[] = [];
    for (let i = -RAW_WARMUP[n]; i < RAW_RUNS[n]; i++) {
      const shift = (Math.abs(i) % 2) * 3333;
      const run = p.call('update', { mode: 'raw', from: r.from + shift, to: r.to + shift });
      const timer = new Promise<'cap'>((resolve) => setTimeout(() => resolve('cap'), RAW_CAP_MS));
      const got = await Promise.race([run, timer]);
      if (got === 'cap') {
        run.catch(() => undefined); // the page dies with the browser
        log(`chart raw ${label(n)}: run ${i + 1} over ${RAW_CAP_MS / 1000} s — browser killed`);
        return { values: [...values, RAW_CAP_MS], capped: true };
      }
      if (i < 0) continue; // warm-up
      values.push(got.total);
      log(`chart raw ${label(n)}: ${got.total.toFixed(0)} ms (${got.points} points)`);
    }
    return { values, capped: false };
  } finally {
    await p.close();
  }
}

function detailOf(us: UpdateTiming[]): string {
  return (
    `worker ${median(us.map((u) => u.data)).toFixed(1)} ms, React commit with the line canvases drawn ${median(us.map((u) => u.commit)).toFixed(1)} ms; ` +
    `to the next frame incl. software raster ${median(us.map((u) => u.toNextFrame)).toFixed(0)} ms`
  );
}

export async function benchChart(server: StaticServer, log: (s: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const viaM4 = new Map<number, UpdateTiming[]>();
  let maxPoints = 0;
  let plotWidth = 0;
  let workerRuns: number[] = [];
  let mainRuns: number[] = [];

  const p = await openBenchPage(server);
  try {
    plotWidth = (await p.call('init', CHART)).columns;
    for (const n of SIZES) {
      const r = await p.call('generate', { count: 4, points: n, seed: 300 });
      const us = await updates(p, 'm4', r.from, r.to, 11, 2);
      viaM4.set(n, us);
      for (const u of us) maxPoints = Math.max(maxPoints, u.maxSeriesPoints);
      log(`chart m4 ${label(n)}: ${median(us.map((u) => u.total)).toFixed(0)} ms`);
    }
    // M4 of one 1M-point series: worker round trip vs the same code blocking the UI thread.
    const one = await p.call('generate', { count: 1, points: 1_000_000, seed: 301, keepInPage: true });
    workerRuns = await sample(
      15,
      async (i) =>
        (await p.call('workerView', { index: 0, from: one.from + (i % 2) * 3333, to: one.to, reuse: false })).ms,
      3,
    );
    mainRuns = await sample(
      15,
      async (i) => (await p.call('mainThreadView', { index: 0, from: one.from + (i % 2) * 3333, to: one.to })).ms,
      3,
    );
    log(`m4 1M in Chromium: worker ${median(workerRuns).toFixed(1)} ms, UI thread ${median(mainRuns).toFixed(1)} ms`);
  } finally {
    await p.close();
  }

  const raw = new Map<number, RawResult>();
  for (const n of SIZES) raw.set(n, await rawUpdates(server, n, log));

  for (const n of SIZES) {
    const rawResult = raw.get(n) ?? { values: [], capped: false };
    const baseline = {
      name: `every point into the same chart, no M4 (${4 * n} points)`,
      values: rawResult.values,
      capped: rawResult.capped,
      capMs: RAW_CAP_MS,
    };
    const us = viaM4.get(n) ?? [];
    figures.push(
      figure({
        id: `chart.m4.${label(n)}`,
        name: `Chart update, 4 × ${label(n)} points: M4 worker → the app's TimeChart`,
        unit: 'ms',
        values: us.map((u) => u.total),
        baseline,
        budget: UPDATE_BUDGET,
        note: `${us[0]?.points ?? 0} points drawn; ${detailOf(us)}.`,
      }),
    );
  }
  figures.push(
    figure({
      id: 'm4.worker.1m',
      name: 'M4 of 1M points in the Web Worker (Chromium, round trip from the UI thread)',
      unit: 'ms',
      values: workerRuns,
      baseline: { name: 'the same M4 on the UI thread (blocks it)', values: mainRuns },
      budget: { text: '≤ 20 ms, off the UI thread', op: '<=', limit: 20, stat: 'median' },
      note: 'Series held in the worker (transferred once); each view sends 4 numbers and receives ≤ 4 × width points (transferred).',
    }),
    figure({
      id: 'chart.points-per-series',
      name: 'Points per series reaching the chart (most seen in any M4 update)',
      unit: 'points',
      values: [maxPoints],
      baseline: { name: 'every point (1M-point series)', values: [1_000_000] },
      budget: { text: `≤ 4 × plot width (${4 * plotWidth})`, op: '<=', limit: 4 * plotWidth, stat: 'max' },
      note: `plot width ${plotWidth} px at devicePixelRatio 1.`,
    }),
  );
  figures.push(await pixelFigure(server, log));
  return figures;
}

async function pixelFigure(server: StaticServer, log: (s: string) => void): Promise<Figure> {
  const p = await openBenchPage(server);
  try {
    const r = await runPixelCheck(p);
    log(`pixel check: ${describeDiff(r.m4)}`);
    return figure({
      id: 'pixels.m4',
      name: `Pixel check: M4 vs all points (${r.fullPoints.join(' + ')} points), structural differences`,
      unit: 'pixels',
      values: [r.m4.structural],
      baseline: { name: 'every k-th point, same count as M4', values: [r.nth.structural] },
      note: `M4: ${describeDiff(r.m4)}. Control: ${describeDiff(r.nth)}.`,
    });
  } finally {
    await p.close();
  }
}
