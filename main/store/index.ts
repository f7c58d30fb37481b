import { join } from 'node:path';
import { openDatabase, type Db } from './database';
import { createAuditLog } from './audit-log';
import { createFlagChangeStore } from './flag-changes';
import { createRecords } from './records';
import { createSeriesCache } from './series-cache';

/** Everything the core keeps on disk, in one SQLite file under the data directory. */
export function openStore(dataDir: string, now: () => number = Date.now) {
  const db: Db = openDatabase(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'rampart.db'));
  return {
    db,
    audit: createAuditLog(db, now),
    changes: createFlagChangeStore(db),
    records: createRecords(db, now),
    series: createSeriesCache(db, now),
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof openStore>;
