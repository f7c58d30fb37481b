import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanRequest, ScanResult } from './scan';

/**
 * The built app's worker (electron.vite.config.mts input `code-refs-worker`, next to cli.js; this code may sit in a
 * shared chunk one folder below), else the sources through tsx (development, tests, the bench).
 */
function workerFile(): string {
  const built = [join(__dirname, 'code-refs-worker.js'), join(__dirname, '..', 'code-refs-worker.js')].find((f) =>
    existsSync(f),
  );
  if (built) return built;
  const source = join(__dirname, 'worker-bootstrap.mjs');
  if (existsSync(source)) return source;
  throw new Error(`the code-reference worker is missing next to ${__dirname}: run 'npm run build'`);
}

const GRACE_MS = 2_000;

/**
 * One search in its own worker thread, so a large tree never blocks the core's event loop (a rollback answers while
 * a scan runs). The worker has the request's deadline; if it overruns it by the grace period it is terminated and
 * the search reported incomplete — never "no references".
 */
export function runScanInWorker(req: ScanRequest): Promise<ScanResult> {
  return new Promise((resolve) => {
    const fail = (why: string): void => resolve({ filesSearched: 0, incomplete: why, refs: {}, truncated: [] });
    let worker: Worker;
    try {
      worker = new Worker(workerFile(), { workerData: req, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    } catch (e) {
      fail(`the search could not start: ${(e as Error).message}`);
      return;
    }
    let settled = false;
    const done = (r: ScanResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(
      () =>
        done({
          filesSearched: 0,
          incomplete: 'the search did not finish within its time budget',
          refs: {},
          truncated: [],
        }),
      Math.max(0, req.deadline - Date.now()) + GRACE_MS,
    );
    worker.on('message', (m: { ok: true; result: ScanResult } | { ok: false; message: string }) =>
      done(
        m.ok ? m.result : { filesSearched: 0, incomplete: `the search failed: ${m.message}`, refs: {}, truncated: [] },
      ),
    );
    worker.on('error', (e) =>
      done({ filesSearched: 0, incomplete: `the search failed: ${e.message}`, refs: {}, truncated: [] }),
    );
    worker.on('exit', (code) =>
      done({ filesSearched: 0, incomplete: `the search stopped (worker exit ${code})`, refs: {}, truncated: [] }),
    );
  });
}
