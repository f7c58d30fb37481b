/**
 * `npm run bench` (after `npm run build`): every figure of issues 6, 13 and 15 next to its baseline — the shipped
 * app in Chromium through the browser host with uPlot beside it (bench/app), the app's own chart components on the
 * bench page, the core's pieces in Node — several runs each, medians, then bench/out/latest.json and
 * bench/out/latest.md. No network. Exits 0 even when a budget is missed (the report says which and why); a figure
 * that cannot be measured is reported as NOT MEASURED.
 */
import { execFileSync } from 'node:child_process';
import { benchApp, benchFlagsAndRollback } from './app/app-figures';
import { cpus, loadavg, totalmem } from 'node:os';
import { buildBenchPage, serveStatic } from './bench-page';
import { CHROMIUM_PATH } from './browser';
import { benchChart, UPDATE_BUDGET } from './chart';
import { benchCodeRefs } from './code-refs';
import { benchColdStart } from './cold-start';
import { failedFigure, type Budget, type Figure, type Unit } from './figures';
import { benchInteraction } from './interaction';
import { benchJudge } from './judge-worker';
import { benchM4 } from './m4';
import { benchMemory } from './memory';
import { writeReport } from './report';
import { benchRollback } from './rollback';
import { benchSqlite } from './sqlite';

type Stub = [id: string, name: string, unit: Unit, budget: Budget | null];

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'Chromium (version unknown)';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadStart = loadavg();
  const log = (s: string): void =>
    console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${s}`);
  const figures: Figure[] = [];

  /** Runs one benchmark; on failure its figures are reported as not measured, and the others still run. */
  async function step(name: string, run: () => Promise<Figure[]>, stubs: Stub[]): Promise<void> {
    log(`${name} …`);
    try {
      figures.push(...(await run()));
    } catch (e) {
      log(`${name} FAILED: ${e instanceof Error ? e.message : String(e)}`);
      for (const [id, n, unit, budget] of stubs) figures.push(failedFigure(id, n, unit, budget, e));
    }
  }

  // The shipped app first (issue 15's targets), while the machine is as quiet as this run will see it.
  await step('the shipped app beside uPlot', () => benchApp(log), [
    ['app.zoom', 'Drag-zoom input → painted (the app)', 'ms', null],
    ['app.range-7d', '7-day range click → painted (the app)', 'ms', null],
    ['app.live.cpu', 'Live tick: renderer main thread (% of one core)', '%', null],
    ['app.live.requests', 'Requests per minute, canary view open', '/min', null],
    ['app.live.bytes', 'Bytes per minute on the wire, canary view open', 'KB/min', null],
  ]);
  await step('1,000 flags and a rollback while verdicts compute', () => benchFlagsAndRollback(log), [
    ['app.flags.keystroke', 'Flag search keystroke, 1,000 flags', 'ms', null],
    ['app.rollback.busy', 'Rollback answered while verdicts compute', 'ms', null],
  ]);

  await step('M4 in Node', () => benchM4(log), [
    ['m4.node.1m', 'M4 downsampling, 1M points', 'ms', { text: '≤ 20 ms', op: '<=', limit: 20, stat: 'median' }],
  ]);
  await step('judge', () => benchJudge(log), [
    [
      'judge.worker',
      'Verdict, 20 metrics × 2 arms × 10k samples',
      'ms',
      { text: '≤ 100 ms', op: '<=', limit: 100, stat: 'median' },
    ],
  ]);
  await step('SQLite', () => benchSqlite(log), [
    [
      'sqlite.ingest',
      'SQLite ingest of 1M samples',
      'samples/s',
      { text: '≥ 400k samples/s', op: '>=', limit: 400_000, stat: 'median' },
    ],
    ['sqlite.read-hour', 'Read 1 h of 1-second data', 'ms', { text: '≤ 10 ms', op: '<=', limit: 10, stat: 'median' }],
  ]);

  await step('code references', () => benchCodeRefs(log), [
    [
      'code-refs.10k',
      'Code references, 10,000-file git tree',
      'ms',
      { text: '≤ 5 s', op: '<=', limit: 5_000, stat: 'median' },
    ],
  ]);

  let server: Awaited<ReturnType<typeof serveStatic>> | null = null;
  try {
    log('building the bench page …');
    server = await serveStatic(await buildBenchPage());
    const s = server;
    await step('chart updates', () => benchChart(s, log), [
      ['chart', 'Chart update, 4 series at full width', 'ms', UPDATE_BUDGET],
    ]);
    await step('12 × 600k interaction', () => benchInteraction(s, log), [
      ['interaction.12x600k', 'Zoom/pan step with 12 × 600k points loaded', 'ms', UPDATE_BUDGET],
    ]);
    await step('memory', () => benchMemory(s, log), [
      ['memory.renderer', 'Peak RSS of the renderer with the 12 × 600k view open', 'MB', null],
      ['memory.core', 'Peak RSS of the core serving the 12 × 600k view', 'MB', null],
    ]);
  } catch (e) {
    log(`bench page FAILED: ${e instanceof Error ? e.message : String(e)}`);
    figures.push(failedFigure('chart', 'Chart update, 4 series at full width (bench page)', 'ms', UPDATE_BUDGET, e));
  } finally {
    await server?.close();
  }

  await step('rollback (local Unleash)', () => benchRollback(log), [
    [
      'rollback',
      'Rollback click → confirmed by read-back (p95)',
      'ms',
      { text: '≤ 300 ms p95', op: '<=', limit: 300, stat: 'p95' },
    ],
  ]);
  await step('cold start', () => benchColdStart(log), [
    ['cold-start', 'Cold start → first chart (demo)', 'ms', { text: '≤ 1.0 s', op: '<=', limit: 1000, stat: 'median' }],
  ]);
  const { json, md } = writeReport({
    name: 'npm run bench',
    startedAt: new Date(started).toISOString(),
    durationS: (Date.now() - started) / 1000,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      memoryGb: totalmem() / 1024 ** 3,
      node: process.version,
      chromium: chromiumVersion(),
      loadAverage: { start: loadStart, end: loadavg() },
    },
    figures,
  });
  const missed = figures.filter((f) => f.met === false).map((f) => f.id);
  log(`wrote ${json} and ${md}`);
  log(missed.length ? `budgets missed: ${missed.join(', ')} (causes in ${md})` : 'every budget met');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
