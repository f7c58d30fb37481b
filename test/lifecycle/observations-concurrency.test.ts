import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { createObservations } from '../../main/lifecycle/observations';

/**
 * Tester 2, F14: with `serve` and two autopilots on one data dir, the Lifecycle list failed with "database is locked".
 * Its sightings transaction read, then wrote; another process committing in between made the first write fail at once
 * (SQLITE_BUSY_SNAPSHOT, the busy timeout not consulted). Here a second process commits to the same table in a
 * tight loop while this one records sightings: every record must succeed.
 */
const dir = mkdtempSync(join(tmpdir(), 'rampart-obs-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WRITER = `
const Database = require('better-sqlite3');
// A long busy timeout: on a loaded CI box the writer itself must not give up while this process holds the lock.
const db = new Database(process.argv[1], { timeout: 60000 });
db.pragma('journal_mode = WAL');
const up = db.prepare("INSERT INTO lifecycle_observations (connection_id, flag_key, env, state_key, first_seen_at, state_since, transitioned, ever_exposed, seen_at) VALUES ('other', ?, 'p', 's', 0, 0, 0, 0, ?) ON CONFLICT (connection_id, flag_key, env) DO UPDATE SET seen_at = excluded.seen_at");
process.stdout.write('ready\\n');
const until = Date.now() + Number(process.argv[2]);
let i = 0;
while (Date.now() < until) up.run('f' + (i++ % 50), i);
db.close();
`;

describe('recording sightings while another process writes the same database', () => {
  it('waits for the lock instead of failing with "database is locked"', async () => {
    const file = join(dir, 'rampart.db');
    const db = openDatabase(file);
    const observations = createObservations(db);
    const sightings = Array.from({ length: 400 }, (_, i) => ({
      connectionId: 'c',
      flagKey: `flag-${i}`,
      env: 'production',
      enabled: true,
      exposure: 100,
      targeting: null,
    }));
    const writer = spawn(process.execPath, ['-e', WRITER, file, '1500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok) => writer.stdout.once('data', () => ok()));
    const exited = new Promise<number | null>((ok) => writer.on('exit', ok));
    let records = 0;
    let running = true;
    void exited.then(() => (running = false));
    while (running) {
      observations.record(sightings, records++); // throws "database is locked" without the IMMEDIATE transaction
      await new Promise((r) => setImmediate(r));
    }
    expect(await exited).toBe(0);
    expect(records).toBeGreaterThan(5);
    db.close();
  });
});
