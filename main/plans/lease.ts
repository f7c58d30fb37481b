import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../store/database';

/**
 * Exactly one runner drives a plan (issue 12): a lease on the plan's row — owner + expiry — renewed on every tick
 * and taken over only once it has expired. The Electron app, `rampart serve` and `rampart autopilot` on the same data
 * dir (or two of them) compete for it through SQLite, whose writes are serialized, so the check and the take are one
 * atomic UPDATE. A runner that slept past its expiry (a closed laptop) finds it gone and re-acquires or yields.
 */
export function runnerOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface LeaseInfo {
  owner: string | null;
  expiresAt: number | null;
}

export function createLeases(db: Db, now: () => number) {
  const take = db.prepare(`UPDATE plans SET lease_owner = @owner, lease_expires_at = @expires
    WHERE id = @id AND (active = 1 OR json_extract(json, '$.recovery.status') = 'verifying')
      AND (lease_owner IS NULL OR lease_owner = @owner OR lease_expires_at < @now)`);
  const drop = db.prepare(
    'UPDATE plans SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?',
  );
  const read = db.prepare('SELECT lease_owner, lease_expires_at FROM plans WHERE id = ?');

  return {
    /** Takes or renews the lease; false when another live owner holds it. */
    acquire(planId: string, owner: string, ttlMs: number): boolean {
      const t = now();
      return take.run({ id: planId, owner, expires: t + ttlMs, now: t }).changes === 1;
    },
    release(planId: string, owner: string): void {
      drop.run(planId, owner);
    },
    /** Whether `owner` holds an unexpired lease right now (checked again just before every write). */
    holds(planId: string, owner: string): boolean {
      const r = read.get(planId) as { lease_owner: string | null; lease_expires_at: number | null } | undefined;
      return !!r && r.lease_owner === owner && (r.lease_expires_at ?? 0) >= now();
    },
    of(planId: string): LeaseInfo {
      const r = read.get(planId) as { lease_owner: string | null; lease_expires_at: number | null } | undefined;
      return { owner: r?.lease_owner ?? null, expiresAt: r?.lease_expires_at ?? null };
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
