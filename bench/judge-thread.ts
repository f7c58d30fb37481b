/** The judge in a worker thread (bench/judge-worker.ts): answers each JudgeInput with its verdict. */
import { parentPort } from 'node:worker_threads';
import type { JudgeInput } from '../shared/domain/verdict';
import { judge } from '../shared/stats/judge';

parentPort?.on('message', (input: JudgeInput) => {
  parentPort?.postMessage(judge(input));
});
