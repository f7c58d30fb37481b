import { Connection } from '../../shared/domain/connections';
import { FlagState } from '../../shared/domain/flags';
import { Watch } from '../../shared/domain/metrics';
import type { Db } from './database';

/** Connections (no secrets), watches, last-known flag states and settings: small JSON records by key. */
export function createRecords(db: Db, now: () => number = Date.now) {
  return {
    connections: {
      list(): Connection[] {
        const rows = db.prepare('SELECT json FROM connections ORDER BY created_at, id').all() as { json: string }[];
        return rows.map((r) => Connection.parse(JSON.parse(r.json)));
      },
      get(id: string): Connection | undefined {
        const r = db.prepare('SELECT json FROM connections WHERE id = ?').get(id) as { json: string } | undefined;
        return r ? Connection.parse(JSON.parse(r.json)) : undefined;
      },
      save(c: Connection): void {
        db.prepare(
          `INSERT INTO connections (id, kind, json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, json = excluded.json, updated_at = excluded.updated_at`,
        ).run(c.id, c.kind, JSON.stringify(c), now(), now());
      },
      remove(id: string): boolean {
        return db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
      },
    },
    watches: {
      list(): Watch[] {
        return (db.prepare('SELECT json FROM watches ORDER BY id').all() as { json: string }[]).map((r) =>
          Watch.parse(JSON.parse(r.json)),
        );
      },
      get(id: string): Watch | undefined {
        const r = db.prepare('SELECT json FROM watches WHERE id = ?').get(id) as { json: string } | undefined;
        return r ? Watch.parse(JSON.parse(r.json)) : undefined;
      },
      forFlag(connectionId: string, flagKey: string, env: string): Watch | undefined {
        const r = db
          .prepare('SELECT json FROM watches WHERE flag_connection_id = ? AND flag_key = ? AND env = ?')
          .get(connectionId, flagKey, env) as { json: string } | undefined;
        return r ? Watch.parse(JSON.parse(r.json)) : undefined;
      },
      save(w: Watch): void {
        db.prepare(
          `INSERT INTO watches (id, flag_connection_id, flag_key, env, json) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(id) DO UPDATE SET flag_connection_id = excluded.flag_connection_id, flag_key = excluded.flag_key,
            env = excluded.env, json = excluded.json`,
        ).run(w.id, w.flagConnectionId, w.flagKey, w.env, JSON.stringify(w));
      },
      remove(id: string): boolean {
        return db.prepare('DELETE FROM watches WHERE id = ?').run(id).changes > 0;
      },
    },
    snapshots: {
      save(connectionId: string, flags: FlagState[]): void {
        const put =
          db.prepare(`INSERT INTO flag_snapshots (connection_id, flag_key, json, fetched_at) VALUES (?, ?, ?, ?)
          ON CONFLICT(connection_id, flag_key) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`);
        db.transaction(() => {
          for (const f of flags) put.run(connectionId, f.key, JSON.stringify(f), now());
        })();
      },
      list(connectionId: string): { flag: FlagState; fetchedAt: number }[] {
        const rows = db
          .prepare('SELECT json, fetched_at FROM flag_snapshots WHERE connection_id = ? ORDER BY flag_key')
          .all(connectionId) as {
          json: string;
          fetched_at: number;
        }[];
        return rows.map((r) => ({ flag: FlagState.parse(JSON.parse(r.json)), fetchedAt: r.fetched_at }));
      },
    },
    settings: {
      get(key: string): string | undefined {
        return (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)
          ?.value;
      },
      set(key: string, value: string): void {
        db.prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        ).run(key, value);
      },
    },
  };
}

export type Records = ReturnType<typeof createRecords>;
