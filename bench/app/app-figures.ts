/**
 * The shipped app's rows of `npm run bench` (issue 15 targets), from one app scenario (scenario.ts: uPlot beside the
 * app in the same page and run) and one flag-list session (flag-search.ts). Each row names what its baseline is.
 */
import { percentile } from '../data';
import { figure, type Figure } from '../figures';
import { runFlagSearch } from './flag-search';
import { runAppScenario, type AppRun } from './scenario';
import type { Settled } from './session';

const LIVE_SECONDS = 60;
const paint = (xs: Settled[]): number[] => xs.map((x) => x.lastPaint).filter(Number.isFinite);
const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');

/** The ≤ 2 × uPlot budgets: the limit is measured in the same run. */
function twiceUplot(uplot: number[]): { text: string; op: '<='; limit: number; stat: 'median' } {
  const u = percentile(uplot, 0.5);
  return { text: `≤ 2 × uPlot (${(2 * u).toFixed(0)} ms)`, op: '<=', limit: 2 * u, stat: 'median' };
}

function slowestCalls(xs: Settled[]): string {
  return xs
    .map((x) => {
      const c = [...x.calls].sort((a, b) => b.end - b.start - (a.end - a.start))[0];
      return c ? `${c.channel} ${(c.end - c.start).toFixed(0)} ms` : 'no call';
    })
    .join('; ');
}

export function appFigures(run: AppRun): Figure[] {
  const { live, uplot } = run;
  const perMin = 60 / live.seconds;
  const sizes = `charts ${run.charts.traffic.width}×${run.charts.traffic.height} and ${run.charts.latency.width}×${run.charts.latency.height} px`;
  const zoom = paint(run.zoom);
  const week = paint(run.sevenDay);
  const channels = Object.entries(live.wire.byChannel)
    .map(([k, c]) => `${k} ${c.requests} req ${(c.bytes / 1024).toFixed(1)} KB`)
    .join(', ');
  return [
    figure({
      id: 'app.zoom',
      name: 'Drag-zoom input → painted with the new data (the app, canary view)',
      unit: 'ms',
      values: zoom,
      baseline: {
        name: `uPlot setScale of the same series, same page (${uplot.points24h} points)`,
        values: uplot.setScale,
      },
      budget: twiceUplot(uplot.setScale),
      note: `${sizes}; input = pointerup's event time, painted = the end of the frame that drew the last change once the series:view answer was in (first change painted: ${fmt(run.zoom.map((x) => x.firstPaint))} ms). Slowest call per zoom: ${slowestCalls(run.zoom)}.`,
    }),
    figure({
      id: 'app.zoom.p95',
      name: 'Drag-zoom input → painted, p95 (absolute budget)',
      unit: 'ms',
      values: zoom,
      budget: { text: '≤ 50 ms p95', op: '<=', limit: 50, stat: 'p95' },
      note: 'The same zooms as the row above.',
    }),
    figure({
      id: 'app.range-7d',
      name: '7-day range click → painted with data (the app)',
      unit: 'ms',
      values: week,
      baseline: {
        name: `uPlot setData of the app's 7-day answer, same page (${uplot.points7d} points)`,
        values: uplot.setData7d,
      },
      budget: twiceUplot(uplot.setData7d),
      note: `Four clicks alternating with 24 h (back to 24 h: ${fmt(paint(run.back24h))} ms). Slowest call per click: ${slowestCalls(run.sevenDay)}.`,
    }),
    figure({
      id: 'app.live.cpu',
      name: 'Live tick: renderer main thread, canary view open (% of one core)',
      unit: '%',
      values: [live.mainThreadPct],
      baseline: { name: 'every renderer thread (compositor, raster, workers included)', values: [live.processPct] },
      budget: { text: '≤ 2 %', op: '<=', limit: 2, stat: 'median' },
      note: `${live.seconds.toFixed(0)} s with the view open, DevTools TaskDuration of the page's main thread; the baseline column is the whole renderer process from /proc (not a target).`,
    }),
    figure({
      id: 'app.live.longtask',
      name: 'Live tick: longest main-thread task while the view is open',
      unit: 'ms',
      values: live.longTasks.length ? live.longTasks : [0],
      budget: { text: 'none > 50 ms', op: '<=', limit: 50, stat: 'max' },
      note: `${live.longTasks.length} long tasks (≥ 50 ms is a long task; the PerformanceObserver reports those only) in ${live.seconds.toFixed(0)} s.`,
    }),
    figure({
      id: 'app.live.requests',
      name: 'Requests per minute, canary view open',
      unit: '/min',
      values: [live.wire.requests * perMin],
      budget: { text: '≤ 15 /min', op: '<=', limit: 15, stat: 'median' },
      note: `Counted by the DevTools protocol: ${channels || 'no calls'}; ${live.wire.pushedEvents} pushed events on the one open event stream.`,
    }),
    figure({
      id: 'app.live.bytes',
      name: 'Bytes per minute on the wire, canary view open (answers + pushed events)',
      unit: 'KB/min',
      values: [(live.wire.bytes / 1024) * perMin],
      budget: { text: '≤ 200 KB/min', op: '<=', limit: 200, stat: 'median' },
      note: `Of which pushed: ${((live.wire.pushedBytes / 1024) * perMin).toFixed(1)} KB/min.`,
    }),
    figure({
      id: 'app.flag-switch',
      name: 'First switch to another flag → its charts painted',
      unit: 'ms',
      values: paint(run.flagSwitch),
      note: `Flags ${run.flagSwitch.map((f) => f.flagKey).join(', ')}; the decision answered at ${fmt(run.flagSwitch.map((f) => f.verdictAnswered))} ms. Slowest call: ${slowestCalls(run.flagSwitch)}.`,
    }),
  ];
}

export async function benchApp(log: (m: string) => void): Promise<Figure[]> {
  const run = await runAppScenario(log, { liveSeconds: LIVE_SECONDS });
  return appFigures(run);
}

export async function benchFlagsAndRollback(log: (m: string) => void): Promise<Figure[]> {
  const r = await runFlagSearch(log);
  const costs = r.keystrokes.map((k) => k.handling + k.frame);
  return [
    figure({
      id: 'app.flags.keystroke',
      name: `Flag search keystroke with ${r.rows.toLocaleString('en')} flags listed (keydown → frame rendered)`,
      unit: 'ms',
      values: costs,
      budget: { text: 'none > 16 ms', op: '<=', limit: 16, stat: 'max' },
      note: `${costs.length} keystrokes; handling ${fmt(r.keystrokes.map((k) => k.handling))} ms, frame rendering ${fmt(r.keystrokes.map((k) => k.frame))} ms (the vsync wait left out). Every row listed ${r.listedMs} ms after a reload.`,
    }),
    figure({
      id: 'app.rollback.busy',
      name: 'Rollback answered through the HTTP door while 3 verdicts compute (p95)',
      unit: 'ms',
      values: r.rollbackBusy,
      baseline: { name: 'the same rollback on the idle host', values: r.rollbackIdle },
      budget: { text: '≤ 50 ms p95', op: '<=', limit: 50, stat: 'p95' },
      note: `flagd rollbacks of distinct flags in a 1,000-flag file (rewrite + read-back); verdicts still computing when each rollback was answered: ${r.verdictsInFlight.join(', ')} of 3.`,
    }),
  ];
}
