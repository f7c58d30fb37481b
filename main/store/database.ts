import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkBeforeOpen, quickCheck, refuseUnreadable, writeMarker } from './database-startup';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

/**
 * Opens (or creates) Rampart's database. WAL so readers never block the writer; synchronous=FULL because an
 * acknowledged audit row must survive a power cut or SIGKILL (docs/security.md). A damaged, unreadable or truncated
 * file is refused before anything is written to it (./database-startup.ts), never re-initialised.
 */
export function openDatabase(file: string, migrations: Migration[] = MIGRATIONS): Db {
  const onDisk = file !== ':memory:';
  if (onDisk) {
    mkdirSync(dirname(file), { recursive: true });
    checkBeforeOpen(file);
  }
  const db = new Database(file);
  try {
    refuseUnreadable(file, () => {
      db.pragma('busy_timeout = 5000');
      if (onDisk) quickCheck(db, file); // before journal_mode or a migration writes anything
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, migrations);
    });
    if (onDisk) writeMarker(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex').slice(0, 16);
}

export function migrate(db: Db, migrations: Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Map(
    (db.prepare('SELECT version, hash FROM schema_migrations').all() as { version: number; hash: string }[]).map(
      (r) => [r.version, r.hash],
    ),
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    const hash = migrationHash(m);
    const seen = applied.get(m.version);
    if (seen !== undefined) {
      if (seen !== hash)
        throw new Error(
          `Database migration ${m.version} (${m.name}) differs from the one applied to this database; refusing to start.`,
        );
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)').run(
        m.version,
        m.name,
        hash,
        Date.now(),
      );
    })();
  }
  const newest = Math.max(0, ...applied.keys());
  const known = Math.max(0, ...sorted.map((m) => m.version));
  if (newest > known)
    throw new Error(
      `This database was written by a newer Rampart (schema ${newest} > ${known}); refusing to downgrade it.`,
    );
}
