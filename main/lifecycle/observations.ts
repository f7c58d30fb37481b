import type { Db } from '../store/database';

/** What Rampart has seen of one flag × environment (table lifecycle_observations, migration 5). */
export interface Observation {
  firstSeenAt: number;
  /** When the current state was first seen: the first sighting, or the sighting after a change. */
  stateSince: number;
  /** Whether `stateSince` marks a change Rampart saw happen (between two sightings) rather than the first sighting. */
  transitioned: boolean;
  /** Whether any sighting showed the treatment served to anyone. */
  everExposed: boolean;
}

export interface Sighting {
  connectionId: string;
  flagKey: string;
  env: string;
  enabled: boolean;
  exposure: number | null;
  targeting: string | null;
}

interface Row {
  connection_id: string;
  flag_key: string;
  env: string;
  state_key: string;
  first_seen_at: number;
  state_since: number;
  transitioned: number;
  ever_exposed: number;
}

const stateKey = (s: Sighting) => JSON.stringify([s.enabled, s.exposure, s.targeting]);
const key = (c: string, f: string, e: string) => `${c}\u0000${f}\u0000${e}`;

/**
 * A store without history (a flagd file nobody watched) cannot say how long a flag has been released. Each lifecycle
 * read records what it saw; the first sighting of a state is a lower bound on how long it has held ("at least
 * since"), which is all Rampart claims for such stores.
 */
export function createObservations(db: Db) {
  const all = db.prepare('SELECT * FROM lifecycle_observations');
  const upsert = db.prepare(`INSERT INTO lifecycle_observations
      (connection_id, flag_key, env, state_key, first_seen_at, state_since, transitioned, ever_exposed, seen_at)
      VALUES (@connection_id, @flag_key, @env, @state_key, @first_seen_at, @state_since, @transitioned, @ever_exposed, @seen_at)
      ON CONFLICT (connection_id, flag_key, env) DO UPDATE SET state_key = excluded.state_key, state_since = excluded.state_since,
        transitioned = excluded.transitioned, ever_exposed = excluded.ever_exposed, seen_at = excluded.seen_at`);

  const record = db.transaction((sightings: Sighting[], at: number): Map<string, Observation> => {
    const known = new Map((all.all() as Row[]).map((r) => [key(r.connection_id, r.flag_key, r.env), r]));
    const out = new Map<string, Observation>();
    for (const s of sightings) {
      const k = key(s.connectionId, s.flagKey, s.env);
      const old = known.get(k);
      const exposed = s.enabled && (s.exposure === null || s.exposure > 0);
      const sk = stateKey(s);
      const changed = old !== undefined && old.state_key !== sk;
      const row: Row = {
        connection_id: s.connectionId,
        flag_key: s.flagKey,
        env: s.env,
        state_key: sk,
        first_seen_at: old?.first_seen_at ?? at,
        state_since: changed || !old ? at : old.state_since,
        transitioned: changed ? 1 : (old?.transitioned ?? 0),
        ever_exposed: exposed || old?.ever_exposed === 1 ? 1 : 0,
      };
      upsert.run({ ...row, seen_at: at });
      out.set(k, {
        firstSeenAt: row.first_seen_at,
        stateSince: row.state_since,
        transitioned: row.transitioned === 1,
        everExposed: row.ever_exposed === 1,
      });
    }
    return out;
  });

  return {
    /** Records a read of these flags at `at`; returns each one's observation afterwards. */
    // IMMEDIATE: the transaction reads, then writes. A deferred one whose snapshot another process wrote past fails
    // at its first write with "database is locked" at once, the busy timeout never consulted (SQLITE_BUSY_SNAPSHOT;
    // tester 2, F14: serve + two autopilots). Taking the write lock first makes it wait its turn instead.
    record: (sightings: Sighting[], at: number) => record.immediate(sightings, at),
    key,
  };
}

export type Observations = ReturnType<typeof createObservations>;
