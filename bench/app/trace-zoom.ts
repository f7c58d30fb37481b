/**
 * `tsx bench/app/trace-zoom.ts`: where the renderer's main thread spends a drag-zoom on the shipped app — a Chromium
 * performance trace (DevTools timeline categories) around each drag-zoom of the canary watch's latency chart, each
 * double-click reset and each step of a crosshair sweep, summed as script, style (UpdateLayoutTree), layout, paint
 * (PrePaint, Paint, Layerize), the commit to the compositor and the whole tasks (median per step), with the SVG node
 * count of the chart stack. How issue 15's "SVG layers re-render only when their inputs change" is checked; not part
 * of `npm run bench` (tracing slows what it measures). Uses the built CLI, or RAMPART_BENCH_CLI; TRACE_DEBUG=1 prints
 * every step's busiest trace events.
 */
import type { CDPSession } from 'playwright-core';
import { openAppSession, type AppSession } from './session';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

const BUCKETS: Record<string, string[]> = {
  style: ['UpdateLayoutTree', 'RecalculateStyles'],
  layout: ['Layout'],
  paint: ['PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'UpdateLayerTree'],
  commit: ['Commit'],
  script: ['FunctionCall', 'EvaluateScript', 'V8.Execute'],
  tasks: ['ThreadControllerImpl::RunTask'],
};

async function traced(cdp: CDPSession, act: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: object[] }): void => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', onData);
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel',
    transferMode: 'ReportEvents',
  });
  await act();
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', onData);
  return events;
}

/** Milliseconds per bucket on the page's main thread (CrRendererMain of the busiest renderer). */
function sum(events: TraceEvent[]): Record<string, number> {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const count = (pid: number, tid: number): number => events.filter((e) => e.pid === pid && e.tid === tid).length;
  const main = mains.sort((a, b) => count(b.pid, b.tid) - count(a.pid, a.tid))[0];
  if (!main) throw new Error('trace-zoom: the trace has no renderer main thread (CrRendererMain)');
  if (process.env.TRACE_DEBUG) {
    const by = new Map<string, number>();
    for (const e of events)
      if (e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
        by.set(e.name, (by.get(e.name) ?? 0) + (e.dur ?? 0));
    console.log(
      [...by]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`)
        .join('\n'),
    );
    console.log('phases', [
      ...new Set(events.filter((e) => e.pid === main.pid && e.tid === main.tid).map((e) => e.ph)),
    ]);
  }
  const out: Record<string, number> = {};
  for (const [bucket, names] of Object.entries(BUCKETS)) {
    out[bucket] =
      events
        .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && names.includes(e.name))
        .reduce((n, e) => n + (e.dur ?? 0), 0) / 1000;
  }
  return out;
}

const ZOOMS: [number, number][] = [
  [0.4, 0.6],
  [0.62, 0.78],
  [0.2, 0.32],
  [0.7, 0.92],
  [0.5, 0.56],
];

async function overlayBox(s: AppSession): Promise<{ x: number; y: number; width: number; height: number }> {
  const overlay = s.page.locator('[data-testid=chart-latency] .chart-overlay');
  await overlay.scrollIntoViewIfNeeded(); // below the fold at 1440×900
  const box = await overlay.boundingBox();
  if (!box) throw new Error('trace-zoom: the latency chart has no overlay on screen');
  return box;
}

/** The median of each bucket over the steps (the machine is shared: one slow step says little). */
function medians(steps: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(BUCKETS)) {
    const v = steps.map((r) => r[k]).sort((a, b) => a - b);
    out[k] = v[Math.floor(v.length / 2)];
  }
  return out;
}

const fmt = (label: string, r: Record<string, number>): string =>
  `${label.padEnd(40)} ${Object.entries(r)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(' · ')} ms (median per step)`;

async function main(): Promise<void> {
  const s = await openAppSession();
  try {
    const { page, cdp } = s;
    await page.waitForSelector('[data-app-state="loaded"]', { state: 'attached', timeout: 30_000 });
    await page.locator('[data-testid=chart-latency]').waitFor();
    await page.waitForTimeout(2_500);
    const nodes = await page.evaluate("document.querySelectorAll('.chart-stack svg *').length");
    const zooms: Record<string, number>[] = [];
    const resets: Record<string, number>[] = [];
    for (let round = 0; round < 2; round++)
      for (const [a, b] of ZOOMS) {
        const box = await overlayBox(s);
        const y = box.y + box.height / 2;
        await page.mouse.move(box.x + a * box.width, y);
        await page.waitForTimeout(200);
        zooms.push(
          sum(
            await traced(cdp, async () => {
              await page.mouse.down();
              await page.mouse.move(box.x + b * box.width, y, { steps: 4 });
              await page.mouse.up();
              await page.waitForTimeout(600);
            }),
          ),
        );
        if (!String(await page.evaluate('location.hash')).includes('from='))
          throw new Error('trace-zoom: a drag on the latency chart did not zoom');
        resets.push(
          sum(
            await traced(cdp, async () => {
              await page.mouse.dblclick(box.x + box.width / 2, y);
              await page.waitForTimeout(600);
            }),
          ),
        );
      }
    const box = await overlayBox(s);
    const moves: Record<string, number>[] = [];
    for (let i = 0; i <= 20; i++)
      moves.push(
        sum(
          await traced(cdp, async () => {
            await page.mouse.move(box.x + (i / 20) * box.width, box.y + box.height / 3);
            await page.waitForTimeout(50);
          }),
        ),
      );
    console.log(`SVG nodes in the chart stack: ${nodes}`);
    console.log(fmt(`drag-zoom (×${zooms.length})`, medians(zooms)));
    console.log(fmt(`double-click reset (×${resets.length})`, medians(resets)));
    console.log(fmt(`crosshair move (×${moves.length})`, medians(moves)));
  } finally {
    await s.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
