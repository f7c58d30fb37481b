import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, RampartError, type ErrorCode } from '../../../shared/errors';
import type { SeriesCache } from '../../store/series-cache';
import { createSimHost } from './demo-sim';
import { runOp, type WorkerReply, type WorkerRequest, type WorkerResults } from './ops';

/**
 * The core's worker threads, seen from its main thread (issue 15: the host never blocks). Two of them, started on
 * first use: `series` owns a second SQLite connection for the series cache (reads, chunked writes, M4 + encoding of
 * chart views), `judge` runs the judge — so a verdict computing never delays a chart's answer, and neither delays a
 * rollback, which runs on the main thread.
 *
 * `inThread` runs the same operations (ops.ts) on the calling thread: for an in-memory store (a worker cannot open
 * it) and for the benchmark's baseline, which shows what the main thread would otherwise be blocked by.
 */
export interface CoreWorker {
  call<K extends WorkerRequest['op']>(
    req: Extract<WorkerRequest, { op: K }>,
    transfer?: ArrayBuffer[],
  ): Promise<WorkerResults[K]>;
  /** Whether calls leave the calling thread. */
  readonly offThread: boolean;
  close(): Promise<void>;
}

export interface CoreWorkers {
  series: CoreWorker;
  judge: CoreWorker;
  /** The demo's simulated service (demo-sim.ts); started only when a demo connection is queried. */
  demo: CoreWorker;
  close(): Promise<void>;
}

/** The built worker (electron.vite.config.mts input `core-worker`, next to cli.js; this code may sit in a chunk below), else the sources through tsx. */
function workerFile(): string {
  const built = [join(__dirname, 'core-worker.js'), join(__dirname, '..', 'core-worker.js')].find((f) => existsSync(f));
  if (built) return built;
  const source = join(__dirname, 'worker-bootstrap.mjs');
  if (existsSync(source)) return source;
  throw new Error(`the core worker is missing next to ${__dirname}: run 'npm run build'`);
}

function toError(r: Extract<WorkerReply, { ok: false }>): Error {
  if (r.name === 'RampartError' && (ERROR_CODES as readonly string[]).includes(r.code))
    return new RampartError(r.code as ErrorCode, r.message);
  return new Error(r.message);
}

export function threadWorker(name: string, dbFile: string | null, o: { sim?: boolean } = {}): CoreWorker {
  let worker: Worker | null = null;
  let failed: Error | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error): void => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(workerFile(), { workerData: { dbFile, sim: o.sim === true }, name: `rampart-${name}` });
    w.on('message', (r: WorkerReply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(toError(r));
    });
    w.on('error', (e) => failAll(new RampartError('internal', `the core's ${name} worker failed: ${e.message}`)));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size > 0) failAll(new RampartError('internal', `the core's ${name} worker stopped (exit ${code})`));
    });
    // Idle, it never keeps a CLI command alive; with calls pending the process waits for them.
    w.unref();
    return w;
  };
  return {
    offThread: true,
    call(req, transfer = []) {
      if (failed) {
        // A crashed worker is started again for the next call: one bad input must not end charts for the session.
        failed = null;
        worker = null;
      }
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        if (pending.size === 1) w.ref();
        w.postMessage({ id, req }, transfer);
      }).finally(() => {
        if (pending.size === 0) w.unref();
      }) as never;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

export function inThread(cache: SeriesCache | null, o: { sim?: boolean } = {}): CoreWorker {
  const ctx = { cache, pause: async () => undefined, sim: o.sim ? createSimHost() : undefined };
  return {
    offThread: false,
    call: (req) => runOp(ctx, req) as never,
    close: async () => undefined,
  };
}

/**
 * The core's workers for a database: threads for a file, the calling thread for ':memory:' (or when asked, as the
 * benchmark's baseline does). `cache` is the main connection's cache, used only in-thread.
 */
export function createCoreWorkers(o: { dbFile: string | null; cache: SeriesCache; offThread?: boolean }): CoreWorkers {
  const off = o.offThread !== false && o.dbFile !== null && o.dbFile !== ':memory:' && o.dbFile !== '';
  const series = off ? threadWorker('series', o.dbFile) : inThread(o.cache);
  const judge = off ? threadWorker('judge', null) : inThread(null);
  const demo = off ? threadWorker('demo', null, { sim: true }) : inThread(null, { sim: true });
  return {
    series,
    judge,
    demo,
    close: async () => {
      await Promise.all([series.close(), judge.close(), demo.close()]);
    },
  };
}
