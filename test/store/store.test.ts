import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, migrate } from '../../main/store/database';
import { MIGRATIONS } from '../../main/store/migrations';
import { openStore } from '../../main/store';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const intent = {
  user: 'alice',
  connectionId: 'demo-flags',
  flagKey: 'checkout-v2',
  env: 'production',
  action: 'ramp' as const,
  from: { enabled: true, exposure: 5 },
  to: { enabled: true, exposure: 25 },
  comment: 'p99 flat for 30 minutes',
  override: false,
  door: 'cli' as const,
};

describe('migrations', () => {
  it('apply once, in order, and are recorded with their hash', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'a.db'));
    const rows = db.prepare('SELECT version, hash FROM schema_migrations').all() as { version: number; hash: string }[];
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Re-opening applies nothing new and does not fail.
    openDatabase(join(dir, 'a.db')).close();
  });

  it('refuse a database whose applied migration was edited afterwards', () => {
    const dir = tempDir();
    openDatabase(join(dir, 'b.db')).close();
    const edited = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, sql: m.sql + '\n-- edited' } : m));
    expect(() => openDatabase(join(dir, 'b.db'), edited)).toThrow(/differs from the one applied/);
  });

  it('roll back a failing migration as a whole', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'c.db'));
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT version FROM schema_migrations WHERE version = 99').get()).toBeUndefined();
    db.close();
  });
});

describe('the audit log', () => {
  it('is append-only: UPDATE and DELETE are rejected by the database itself', () => {
    const store = openStore(tempDir());
    const e = store.audit.intent(intent);
    expect(() => store.db.prepare("UPDATE audit_log SET comment = 'rewritten'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(store.audit.get(e.actionId)?.comment).toBe('p99 flat for 30 minutes');
    store.close();
  });

  it('joins each intent with its latest outcome, and shows unfinished intents as pending', () => {
    const store = openStore(tempDir());
    const a = store.audit.intent(intent);
    const b = store.audit.intent({ ...intent, action: 'rollback', to: { enabled: null, exposure: 0 } });
    store.audit.result(a.actionId, 'done');
    const list = store.audit.list({ limit: 10 });
    expect(list.map((x) => [x.action, x.result, x.door])).toEqual([
      ['rollback', 'pending', 'cli'],
      ['ramp', 'done', 'cli'],
    ]);
    expect(store.audit.unsettled().map((p) => p.actionId)).toEqual([b.actionId]);
    expect(list[1].owner).toEqual(store.processes.self);
    store.close();
  });

  it('keeps acknowledged rows across a reopen', () => {
    const dir = tempDir();
    const s1 = openStore(dir);
    const a = s1.audit.intent(intent);
    s1.audit.result(a.actionId, 'failed', 'Unleash: unreachable');
    s1.close();
    const s2 = openStore(dir);
    expect(s2.audit.get(a.actionId)).toMatchObject({ result: 'failed', error: 'Unleash: unreachable' });
    s2.close();
  });
});

describe('flag changes and the series cache', () => {
  it('deduplicate changes by id', () => {
    const store = openStore(tempDir());
    const c = {
      id: 'x:1',
      connectionId: 'x',
      flagKey: 'f',
      env: 'p',
      at: 1000,
      kind: 'exposure' as const,
      from: { exposure: 5 },
      to: { exposure: 25 },
      label: 'rollout 5% → 25%',
      source: 'vendor' as const,
    };
    store.changes.add([c, c]);
    store.changes.add([c]);
    expect(store.changes.list({ from: 0, to: 2000 })).toHaveLength(1);
    expect(store.changes.latest('x').get('f\u0000p')?.label).toBe('rollout 5% → 25%');
    store.close();
  });

  it('reports missing ranges, stores NaN as a gap, and reads back what it stored', () => {
    const store = openStore(tempDir(), () => 1e6);
    const key = 'k';
    expect(store.series.missing(key, 0, 1000)).toEqual([[0, 1000]]);
    store.series.write(
      key,
      [{ labels: { v: 'on' }, t: Float64Array.from([0, 100, 200]), v: Float64Array.from([1, Number.NaN, 3]) }],
      0,
      400,
    );
    store.series.write(key, [], 600, 800);
    expect(store.series.missing(key, 0, 1000)).toEqual([
      [400, 600],
      [800, 1000],
    ]);
    const [s] = store.series.read(key, 0, 1000);
    expect(s.labels).toEqual({ v: 'on' });
    expect(Array.from(s.t)).toEqual([0, 100, 200]);
    expect(Number.isNaN(s.v[1])).toBe(true);
    expect(s.v[2]).toBe(3);
    store.close();
  });
});
