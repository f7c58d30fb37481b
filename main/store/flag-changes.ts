import { FlagChange } from '../../shared/domain/flags';
import type { Db } from './database';

/** Every flag change Rampart has seen, deduplicated by id, so markers survive restarts and stores that forget. */
export function createFlagChangeStore(db: Db) {
  const upsert = db.prepare(`INSERT INTO flag_changes (id, connection_id, flag_key, env, at, kind, json)
    VALUES (@id, @connectionId, @flagKey, @env, @at, @kind, @json)
    ON CONFLICT(id) DO UPDATE SET at = excluded.at, kind = excluded.kind, json = excluded.json`);
  const addMany = db.transaction((changes: FlagChange[]) => {
    for (const c of changes) upsert.run({ ...c, json: JSON.stringify(c) });
  });

  return {
    add(changes: FlagChange[]): void {
      if (changes.length > 0) addMany(changes);
    },
    list(q: { from: number; to: number; connectionId?: string; flagKey?: string; env?: string }): FlagChange[] {
      const where = ['at >= ?', 'at <= ?'];
      const args: (string | number)[] = [q.from, q.to];
      if (q.connectionId) (where.push('connection_id = ?'), args.push(q.connectionId));
      if (q.flagKey) (where.push('flag_key = ?'), args.push(q.flagKey));
      // env '*' marks changes that concern every environment (a flag created or archived).
      if (q.env) (where.push("(env = ? OR env = '*')"), args.push(q.env));
      const rows = db
        .prepare(`SELECT json FROM flag_changes WHERE ${where.join(' AND ')} ORDER BY at, id`)
        .all(...args) as { json: string }[];
      return rows.map((r) => FlagChange.parse(JSON.parse(r.json)));
    },
    /** The newest change of each flag/env of a connection (for "last change" in the flag list). */
    latest(connectionId: string): Map<string, FlagChange> {
      const rows = db
        .prepare(
          `SELECT c.json FROM flag_changes c
          JOIN (SELECT flag_key, env, MAX(at) AS at FROM flag_changes WHERE connection_id = ? GROUP BY flag_key, env) m
            ON c.flag_key = m.flag_key AND c.env = m.env AND c.at = m.at
          WHERE c.connection_id = ?`,
        )
        .all(connectionId, connectionId) as { json: string }[];
      const out = new Map<string, FlagChange>();
      for (const r of rows) {
        const c = FlagChange.parse(JSON.parse(r.json));
        out.set(`${c.flagKey}\u0000${c.env}`, c);
      }
      return out;
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM flag_changes').get() as { n: number }).n;
    },
  };
}

export type FlagChangeStore = ReturnType<typeof createFlagChangeStore>;
