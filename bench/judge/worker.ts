/** Worker thread: runs chunks of simulated rollouts and posts their first-hit looks back to the main thread. */
import { parentPort } from 'node:worker_threads';
import { simulateRun, type RunOptions, type RunResult } from './scenarios';

export interface Task {
  id: number;
  options: Omit<RunOptions, 'seed'>;
  seeds: number[];
}

export interface TaskResult {
  id: number;
  results: RunResult[];
}

if (!parentPort) throw new Error('bench/judge/worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (task: Task | null) => {
  if (task === null) {
    port.close();
    return;
  }
  const results = task.seeds.map((seed) => simulateRun({ ...task.options, seed }));
  port.postMessage({ id: task.id, results } satisfies TaskResult);
});
