/**
 * Operating characteristics of Rampart's judge and live guard (docs/statistics.md "Checking the judge"):
 * `npm run bench:judge` (`--quick` for a smoke run that leaves bench/out alone). Runs on both cores (worker threads).
 *  1. A/A false alarms of the live guard at the app's real cadence — guardStep called at every look, a look every
 *     5 s on 1-minute steps — over 60 and 300 looks, and of the fixed-horizon verdict;
 *  2. detection delay and power for p99 ×1.10/×1.25/×1.50, p99-only, variance-only (and ×1.03, inside the margin)
 *     at 1 / 5 / 25 % exposure on three latency models, from merged histograms and from per-minute p99s; errors +0.5 pp;
 *  3. the bake-time prediction against the simulated power-0.8 time;
 *  4. SRM A/A alerts on units, on request counts (dispersion-corrected) and the naive request test;
 *  5. judge() timing.
 * Writes bench/out/judge.json and bench/out/judge.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { predictBakeSpread, simulatedBake, type BakeSpread } from './judge/bake-check';
import { LATENCY_MODELS, NO_REGRESSION, type Regression } from './judge/latency-model';
import { markdown, type TimingSummary } from './judge/report-markdown';
import {
  summarizeAa,
  summarizeDetection,
  summarizeSrm,
  type AaRow,
  type BakeRow,
  type DetectRow,
  type SrmRow,
} from './judge/report';
import { PATHS, WATCHES, type Path, type RunOptions, type RunRecord } from './judge/scenarios';
import { DEFAULT_TRAFFIC } from './judge/traffic';
import type { Task, TaskResult } from './judge/worker';
import type { SrmRecord } from './judge/srm-runs';

const quick = process.argv.includes('--quick');
const AA_RUNS = quick ? 40 : 700;
const AA_STEPS = 25; // 300 looks at one look every 5 s
const LOOKS_PER_STEP = 12;
const DETECT_RUNS = quick ? 10 : 60;
const HORIZON = 120;
const SRM_RUNS = quick ? 50 : 1000;
/** A service ten times busier, for the +25 % rows: how the delays scale with traffic. */
const BUSY = { ...DEFAULT_TRAFFIC, requestsPerStep: 30_000 };
const EXPOSURES = [0.01, 0.05, 0.25];
const LATENCY_REGRESSIONS: Array<{ label: string; regression: Regression }> = [
  { label: 'p99 ×1.03 (inside the margin)', regression: { shape: 'scale', factor: 1.03 } },
  { label: 'p99 ×1.10', regression: { shape: 'scale', factor: 1.1 } },
  { label: 'p99 ×1.25', regression: { shape: 'scale', factor: 1.25 } },
  { label: 'p99 ×1.50', regression: { shape: 'scale', factor: 1.5 } },
  { label: 'p99-only ×1.25 (slowest 2 %)', regression: { shape: 'p99-only', factor: 1.25 } },
  { label: 'variance-only, p99 ×1.25', regression: { shape: 'variance', factor: 1.25 } },
];

function timeJudge(processes = 3): TimingSummary {
  const script = fileURLToPath(new URL('./judge/time-judge.ts', import.meta.url));
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < processes; i++) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').pop() as string) as { coldMs: number; warmMs: number[] };
    cold.push(result.coldMs);
    warm.push(...result.warmMs);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    coldMs: median(cold),
    warmMedianMs: median(warm),
    processes,
    loadAverage: loadavg()[0],
    metrics: 20,
    samplesPerArm: 10_000,
  };
}

interface Job {
  key: string;
  task: Omit<Extract<Task, { kind: 'run' }>, 'id' | 'seeds'> | Omit<Extract<Task, { kind: 'srm' }>, 'id' | 'seeds'>;
  seeds: number[];
}

async function runJobs(jobs: Job[]): Promise<Map<string, Array<RunRecord | SrmRecord>>> {
  const tasks: Array<Task & { key: string }> = [];
  for (const job of jobs) {
    const chunk = job.task.kind === 'srm' ? 100 : 10;
    for (let i = 0; i < job.seeds.length; i += chunk)
      tasks.push({ ...job.task, id: tasks.length, key: job.key, seeds: job.seeds.slice(i, i + chunk) } as Task & {
        key: string;
      });
  }
  // Longest first: the 1 % rows that never stop early would otherwise finish last on one core.
  tasks.sort((a, b) => (a.kind === 'run' && b.kind === 'run' ? a.options.exposure - b.options.exposure : 0));
  const results = new Map<string, Array<RunRecord | SrmRecord>>(jobs.map((j) => [j.key, []]));
  const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
  let next = 0;
  let done = 0;
  const workers = Math.max(1, Math.min(2, availableParallelism()));
  await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = new Worker(new URL('./judge/worker-bootstrap.mjs', import.meta.url));
      return new Promise<void>((resolve, reject) => {
        const feed = (): void => {
          if (next < tasks.length) {
            const { key: _key, ...task } = tasks[next++];
            worker.postMessage(task);
          } else worker.postMessage(null);
        };
        worker.on('message', (message: TaskResult) => {
          results.get(keyOf.get(message.id) as string)?.push(...message.results);
          if (++done % 25 === 0) process.stdout.write(`  ${done}/${tasks.length} chunks\r`);
          feed();
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
        feed();
      });
    }),
  );
  process.stdout.write('\n');
  return results;
}

const seeds = (base: number, count: number): number[] => Array.from({ length: count }, (_, i) => base + i);
const runTask = (options: Omit<RunOptions, 'seed'>): Job['task'] => ({ kind: 'run', options });

async function main(): Promise<void> {
  const started = performance.now();
  const timing = timeJudge();
  console.log(
    `judge 20 × 2 × 10k: first call ${timing.coldMs.toFixed(1)} ms, warm median ${timing.warmMedianMs.toFixed(1)} ms`,
  );
  const jobs: Job[] = [];
  LATENCY_MODELS.forEach((model, m) =>
    EXPOSURES.forEach((exposure, e) => {
      const options = {
        model: model.name,
        exposure,
        steps: AA_STEPS,
        latency: NO_REGRESSION,
        errorAdded: 0,
        looksPerStep: LOOKS_PER_STEP,
        stopPaths: [],
        minSteps: 0,
      };
      jobs.push({
        key: `aa:${model.name}:${exposure}`,
        task: runTask(options),
        seeds: seeds(1_000_000 * (1 + m * 3 + e), AA_RUNS),
      });
    }),
  );
  const detections: Array<{
    key: string;
    base: Omit<DetectRow, 'paths' | 'runs'>;
    paths: Path[];
    bake: Record<Path, BakeSpread> | null;
  }> = [];
  const busy: typeof detections = [];
  LATENCY_MODELS.forEach((model, m) =>
    LATENCY_REGRESSIONS.forEach((r, k) =>
      EXPOSURES.forEach((exposure, e) => {
        if (r.regression.factor === 1.03 && model.name !== 'lognormal') return;
        const checked = r.regression.shape === 'scale' && r.regression.factor === 1.25;
        const bake = checked ? predictBakeSpread(model.name, exposure, 1.25, 0) : null;
        const longest = Math.max(bake?.histogram.median ?? 0, bake?.perMinute.median ?? 0);
        const minSteps = checked ? Math.min(HORIZON, Math.ceil(1.6 * longest)) : 0;
        const key = `detect:${model.name}:${k}:${exposure}`;
        const options = {
          model: model.name,
          exposure,
          steps: HORIZON,
          latency: r.regression,
          errorAdded: 0,
          looksPerStep: 1,
          stopPaths: ['histogram', 'perMinute'] as Path[],
          paths: ['histogram', 'perMinute'] as Path[],
          minSteps,
        };
        jobs.push({
          key,
          task: runTask(options),
          seeds: seeds(10_000_000 * (1 + m) + 100_000 * k + 1000 * e, DETECT_RUNS),
        });
        detections.push({
          key,
          base: {
            label: r.label,
            model: model.name,
            exposure,
            regression: r.regression,
            errorAdded: 0,
            horizon: HORIZON,
          },
          paths: ['histogram', 'perMinute'],
          bake,
        });
      }),
    ),
  );
  LATENCY_MODELS.forEach((model, m) =>
    EXPOSURES.forEach((exposure, e) => {
      const key = `busy:${model.name}:${exposure}`;
      const regression: Regression = { shape: 'scale', factor: 1.25 };
      const options = {
        model: model.name,
        traffic: BUSY,
        exposure,
        steps: HORIZON,
        latency: regression,
        errorAdded: 0,
        looksPerStep: 1,
        stopPaths: ['histogram', 'perMinute'] as Path[],
        paths: ['histogram', 'perMinute'] as Path[],
        minSteps: 0,
      };
      jobs.push({ key, task: runTask(options), seeds: seeds(50_000_000 + 100_000 * m + 1000 * e, DETECT_RUNS) });
      busy.push({
        key,
        base: {
          label: 'p99 ×1.25 at 500 rps',
          model: model.name,
          exposure,
          regression,
          errorAdded: 0,
          horizon: HORIZON,
        },
        paths: ['histogram', 'perMinute'],
        bake: null,
      });
    }),
  );
  EXPOSURES.forEach((exposure, e) => {
    const bake = predictBakeSpread('lognormal', exposure, 1, 0.005);
    const key = `detect:errors:${exposure}`;
    const options = {
      model: 'lognormal',
      exposure,
      steps: HORIZON,
      latency: NO_REGRESSION,
      errorAdded: 0.005,
      looksPerStep: 1,
      stopPaths: ['errors'] as Path[],
      paths: ['errors'] as Path[],
      minSteps: Math.min(HORIZON, Math.ceil(1.6 * (bake.errors.median ?? 0))),
    };
    jobs.push({ key, task: runTask(options), seeds: seeds(90_000_000 + 1000 * e, DETECT_RUNS) });
    detections.push({
      key,
      base: {
        label: 'errors +0.5 pp (1 % → 1.5 %)',
        model: 'lognormal',
        exposure,
        regression: NO_REGRESSION,
        errorAdded: 0.005,
        horizon: HORIZON,
      },
      paths: ['errors'],
      bake,
    });
  });
  EXPOSURES.forEach((share, e) =>
    jobs.push({
      key: `srm:${share}`,
      task: { kind: 'srm', share, steps: 30 },
      seeds: seeds(70_000_000 + 100_000 * e, SRM_RUNS),
    }),
  );

  const results = await runJobs(jobs);
  const runsOf = (key: string) => (results.get(key) ?? []) as RunRecord[];
  const aa: AaRow[] = [];
  LATENCY_MODELS.forEach((model) =>
    EXPOSURES.forEach((exposure) =>
      aa.push(
        summarizeAa(
          model.name,
          exposure,
          runsOf(`aa:${model.name}:${exposure}`),
          LOOKS_PER_STEP,
          AA_STEPS,
          PATHS,
          WATCHES,
        ),
      ),
    ),
  );
  const detection: DetectRow[] = detections.map((d) => summarizeDetection(d.base, runsOf(d.key), d.paths));
  const busyRows: DetectRow[] = busy.map((d) => summarizeDetection(d.base, runsOf(d.key), d.paths));
  const bake: BakeRow[] = detections
    .filter((d) => d.bake)
    .flatMap((d) =>
      d.paths.map((path) => ({
        label: d.base.label,
        model: d.base.model,
        exposure: d.base.exposure,
        path,
        predicted: d.bake?.[path].median ?? null,
        pilotRange: [d.bake?.[path].p10 ?? null, d.bake?.[path].p90 ?? null] as [number | null, number | null],
        simulated: simulatedBake(runsOf(d.key), path),
      })),
    );
  const srm: SrmRow[] = EXPOSURES.map((share) =>
    summarizeSrm(share, 30, (results.get(`srm:${share}`) ?? []) as SrmRecord[]),
  );
  const seconds = (performance.now() - started) / 1000;
  const setup = {
    traffic: DEFAULT_TRAFFIC,
    busyTraffic: BUSY,
    models: LATENCY_MODELS,
    aaRuns: AA_RUNS,
    aaSteps: AA_STEPS,
    looksPerStep: LOOKS_PER_STEP,
    detectRuns: DETECT_RUNS,
    horizon: HORIZON,
    srmRuns: SRM_RUNS,
    confidence: 0.98,
    margin: 0.1,
  };
  const md = markdown({ setup, aa, detection, busy: busyRows, bake, srm, timing, seconds });
  if (quick) console.log('(--quick: smoke run, bench/out/judge.json and judge.md left as they are)');
  else {
    const outDir = new URL('./out/', import.meta.url);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      new URL('judge.json', outDir),
      `${JSON.stringify({ generatedBy: 'bench/judge-simulation.ts', setup, aa, detection, busy: busyRows, bake, srm, timing, seconds }, null, 2)}\n`,
    );
    writeFileSync(new URL('judge.md', outDir), `${md}\n`);
  }
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
