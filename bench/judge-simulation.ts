/**
 * Simulation benchmark of Rampart's judge: run with `npx tsx bench/judge-simulation.ts` (`--quick` for a smoke run).
 *  1. judge() timing on 20 metrics × 2 arms × 10k samples;
 *  2. A/A false-positive rate when looking after every step: repeated fixed-horizon test vs the always-valid one;
 *  3. detection delay for injected p99 (+10/25/50%) and error (+0.5 pp) regressions at 1%, 5% and 25% exposure.
 * Writes bench/out/judge.json and bench/out/judge.md (not with --quick). Runs use both cores (worker threads).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { normalUpperQuantile } from '../shared/stats/distributions';
import { DEFAULT_MODEL, Random, simulateArmStep } from './judge/model';
import { markdown, summarizeAa, summarizeDetection, type AaSummary, type DetectionSummary, type P99Bias, type TimingSummary } from './judge/report';
import type { RunOptions, RunResult } from './judge/scenarios';
import type { Task, TaskResult } from './judge/worker';

const quick = process.argv.includes('--quick');
const AA_RUNS = quick ? 100 : 1000;
const AA_LOOKS = 60;
const DETECT_RUNS = quick ? 20 : 200;
const HORIZON = 240;
const EXPOSURES = [0.01, 0.05, 0.25];
/** A/A also at 50%, where both arms' per-step p99s have the same distribution (no small-sample bias). */
const AA_EXPOSURES = [...EXPOSURES, 0.5];
const REGRESSIONS: Array<{ metric: 'p99' | 'errors'; label: string; latency: number; errors: number }> = [
  { metric: 'p99', label: 'p99 +10%', latency: 0.1, errors: 0 },
  { metric: 'p99', label: 'p99 +25%', latency: 0.25, errors: 0 },
  { metric: 'p99', label: 'p99 +50%', latency: 0.5, errors: 0 },
  { metric: 'errors', label: 'errors +0.5 pp (1% → 1.5%)', latency: 0, errors: 0.005 },
];
const MODEL_TEXT = [
  'Simulated service: 3,000 requests per 1-minute step (50 rps), Poisson per arm by exposure. Request latency is',
  'lognormal (median 80 ms, log-sd 0.6; true p99 ≈ 324 ms) times a slow load factor exp(0.05·AR(1), ρ = 0.9) shared',
  'by both arms. Each arm\'s per-step value is the nearest-rank p99 of its requests in that step, drawn exactly as the',
  '⌈0.99·n⌉-th order statistic (Beta(k, n−k+1) for the uniform, then the lognormal quantile); a step without',
  'requests is missing. Errors: each request fails with probability 1% (Binomial per step, counts summed over the',
  'window). A p99 regression multiplies the treatment\'s latencies; an error regression adds 0.5 pp to its rate.',
].join(' ');

/** judge() timing from `processes` fresh processes (cold first call each) and their warm repeats. */
function timeJudge(processes = 5): TimingSummary {
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
    coldMinMs: Math.min(...cold),
    warmMedianMs: median(warm),
    warmMinMs: Math.min(...warm),
    processes,
    loadAverage: loadavg()[0],
    metrics: 20,
    samplesPerArm: 10_000,
  };
}

/** Median per-step p99 of an arm / true p99, per exposure: the nearest-rank p99 of few requests runs low. */
function p99Bias(): P99Bias[] {
  const random = new Random(4242);
  const trueP99 = DEFAULT_MODEL.medianMs * Math.exp(DEFAULT_MODEL.sigma * normalUpperQuantile(0.01));
  return [...AA_EXPOSURES, 0.75, 0.95, 0.99].map((share) => {
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const step = simulateArmStep(random, { ...DEFAULT_MODEL, loadSigma: 0 }, share, 1, 0);
      if (step.p99 !== null) values.push(step.p99);
    }
    values.sort((a, b) => a - b);
    return { share, requestsPerStep: DEFAULT_MODEL.requestsPerStep * share, medianRatio: values[values.length >> 1] / trueP99 };
  });
}

interface Job {
  key: string;
  options: Omit<RunOptions, 'seed'>;
  seeds: number[];
}

async function runJobs(jobs: Job[]): Promise<Map<string, RunResult[]>> {
  const chunkSize = 25;
  const tasks: Array<Task & { key: string }> = [];
  for (const job of jobs) {
    for (let i = 0; i < job.seeds.length; i += chunkSize) tasks.push({ id: tasks.length, key: job.key, options: job.options, seeds: job.seeds.slice(i, i + chunkSize) });
  }
  const results = new Map<string, RunResult[]>(jobs.map((j) => [j.key, []]));
  const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
  let next = 0;
  let done = 0;
  const workerCount = Math.max(1, Math.min(2, availableParallelism()));
  await Promise.all(
    Array.from({ length: workerCount }, () => {
      const worker = new Worker(new URL('./judge/worker-bootstrap.mjs', import.meta.url));
      return new Promise<void>((resolve, reject) => {
        const feed = (): void => {
          if (next < tasks.length) {
            const { key: _key, ...task } = tasks[next++];
            worker.postMessage(task);
          } else {
            worker.postMessage(null);
          }
        };
        worker.on('message', (message: TaskResult) => {
          results.get(keyOf.get(message.id) as string)?.push(...message.results);
          done++;
          if (done % 20 === 0) process.stdout.write(`  ${done}/${tasks.length} chunks\r`);
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

async function main(): Promise<void> {
  const started = performance.now();
  const timing = timeJudge();
  console.log(`judge 20 × 2 × 10k: first call ${timing.coldMs.toFixed(1)} ms (median of ${timing.processes} processes), warm median ${timing.warmMedianMs.toFixed(1)} ms`);
  const seeds = (base: number, count: number): number[] => Array.from({ length: count }, (_, i) => base + i);
  const jobs: Job[] = [];
  AA_EXPOSURES.forEach((exposure, e) => {
    jobs.push({ key: `aa:${exposure}`, options: { model: DEFAULT_MODEL, exposure, looks: AA_LOOKS, latencyRegression: 0, errorRegression: 0, stopWhenFired: null }, seeds: seeds(1_000_000 * (e + 1), AA_RUNS) });
  });
  EXPOSURES.forEach((exposure, e) => {
    REGRESSIONS.forEach((r, k) => {
      jobs.push({
        key: `detect:${r.label}:${exposure}`,
        options: { model: DEFAULT_MODEL, exposure, looks: HORIZON, latencyRegression: r.latency, errorRegression: r.errors, stopWhenFired: r.metric },
        seeds: seeds(10_000_000 * (k + 1) + 100_000 * e, DETECT_RUNS),
      });
    });
  });
  const results = await runJobs(jobs);
  const aa: AaSummary[] = [];
  for (const exposure of AA_EXPOSURES) for (const metric of ['p99', 'errors'] as const) aa.push(summarizeAa(exposure, metric, results.get(`aa:${exposure}`) ?? [], AA_LOOKS));
  const detection: DetectionSummary[] = [];
  for (const r of REGRESSIONS) for (const exposure of EXPOSURES) detection.push(summarizeDetection(r.metric, r.label, exposure, results.get(`detect:${r.label}:${exposure}`) ?? [], HORIZON));
  const bias = p99Bias();
  const seconds = (performance.now() - started) / 1000;
  const md = markdown(DEFAULT_MODEL, aa, detection, timing, seconds, MODEL_TEXT, bias);
  if (quick) {
    console.log('(--quick: smoke run, bench/out/judge.json and judge.md left as they are)');
  } else {
    const outDir = new URL('./out/', import.meta.url);
    mkdirSync(outDir, { recursive: true });
    const payload = { generatedBy: 'bench/judge-simulation.ts', model: DEFAULT_MODEL, modelDescription: MODEL_TEXT, aaRuns: AA_RUNS, aaLooks: AA_LOOKS, detectionRuns: DETECT_RUNS, horizon: HORIZON, timing, p99Bias: bias, aa, detection, seconds };
    writeFileSync(new URL('judge.json', outDir), `${JSON.stringify(payload, null, 2)}\n`);
    writeFileSync(new URL('judge.md', outDir), `${md}\n`);
  }
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
