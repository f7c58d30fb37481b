/** Worker thread: runs chunks of simulated rollouts (or SRM windows) and posts their records back. */
import { parentPort } from 'node:worker_threads';
import { Random } from './model';
import { simulateRun, type RunOptions, type RunRecord } from './scenarios';
import { srmRecord, type SrmRecord } from './srm-runs';

export type Task =
  | { id: number; kind: 'run'; options: Omit<RunOptions, 'seed'>; seeds: number[] }
  | { id: number; kind: 'srm'; share: number; steps: number; seeds: number[] };

export type TaskResult =
  { id: number; kind: 'run'; results: RunRecord[] } | { id: number; kind: 'srm'; results: SrmRecord[] };

if (!parentPort) throw new Error('bench/judge/worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (task: Task | null) => {
  if (task === null) {
    port.close();
    return;
  }
  if (task.kind === 'run') {
    const results = task.seeds.map((seed) => simulateRun({ ...task.options, seed }));
    port.postMessage({ id: task.id, kind: 'run', results } satisfies TaskResult);
  } else {
    const results = task.seeds.map((seed) => srmRecord(new Random(seed), task.share, task.steps));
    port.postMessage({ id: task.id, kind: 'srm', results } satisfies TaskResult);
  }
});
