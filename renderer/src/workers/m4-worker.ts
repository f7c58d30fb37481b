/**
 * The M4 Web Worker: holds full-resolution series and answers views (≤ 4 × width points) off the UI thread.
 * Started by m4-client.ts with `new Worker(new URL('./m4-worker.ts', import.meta.url), { type: 'module' })`.
 */
import { createM4Handler, type M4Request } from './m4-protocol';

/** The part of DedicatedWorkerGlobalScope used here (the renderer's tsconfig has DOM types, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: { data: M4Request }) => void) | null;
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = createM4Handler();

scope.onmessage = (event) => {
  const { reply, transfer } = handle(event.data);
  scope.postMessage(reply, transfer);
};
