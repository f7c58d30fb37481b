import { join } from 'node:path';
import { openDatabase, type Db } from './database';
import { createAuditLog } from './audit-log';
import type { Redactor } from './audit-redact';
import { createFlagChangeStore } from './flag-changes';
import { createProcessRegistry } from './process-registry';
import { createRecords } from './records';
import { createSeriesCache } from './series-cache';
import { openSeriesDatabase } from './series-database';

export interface StoreOptions {
  /** Redacts every text written to the audit table (the core passes one that knows the connections' secrets). */
  redact?: Redactor;
  /** Heartbeat of this process in the owner registry; RAMPART_HEARTBEAT_MS overrides the 5 s default. */
  heartbeatMs?: number;
}

function heartbeatFromEnv(): number | undefined {
  const v = Number(process.env.RAMPART_HEARTBEAT_MS);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/**
 * Everything the core keeps on disk, in two SQLite files under the data directory: rampart.db (the audit log,
 * connections, watches, decisions, plans) and series.db (the series cache, series-database.ts). Opening them registers
 * this process as an owner of audit intents (with a heartbeat until close), so other processes never settle its
 * in-flight writes.
 */
export function openStore(dataDir: string, now: () => number = Date.now, opts: StoreOptions = {}) {
  const db: Db = openDatabase(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'rampart.db'));
  let seriesDb: Db;
  try {
    seriesDb = openSeriesDatabase(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'series.db'), now);
  } catch (e) {
    db.close();
    throw e;
  }
  const processes = createProcessRegistry(db, { now, heartbeatMs: opts.heartbeatMs ?? heartbeatFromEnv() });
  const beat = setInterval(() => processes.heartbeat(), processes.heartbeatMs);
  beat.unref(); // a heartbeat never keeps a CLI command alive
  let closed = false;
  return {
    db,
    /** The series cache's file; the core's series worker opens its own connection to it. */
    seriesDb,
    processes,
    audit: createAuditLog(db, { now, owner: processes.self, redact: opts.redact }),
    changes: createFlagChangeStore(db),
    records: createRecords(db, now),
    series: createSeriesCache(seriesDb, now),
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      processes.end();
      db.close();
      seriesDb.close();
    },
  };
}

export type Store = ReturnType<typeof openStore>;
