/**
 * The 12 × 600,000-point view (a week of 1-second data per series) in Chromium, drawn by the app's TimeChart: zoom
 * and pan steps, M4 in the worker versus M4 on the UI thread; and live ticks (5 new points per series, the week-long live window redrawn) with the worker's
 * incremental M4 versus recomputing every column.
 */
import { openBenchPage } from './bench-page';
import { CHART, UPDATE_BUDGET } from './chart';
import { median } from './data';
import { figure, type Figure } from './figures';
import type { UpdateTiming } from './page/main';
import type { StaticServer } from './static-server';

export const SERIES = 12;
export const POINTS = 600_000;
const HOUR = 3_600_000;

/** The week, then zoom in step by step, pan, zoom out: ranges as fractions of the week (start, length in hours). */
function steps(from: number, to: number): { from: number; to: number }[] {
  const week = to - from;
  const out: { from: number; to: number }[] = [{ from, to }];
  for (const [at, hours] of [
    [0.5, 48],
    [0.52, 12],
    [0.53, 2],
    [0.531, 0.5],
    [0.54, 0.5],
    [0.55, 0.5],
    [0.56, 2],
    [0.3, 12],
    [0.2, 48],
    [0.1, 96],
  ]) {
    const f = from + Math.round(at * week) + 1234; // never column-aligned: every step is a full M4 pass
    out.push({ from: f, to: Math.min(to, f + hours * HOUR) });
  }
  return out; // consecutive steps always differ (the page checks that the lines changed)
}

export async function benchInteraction(server: StaticServer, log: (s: string) => void): Promise<Figure[]> {
  const p = await openBenchPage(server);
  try {
    await p.call('init', CHART);
    const r = await p.call('generate', { count: SERIES, points: POINTS, seed: 500, keepInPage: true });
    const plan = steps(r.from, r.to);
    const run = async (mode: 'm4' | 'm4-main'): Promise<UpdateTiming[]> => {
      const out: UpdateTiming[] = [];
      for (const s of plan.slice(0, 2)) await p.call('update', { mode, ...s, reuse: false }); // warm-up
      for (let round = 0; round < 2; round++) {
        for (const s of plan) {
          const u = await p.call('update', { mode, ...s, reuse: false });
          if (!u.drawn) throw new Error(`interaction bench: ${mode} update not drawn`);
          out.push(u);
        }
      }
      return out;
    };
    const worker = await run('m4');
    const main = await run('m4-main');
    log(
      `interaction 12×600k: worker ${median(worker.map((u) => u.total)).toFixed(0)} ms (UI ${median(worker.map((u) => u.uiThread)).toFixed(0)}), UI-thread M4 ${median(main.map((u) => u.total)).toFixed(0)} ms`,
    );

    const ticks = async (reuse: boolean): Promise<UpdateTiming[]> => {
      const out: UpdateTiming[] = [];
      for (let i = 0; i < 14; i++) {
        const u = await p.call('liveTick', { count: 5, rangeMs: 7 * 24 * HOUR, reuse });
        if (i >= 2) out.push(u);
      }
      return out;
    };
    const incremental = await ticks(true);
    const full = await ticks(false);
    const scanned = (us: UpdateTiming[]): string =>
      `${Math.round(median(us.map((u) => u.scannedPoints))).toLocaleString('en')} points scanned`;
    log(
      `live tick 12×600k: incremental ${median(incremental.map((u) => u.total)).toFixed(1)} ms (${scanned(incremental)}), full ${median(full.map((u) => u.total)).toFixed(1)} ms (${scanned(full)})`,
    );
    return [
      figure({
        id: 'interaction.12x600k',
        name: 'Zoom/pan step with 12 × 600k points loaded (M4 worker → the app’s TimeChart)',
        unit: 'ms',
        values: worker.map((u) => u.total),
        baseline: { name: 'M4 on the UI thread → the same chart', values: main.map((u) => u.total) },
        budget: UPDATE_BUDGET,
        note:
          `${worker.length} steps from a week down to 30 min and back; UI thread busy ${median(worker.map((u) => u.uiThread)).toFixed(0)} ms per step with the worker ` +
          `vs ${median(main.map((u) => u.uiThread)).toFixed(0)} ms without; to the next frame incl. raster ${median(worker.map((u) => u.toNextFrame)).toFixed(0)} ms.`,
      }),
      figure({
        id: 'live.12x600k',
        name: 'Live tick: +5 points on each of 12 × 600k series, week view redrawn (incremental M4)',
        unit: 'ms',
        values: incremental.map((u) => u.total),
        baseline: { name: 'the same tick recomputing every column', values: full.map((u) => u.total) },
        budget: UPDATE_BUDGET,
        note: `worker time ${median(incremental.map((u) => u.data)).toFixed(1)} ms (${scanned(incremental)}) vs ${median(full.map((u) => u.data)).toFixed(1)} ms (${scanned(full)}).`,
      }),
    ];
  } finally {
    await p.close();
  }
}
