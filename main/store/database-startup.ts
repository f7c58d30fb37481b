import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RampartError } from '../../shared/errors';
import type { Db } from './database';

/**
 * Start-up checks of Rampart's database (docs/security.md: "a database that fails PRAGMA quick_check, or is empty
 * where one existed, is refused with a message, never silently replaced"). The audit log lives in this file and is
 * append-only: re-initialising a damaged or truncated file would erase it without anyone noticing. So a bad file
 * is refused, left exactly as it is, and the message says how to start fresh.
 */
export class DatabaseRefused extends RampartError {
  constructor(file: string, problem: string) {
    super(
      'blocked',
      `Refusing to open ${file}: ${problem}. Rampart has not changed it (it holds the audit log). To start fresh, move ` +
        `${basename(file)} and any ${basename(file)}-wal / ${basename(file)}-shm beside it out of ${dirname(file)} (e.g. into a ` +
        `backup folder), or use another data folder (--data-dir <folder>; RAMPART_HOME=<folder> for the desktop app).`,
    );
    this.name = 'RampartError';
  }
}

/** Written beside the database once it exists: an empty database file where this marker is means data was lost. */
export function markerFile(file: string): string {
  return join(dirname(file), `${basename(file)}.marker`);
}

const sizeOf = (f: string): number | undefined => {
  try {
    return statSync(f).size;
  } catch {
    return undefined;
  }
};

/** Before SQLite touches the file: an empty (or missing) database whose marker or WAL says one existed. */
export function checkBeforeOpen(file: string): void {
  const size = sizeOf(file);
  const wal = sizeOf(`${file}-wal`) ?? 0;
  if (size === 0 && existsSync(markerFile(file))) {
    throw new DatabaseRefused(
      file,
      `the file is empty (0 bytes), but a Rampart database existed here (${basename(markerFile(file))})`,
    );
  }
  if ((size === undefined || size === 0) && wal > 0) {
    throw new DatabaseRefused(
      file,
      `the database file is ${size === undefined ? 'missing' : 'empty'} but its write-ahead log (${basename(file)}-wal, ${wal} bytes) is not`,
    );
  }
}

/** SQLite's own "not a database" / "malformed": the file cannot be read as a database at all. */
export function isUnreadableError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT');
}

/** Runs `f` on the freshly opened database; a file SQLite cannot read becomes a refusal. */
export function refuseUnreadable<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isUnreadableError(e)) {
      throw new DatabaseRefused(file, `SQLite cannot read it (${(e as Error).message})`);
    }
    throw e;
  }
}

/** `PRAGMA quick_check`: O(size) but without the index cross-checks of integrity_check, so start-up stays fast. */
export function quickCheck(db: Db, file: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    throw new DatabaseRefused(
      file,
      `it fails SQLite's PRAGMA quick_check (${problems.length} problem(s), first: ${problems[0].replace(/\s+/g, ' ').slice(0, 200)})`,
    );
  }
}

/** Once the database has its first page on disk: from now on, an empty file here is a loss, not a first start. */
export function writeMarker(db: Db, file: string): void {
  if (existsSync(markerFile(file))) return;
  if ((sizeOf(file) ?? 0) === 0) db.pragma('wal_checkpoint(TRUNCATE)');
  writeFileSync(
    markerFile(file),
    `${JSON.stringify({ database: basename(file), createdAt: new Date().toISOString(), why: 'Rampart refuses to start if the database beside this file is empty while this file exists.' })}\n`,
  );
}
