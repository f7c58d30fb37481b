/**
 * Worker-thread entry of the code-reference search (run-scan.ts starts it): reads one ScanRequest from workerData,
 * posts one answer, exits. Bundled as its own file (out/main/code-refs-worker.js), so it imports only scan.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanRoot, type ScanRequest } from './scan';

const req = workerData as ScanRequest;
scanRoot(req).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (e: unknown) => parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
);
