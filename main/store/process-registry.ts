import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AuditOwner } from '../../shared/domain/audit';
import type { Db } from './database';

/**
 * Which processes write to this data dir, and whether each is still alive. Every process that opens the store
 * registers itself (pid, host, start time, an OS start token) and beats a heartbeat; an intent it writes names it.
 * Reconcile settles an intent only when its owner is GONE (docs/security.md): ended cleanly, or its heartbeat is stale
 * AND its pid is not alive on this host (or now belongs to a different process: the start token differs). A live
 * owner — even one whose event loop is busy and misses beats — is never raced.
 *
 * This table is a registry, not an audit trail: heartbeats update it in place.
 */

/** How many missed beats make a heartbeat stale. */
const STALE_BEATS = 3;
/** Another host's pid cannot be checked: only a much older heartbeat says that owner is gone. */
const OTHER_HOST_STALE_BEATS = 12;
const KEEP_MS = 30 * 86_400_000;

export interface ProcessRow {
  id: string;
  pid: number;
  host: string;
  started_at: number;
  start_token: string | null;
  heartbeat_ms: number;
  heartbeat_at: number;
  ended_at: number | null;
}

export interface OwnerProbe {
  /** Whether `pid` names a running process on this host. */
  pidAlive(pid: number): boolean;
  /** An OS token that changes when a pid is reused (Linux: start time in clock ticks), or null where unknown. */
  startToken(pid: number): string | null;
}

export const osProbe: OwnerProbe = {
  pidAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
    }
  },
  startToken(pid) {
    try {
      // /proc/<pid>/stat: field 22 (starttime) after the parenthesised command name, which may contain spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
    } catch {
      return null;
    }
  },
};

export interface RegistryOptions {
  now?: () => number;
  heartbeatMs?: number;
  probe?: OwnerProbe;
  /** For tests of liveness: pretend to be this pid/host (default: the real ones). */
  pid?: number;
  host?: string;
}

export function createProcessRegistry(db: Db, o: RegistryOptions = {}) {
  const now = o.now ?? Date.now;
  const probe = o.probe ?? osProbe;
  const heartbeatMs = Math.max(50, o.heartbeatMs ?? 5_000);
  const pid = o.pid ?? process.pid;
  const host = o.host ?? hostname();
  const startedAt = Math.round(Date.now() - process.uptime() * 1000);
  const self: AuditOwner = { id: randomUUID(), pid, host, startedAt };

  db.prepare(
    `INSERT INTO processes (id, pid, host, started_at, start_token, heartbeat_ms, heartbeat_at, ended_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
  ).run(self.id, pid, host, startedAt, o.pid === undefined ? probe.startToken(pid) : null, heartbeatMs, now());
  // Old rows go (killed processes never set ended_at); an intent whose owner row is gone is judged by its pid.
  db.prepare('DELETE FROM processes WHERE heartbeat_at < ?').run(now() - KEEP_MS);

  const beat = db.prepare('UPDATE processes SET heartbeat_at = ? WHERE id = ?');
  const byId = db.prepare('SELECT * FROM processes WHERE id = ?');
  let ended = false;

  return {
    self,
    heartbeatMs,
    /** Never throws: a busy database (another writer holding the lock) only delays the next beat. */
    heartbeat(): void {
      if (ended) return;
      try {
        beat.run(now(), self.id);
      } catch {
        // The next beat tries again; a few missed beats never make a live owner "gone" (its pid is alive).
      }
    },
    end(): void {
      if (ended) return;
      ended = true;
      try {
        db.prepare('UPDATE processes SET ended_at = ?, heartbeat_at = ? WHERE id = ?').run(now(), now(), self.id);
      } catch {
        // Closing anyway: the stale heartbeat and the dead pid will say the same later.
      }
    },
    /** Whether intents of this owner may be settled by someone else. Unknown owners (schema-1 rows) are gone. */
    isGone(owner: AuditOwner | null): boolean {
      if (!owner) return true;
      if (owner.id === self.id) return false;
      const row = byId.get(owner.id) as ProcessRow | undefined;
      if (!row) return owner.host === host ? !probe.pidAlive(owner.pid) : true;
      if (row.ended_at !== null) return true;
      const age = now() - row.heartbeat_at;
      if (row.host !== host) return age > OTHER_HOST_STALE_BEATS * row.heartbeat_ms;
      if (age <= STALE_BEATS * row.heartbeat_ms) return false;
      if (!probe.pidAlive(row.pid)) return true;
      const token = row.start_token === null ? null : probe.startToken(row.pid);
      return token !== null && token !== row.start_token;
    },
  };
}

export type ProcessRegistry = ReturnType<typeof createProcessRegistry>;
