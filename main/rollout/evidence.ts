import type { ChangeState, FlagChange, TreatmentReach } from '../../shared/domain/flags';
import type { AuditTrailRow, FlagPoint } from '../store/audit-log';
import { describePoint, reachesTarget, sameExposure } from './exposure-rules';

/**
 * Did an unsettled write land? Settling an intent after the fact (its owner died, or its outcome was unknown) compares
 * the store with the INTENT's target — not with "what the user probably wanted now" — and weighs what was seen since
 * (docs/security.md): the states later actions read before writing and read back after, the changes Rampart recorded
 * (its own, and file-watch diffs), and the vendor's own history.
 *
 * The window: from the intent to the next intent that moves the flag to the SAME target from elsewhere (after that,
 * seeing the target proves nothing about this intent). Inside it, any sighting of the target means the write landed;
 * if it landed and the flag is elsewhere now (or was moved before that next intent), a later change SUPERSEDED it.
 * No sighting and the store not at the target: it did not land (`failed`). Unreadable: undecided, leave it.
 */

export interface Sighting {
  at: number;
  /** Audit rows are ordered by seq (several can share a millisecond); changes only by time. */
  seq?: number;
  /** A full state (read by some process), or a change's partial before/after. */
  state?: FlagPoint;
  change?: { from: ChangeState | null; to: ChangeState | null };
  source: string;
}

export interface PendingIntent {
  actionId: string;
  seq: number;
  at: number;
  action: string;
  from: FlagPoint;
  to: FlagPoint;
}

export type Verdict =
  { verdict: 'done' | 'superseded' | 'failed'; why: string } | { verdict: 'undecided'; why: string };

/** Clock slack for the vendor's own timestamps (another machine's clock). */
export const VENDOR_SKEW_MS = 2_000;

function partialReaches(cs: ChangeState | null, intent: PendingIntent, step: number): boolean {
  if (!cs) return false;
  if (intent.action === 'rollback')
    return cs.enabled === false || (typeof cs.exposure === 'number' && sameExposure(cs.exposure, 0, step));
  const t = intent.to;
  if (t.enabled !== null && cs.enabled !== undefined && cs.enabled !== t.enabled) return false;
  if (t.exposure !== null && t.enabled !== false) {
    if (typeof cs.exposure === 'number') return sameExposure(cs.exposure, t.exposure, step);
    // An on/off change alone shows the target only when the exposure was already the target's.
    return (
      cs.enabled !== undefined && intent.from.exposure !== null && sameExposure(intent.from.exposure, t.exposure, step)
    );
  }
  return cs.enabled !== undefined;
}

function sighted(s: Sighting, intent: PendingIntent, step: number): boolean {
  if (s.state) return reachesTarget(s.state, intent.to, step, intent.action);
  return partialReaches(s.change?.to ?? null, intent, step) || partialReaches(s.change?.from ?? null, intent, step);
}

/** The next later intent that moves the flag to the same target from elsewhere: the end of this intent's window. */
function windowEnd(intent: PendingIntent, later: AuditTrailRow[], step: number): AuditTrailRow | undefined {
  return later.find((r) => {
    if (r.phase !== 'intent' || r.seq <= intent.seq) return false;
    const sameTarget =
      intent.action === 'rollback'
        ? r.action === 'rollback'
        : r.action !== 'rollback' && reachesTarget(r.to, intent.to, step, intent.action);
    const knownFrom = r.from.enabled !== null || r.from.exposure !== null;
    return sameTarget && (!knownFrom || !reachesTarget(r.from, intent.to, step, intent.action));
  });
}

export interface CurrentState {
  state: FlagPoint | null;
  /** For rollbacks: the store's own proof (treatmentReach). */
  reach?: TreatmentReach | null;
}

export function judgeIntent(
  intent: PendingIntent,
  later: AuditTrailRow[],
  sightings: Sighting[],
  current: CurrentState,
  step: number,
): Verdict {
  const end = windowEnd(intent, later, step);
  const inWindow = sightings.filter((s) => {
    if (s.seq !== undefined) return s.seq > intent.seq && s.at >= intent.at && (!end || s.seq < end.seq);
    return s.at >= intent.at - (s.source === 'vendor history' ? VENDOR_SKEW_MS : 0) && (!end || s.at < end.at);
  });
  const seen = inWindow.find((s) => sighted(s, intent, step));
  const alreadyThere = reachesTarget(intent.from, intent.to, step, intent.action) && intent.action !== 'rollback';
  const landed = seen !== undefined || alreadyThere;
  // Said positively: "no treatment was never seen" read as a double negative.
  const target = intent.action === 'rollback' ? 'the control for everyone' : describePoint(intent.to);
  const proof = seen
    ? `${target} seen in ${seen.source} at ${new Date(seen.at).toISOString()}`
    : alreadyThere
      ? 'the flag was already at the target'
      : '';

  if (end) {
    return landed
      ? {
          verdict: 'superseded',
          why: `landed (${proof}); moved again before the next action to the same target (${end.actionId})`,
        }
      : {
          verdict: 'failed',
          why: `not applied: ${target} was never seen between the intent and the next action to the same target (${end.actionId})`,
        };
  }
  const now = currentAtTarget(intent, current, step);
  if (now === undefined) return { verdict: 'undecided', why: current.reach?.detail ?? 'the store could not be read' };
  if (now)
    return {
      verdict: 'done',
      why: `the store shows ${target}${intent.action === 'rollback' && current.reach ? ` (${current.reach.detail})` : ''}`,
    };
  const shown = current.state ? describePoint(current.state) : (current.reach?.detail ?? 'another state');
  return landed
    ? { verdict: 'superseded', why: `landed (${proof}); a later change moved it: the store now shows ${shown}` }
    : { verdict: 'failed', why: `not applied: the store shows ${shown} and ${target} was never seen since the intent` };
}

/** true / false, or undefined when the store cannot prove it either way. */
function currentAtTarget(intent: PendingIntent, current: CurrentState, step: number): boolean | undefined {
  if (intent.action === 'rollback') {
    if (!current.reach) return undefined;
    if (current.reach.state === 'none') return true;
    return current.reach.state === 'some' ? false : undefined;
  }
  return current.state ? reachesTarget(current.state, intent.to, step, intent.action) : undefined;
}

/** Sightings from the audit trail (states later actions read before writing, and read back after) and changes. */
export function sightingsFrom(trail: AuditTrailRow[], changes: FlagChange[], vendor: FlagChange[]): Sighting[] {
  const out: Sighting[] = [];
  for (const r of trail) {
    const readAt = typeof r.detail?.readAt === 'number' ? r.detail.readAt : r.at;
    if (r.phase === 'intent' && (r.from.enabled !== null || r.from.exposure !== null))
      out.push({ at: readAt, seq: r.seq, state: r.from, source: `the state read by action ${r.actionId}` });
    const rb = r.detail?.readBack as FlagPoint | undefined;
    if (r.phase !== 'intent' && rb && typeof rb === 'object')
      out.push({
        at: r.at,
        seq: r.seq,
        state: { enabled: rb.enabled ?? null, exposure: rb.exposure ?? null },
        source: `the read-back of action ${r.actionId}`,
      });
  }
  for (const c of changes)
    out.push({
      at: c.at,
      change: { from: c.from, to: c.to },
      source: c.source === 'vendor' ? 'vendor history' : `recorded change ${c.id}`,
    });
  for (const c of vendor) out.push({ at: c.at, change: { from: c.from, to: c.to }, source: 'vendor history' });
  return out.sort((a, b) => a.at - b.at);
}
