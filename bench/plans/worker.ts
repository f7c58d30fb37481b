/** Worker thread: runs chunks of simulated plans and posts their records back. */
import { parentPort } from 'node:worker_threads';
import { simulatePlan, type PlanRunOptions, type PlanRunRecord } from './simulate-plan';

export interface PlanTask {
  id: number;
  options: Omit<PlanRunOptions, 'seed'>;
  seeds: number[];
}
export interface PlanTaskResult {
  id: number;
  results: PlanRunRecord[];
}

if (!parentPort) throw new Error('bench/plans/worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (task: PlanTask | null) => {
  if (task === null) return port.close();
  port.postMessage({
    id: task.id,
    results: task.seeds.map((seed) => simulatePlan({ ...task.options, seed })),
  } satisfies PlanTaskResult);
});
