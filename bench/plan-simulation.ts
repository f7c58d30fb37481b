/**
 * Simulation benchmark of guarded rollout plans (issue 12), part of `npm run bench:judge` (`--quick` for 100 plans
 * per cell): over 1,000 simulated plans per cell, how often a healthy rollout is wrongly rolled back (target ≤ 1 %),
 * how often a regression (p99 +25 %, errors +0.5 pp) reaches the next step before it is caught (target ≤ 5 % at 1 %
 * and 5 % first steps), and the median time to reach 100 % for a healthy flag. The traffic model is the judge
 * simulation's (bench/judge/model.ts); the rules are Rampart's own (bench/plans/simulate-plan.ts). Writes
 * bench/out/plans.json and bench/out/plans.md (not with --quick). Runs on every core (worker threads).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NO_REGRESSION, type Regression } from './judge/latency-model';
import { markdown, summarize, type CellSpec } from './plans/report';
import type { PlanRunOptions, PlanRunRecord } from './plans/simulate-plan';
import type { PlanTask, PlanTaskResult } from './plans/worker';

const quick = process.argv.includes('--quick');
/** `--runs N` (e.g. 200 for a diagnosis run) and `--cells healthy-1,p99-1`: a partial run leaves bench/out alone. */
function argOf(name: string): string | null {
  const i = process.argv.indexOf(name);
  if (i < 0) return null;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}
const runsArg = argOf('--runs');
if (runsArg !== null && !/^[1-9]\d*$/.test(runsArg))
  throw new Error(`--runs must be a positive integer, got ${runsArg}`);
const RUNS = runsArg !== null ? Number(runsArg) : quick ? 100 : 1000;
const cellsArg = argOf('--cells');
const partial = quick || runsArg !== null || cellsArg !== null;
const HORIZON = 24 * 60;
const BAKE_MS = 10 * 60_000;
const LADDERS: Record<number, number[]> = { 1: [1, 5, 25, 50, 100], 5: [5, 25, 50, 100] };
const CELLS: (CellSpec & { latency: Regression; errorAdded: number })[] = [
  ...[1, 5].map((first) => ({
    name: `healthy-${first}`,
    kind: 'healthy' as const,
    firstStep: first,
    regression: 'none',
    latency: NO_REGRESSION,
    errorAdded: 0,
    requestsPerMinute: 3000,
  })),
  // Ten times the traffic: what a 1 % first step needs before the error rate can be shown inside its margin.
  {
    name: 'healthy-1-500rps',
    kind: 'healthy' as const,
    firstStep: 1,
    regression: 'none',
    latency: NO_REGRESSION,
    errorAdded: 0,
    requestsPerMinute: 30_000,
  },
  ...[1, 5].map((first) => ({
    name: `p99-${first}`,
    kind: 'regression' as const,
    firstStep: first,
    regression: 'p99 +25 %',
    latency: { shape: 'scale', factor: 1.25 } as Regression,
    errorAdded: 0,
    requestsPerMinute: 3000,
  })),
  ...[1, 5].map((first) => ({
    name: `errors-${first}`,
    kind: 'regression' as const,
    firstStep: first,
    regression: 'errors +0.5 pp (1 % → 1.5 %)',
    latency: NO_REGRESSION,
    errorAdded: 0.005,
    requestsPerMinute: 3000,
  })),
];
const MODEL =
  'Traffic: 3,000 requests a minute (50 rps; one row at 30,000 = 500 rps) split by exposure, latency lognormal (median 80 ms, log-sd 0.6) times a shared load factor, 1 % errors in the control (bench/judge/traffic.ts).';

async function runAll(): Promise<Map<string, PlanRunRecord[]>> {
  const tasks: (PlanTask & { cell: string })[] = [];
  const CHUNK = 25;
  for (const [c, cell] of CELLS.entries()) {
    if (cellsArg !== null && !cellsArg.split(',').includes(cell.name)) continue;
    const options: Omit<PlanRunOptions, 'seed'> = {
      steps: LADDERS[cell.firstStep],
      latency: cell.latency,
      errorAdded: cell.errorAdded,
      bakeMs: BAKE_MS,
      horizonSteps: HORIZON,
      requestsPerStep: cell.requestsPerMinute,
    };
    for (let s = 0; s < RUNS; s += CHUNK) {
      tasks.push({
        id: tasks.length,
        cell: cell.name,
        options,
        seeds: Array.from({ length: Math.min(CHUNK, RUNS - s) }, (_, i) => 1_000_003 * (c + 1) + s + i),
      });
    }
  }
  const out = new Map<string, PlanRunRecord[]>(
    CELLS.filter((c) => tasks.some((t) => t.cell === c.name)).map((c) => [c.name, []]),
  );
  let next = 0;
  const workers = Array.from(
    { length: Math.max(1, Math.min(availableParallelism(), 8)) },
    () => new Worker(new URL('./plans/worker-bootstrap.mjs', import.meta.url)),
  );
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const feed = () => {
            const t = tasks[next++];
            if (!t) {
              w.postMessage(null);
              return resolve();
            }
            const { cell: _cell, ...task } = t;
            w.postMessage(task);
          };
          w.on('message', (r: PlanTaskResult) => {
            out.get(tasks[r.id].cell)!.push(...r.results);
            feed();
          });
          w.on('error', reject);
          feed();
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const results = await runAll();
  if (process.env.PLAN_SIM_DUMP) writeFileSync(process.env.PLAN_SIM_DUMP, JSON.stringify(Object.fromEntries(results)));
  const cells = CELLS.filter((c) => results.has(c.name)).map((c) =>
    summarize(
      {
        name: c.name,
        kind: c.kind,
        firstStep: c.firstStep,
        regression: c.regression,
        requestsPerMinute: c.requestsPerMinute,
      },
      results.get(c.name)!,
    ),
  );
  const seconds = (Date.now() - started) / 1000;
  const md = markdown(cells, { horizonSteps: HORIZON, bakeMs: BAKE_MS, model: MODEL, seconds, quick: partial });
  process.stdout.write(`${md}\n`);
  if (partial) return;
  const dir = new URL('./out/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL('plans.json', dir),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), runsPerCell: RUNS, horizonMinutes: HORIZON, bakeMs: BAKE_MS, cells }, null, 2)}\n`,
  );
  writeFileSync(new URL('plans.md', dir), md);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
