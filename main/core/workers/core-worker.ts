/**
 * Worker-thread entry of the core's off-main-thread work (pool.ts starts it; ops.ts says what it does). With a
 * database file in workerData (series.db, store/series-database.ts: not the audit log's file, so its chunked writes
 * never make a main-thread write wait) it opens its own connection for the series cache; else it only judges (and,
 * asked with `sim`, runs the demo's simulated service: demo-sim.ts). Bundled as out/main/core-worker.js.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { createSeriesCache } from '../../store/series-cache';
import { seriesPragmas } from '../../store/series-database';
import { createColumnCache } from './column-cache';
import { createSimHost } from './demo-sim';
import { runOp, transferables, type OpsContext, type WorkerReply, type WorkerRequest } from './ops';

const { dbFile, sim } = (workerData ?? {}) as { dbFile?: string | null; sim?: boolean };
let ctx: OpsContext = { cache: null, sim: sim ? createSimHost() : undefined };
if (dbFile) {
  const db = new Database(dbFile);
  seriesPragmas(db);
  const cache = createSeriesCache(db);
  ctx = { ...ctx, cache, columns: createColumnCache(cache) };
}

// Each request as it comes: a long write yields between its chunks, so reads of other keys are answered meanwhile.
parentPort?.on('message', (msg: { id: number; req: WorkerRequest }) => {
  void (async () => {
    let reply: WorkerReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const result = await runOp(ctx, msg.req);
      reply = { id: msg.id, ok: true, result };
      transfer = transferables(result);
    } catch (e) {
      const err = e as { name?: unknown; code?: unknown; message?: unknown };
      reply = {
        id: msg.id,
        ok: false,
        name: String(err.name ?? 'Error'),
        code: typeof err.code === 'string' ? err.code : 'internal',
        message: typeof err.message === 'string' ? err.message : String(e),
      };
    }
    parentPort?.postMessage(reply, transfer);
  })();
});
