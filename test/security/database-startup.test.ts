import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/host/cli';
import { openDatabase } from '../../main/store/database';
import { markerFile, quickCheck } from '../../main/store/database-startup';
import { MIGRATIONS } from '../../main/store/migrations';

/**
 * docs/security.md: "a database that fails PRAGMA quick_check, or is empty where one existed, is refused with a
 * message, never silently replaced". The audit log lives in rampart.db and is append-only; a start-up that
 * re-initialised a damaged or truncated file would erase it. Each bad file is refused, left byte-for-byte as it was,
 * and the message says how to start fresh — which then works.
 */
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-dbstart-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const hash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A real Rampart database with some audit-sized content, closed cleanly (WAL checkpointed into the file). */
function realDatabase(): { dir: string; file: string } {
  const dir = tmp();
  const file = join(dir, 'rampart.db');
  const db = openDatabase(file);
  db.exec(
    'CREATE TABLE filler (x BLOB); INSERT INTO filler SELECT randomblob(400) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) SELECT i FROM c);',
  );
  db.close();
  return { dir, file };
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function expectRefusedUnchanged(file: string, problem: RegExp): void {
  const before = existsSync(file) ? hash(file) : null;
  let message = '';
  try {
    openDatabase(file).close();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message, 'refused').toMatch(problem);
  expect(message).toMatch(/Rampart has not changed it/);
  expect(message).toMatch(
    /To start fresh, move rampart\.db .* or use another data folder \(--data-dir <folder>; RAMPART_HOME=<folder> for the desktop app\)/,
  );
  expect(message.split('\n')).toHaveLength(1);
  expect(existsSync(file) ? hash(file) : null, 'the file is left exactly as it was').toBe(before);
}

describe('database start-up', () => {
  it('a fresh data dir: created, marked, and opened again', () => {
    const dir = tmp();
    const file = join(dir, 'rampart.db');
    openDatabase(file).close();
    expect(existsSync(markerFile(file))).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(0);
    openDatabase(file).close();
  });

  it('a damaged database is refused and left as it was, at every page hit', () => {
    const { file } = realDatabase();
    const pages = statSync(file).size / 4096;
    // Page headers overwritten: quick_check reports the damage, or SQLite finds the image malformed while checking.
    for (const page of [1, Math.floor(pages / 3), Math.floor(pages / 2), pages - 2]) {
      const copy = join(tmp(), 'rampart.db');
      writeFileSync(copy, readFileSync(file));
      const fd = openSync(copy, 'r+');
      writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, 4096 * page);
      closeSync(fd);
      expectRefusedUnchanged(
        copy,
        /fails SQLite's PRAGMA quick_check \(\d+ problem|SQLite cannot read it \(database disk image is malformed\)/,
      );
    }
  });

  it("quick_check's problem rows become the refusal (first problem, on one line)", () => {
    const fake = {
      pragma: () => [
        { quick_check: '*** in database main ***\nTree 6 page 6: btreeInitPage() returns error code 11' },
        { quick_check: 'row 3 missing from index' },
      ],
    };
    expect(() => quickCheck(fake as never, '/data/rampart.db')).toThrow(
      /fails SQLite's PRAGMA quick_check \(2 problem\(s\), first: \*\*\* in database main \*\*\* Tree 6 page 6/,
    );
    expect(() => quickCheck({ pragma: () => [{ quick_check: 'ok' }] } as never, '/data/rampart.db')).not.toThrow();
  });

  it('a file that is not a database at all is refused, not replaced', () => {
    const dir = tmp();
    const file = join(dir, 'rampart.db');
    writeFileSync(file, 'this is a text file somebody put here, and it is long enough to have a header.'.repeat(10));
    expectRefusedUnchanged(file, /SQLite cannot read it/);
  });

  it('a 0-byte rampart.db where a database existed (the marker) is refused, and stays 0 bytes', () => {
    const { file } = realDatabase();
    writeFileSync(file, '');
    for (const f of [`${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    expectRefusedUnchanged(file, /the file is empty \(0 bytes\), but a Rampart database existed here/);
    expect(statSync(file).size).toBe(0);
  });

  it('a missing database beside a leftover write-ahead log is refused (the log belongs to the old file)', () => {
    const dir = tmp();
    const file = join(dir, 'rampart.db');
    writeFileSync(`${file}-wal`, Buffer.alloc(8192, 7));
    expectRefusedUnchanged(file, /write-ahead log/);
  });

  it('following the message starts fresh: the old file moved aside, the next start creates a new database', () => {
    const { dir, file } = realDatabase();
    writeFileSync(file, '');
    expectRefusedUnchanged(file, /empty/);
    mkdirSync(join(dir, 'backup'));
    renameSync(file, join(dir, 'backup', 'rampart.db'));
    openDatabase(file).close();
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  it('a database written by a newer Rampart is still refused', () => {
    const dir = tmp();
    const file = join(dir, 'rampart.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw
      .prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)')
      .run(9999, 'future', 'x', Date.now());
    raw.close();
    expect(() => openDatabase(file, MIGRATIONS)).toThrow(/newer Rampart \(schema 9999/);
  });

  it('through the CLI: one line naming the file and what to do, exit 1, nothing written', async () => {
    const { dir, file } = realDatabase();
    writeFileSync(file, '');
    const r = await cli('flags', 'list', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/To start fresh/);
    expect(statSync(file).size).toBe(0);
  });
});
