import type { FlagChange } from '../../shared/domain/flags';
import { DAY_MS, servedShare, type LifecycleRow, type LifecycleStage } from '../../shared/domain/lifecycle';
import type { EvaluationReading } from './evaluation';
import type { Observation } from './observations';
import { servedAnyone, statesAfter } from './timeline';

/** What the derivation needs about one flag × environment. */
export interface StageInput {
  /** The live state; null when the store no longer lists the flag (archived or deleted). */
  state: { enabled: boolean; exposure: number | null } | null;
  /** This flag's changes in this environment and the flag-level ones (env '*'), echo-free, oldest first. */
  changes: readonly FlagChange[];
  observation: Observation | null;
  planRunning: boolean;
  staleDays: number;
  now: number;
  /**
   * The exposure metric's reading over the last `staleDays`, when the flag's watch has one. Undefined: no such
   * metric, it could not be read, or it has no data for the flag (unknown, never "silent").
   */
  evaluation?: EvaluationReading;
}

export type StageResult = Pick<
  LifecycleRow,
  | 'stage'
  | 'doneAs'
  | 'since'
  | 'sinceBasis'
  | 'lastChange'
  | 'owner'
  | 'lastActor'
  | 'createdAt'
  | 'staleReason'
  | 'lastEvaluatedAt'
>;

const STATE_KINDS = new Set<FlagChange['kind']>(['exposure', 'enabled', 'created']);

function days(ms: number): string {
  const d = Math.floor(ms / DAY_MS);
  return `${d} day${d === 1 ? '' : 's'}`;
}

function everExposed(i: StageInput): boolean {
  if (i.observation?.everExposed) return true;
  if (!i.state) return false;
  const live = { enabled: i.state.enabled, exposure: i.state.exposure, targeting: null };
  return statesAfter(i.changes, live).some(servedAnyone);
}

/** Whether a recorded change ends in this state (for the fields it names): then it, not a later sighting, dates it. */
function explains(c: FlagChange | undefined, state: StageInput['state']): boolean {
  if (!c || !c.to || !state) return false;
  const { enabled, exposure } = c.to;
  if (enabled === undefined && exposure === undefined) return false;
  return (
    (enabled === undefined || enabled === state.enabled) &&
    (exposure === undefined || Math.abs((exposure ?? 0) - (state.exposure ?? 0)) < 1e-9)
  );
}

/**
 * When the current state began: the last recorded change of the state when it ends in the current state, else
 * Rampart's own sightings (a change seen between two looks, or the first look: "at least since").
 */
function sinceOf(
  changes: readonly FlagChange[],
  obs: Observation | null,
  state: StageInput['state'],
): { since: number | null; basis: StageResult['sinceBasis'] } {
  const last = [...changes].reverse().find((c) => STATE_KINDS.has(c.kind));
  const seenChange = obs?.transitioned ? obs.stateSince : null;
  if (last && (seenChange === null || last.at >= seenChange || explains(last, state)))
    return { since: last.at, basis: 'exact' };
  if (seenChange !== null) return { since: seenChange, basis: 'at-least' };
  return obs ? { since: obs.firstSeenAt, basis: 'at-least' } : { since: null, basis: null };
}

/** The last time anything about the flag changed (targeting included): what "unchanged for N days" measures. */
function unchangedSince(
  changes: readonly FlagChange[],
  obs: Observation | null,
  state: StageInput['state'],
): { at: number | null; basis: StageResult['sinceBasis'] } {
  const last = changes[changes.length - 1];
  const lastState = [...changes].reverse().find((c) => STATE_KINDS.has(c.kind));
  const seenChange = obs?.transitioned ? obs.stateSince : null;
  if (last && (seenChange === null || last.at >= seenChange || explains(lastState, state)))
    return { at: last.at, basis: 'exact' };
  if (seenChange !== null) return { at: seenChange, basis: 'at-least' };
  return obs ? { at: obs.firstSeenAt, basis: 'at-least' } : { at: null, basis: null };
}

/**
 * One flag × environment's stage (issue 14): created (never exposed), rolling out (0 < exposure < 100, or a plan
 * running), released (on for everyone) or off — and stale when released or off and unchanged for `staleDays`, or
 * when (released or off) its exposure metric shows no evaluation for that long; archived when the store says so.
 */
export function deriveStage(i: StageInput): StageResult {
  const { changes, observation: obs, now } = i;
  const created = [...changes].reverse().find((c) => c.kind === 'created');
  const lifecycleEvent = [...changes].reverse().find((c) => c.kind === 'created' || c.kind === 'archived');
  const last = changes[changes.length - 1];
  const common = {
    lastChange: last ? { at: last.at, label: last.label, actor: last.actor ?? null } : null,
    owner: created?.actor ?? null,
    lastActor: [...changes].reverse().find((c) => c.actor)?.actor ?? null,
    createdAt: created?.at ?? null,
    lastEvaluatedAt: i.evaluation?.lastAt ?? null,
  };
  if (i.state === null || lifecycleEvent?.kind === 'archived') {
    const at = lifecycleEvent?.kind === 'archived' ? lifecycleEvent.at : null;
    return {
      ...common,
      stage: 'archived',
      doneAs: null,
      since: at,
      sinceBasis: at === null ? null : 'exact',
      staleReason: null,
    };
  }
  const share = servedShare(i.state);
  let stage: LifecycleStage;
  if (i.planRunning) stage = 'rolling-out';
  else if (share === 0) stage = everExposed(i) ? 'off' : 'created';
  else if (share === 100) stage = 'released';
  else stage = 'rolling-out'; // a percentage between, or on for a targeted group with no percentage
  const { since, basis } = sinceOf(changes, obs, i.state);
  const threshold = i.staleDays * DAY_MS;

  if (stage === 'released' || stage === 'off') {
    const quiet = unchangedSince(changes, obs, i.state);
    if (quiet.at !== null && now - quiet.at >= threshold) {
      const what = stage === 'released' ? 'released to everyone' : 'off';
      const first =
        quiet.basis === 'at-least' ? ' (at least: that is when Rampart first saw it; the store keeps no history)' : '';
      const reason = `${what} and unchanged for ${days(now - quiet.at)}${first}; the threshold is ${days(threshold)}`;
      return { ...common, stage: 'stale', doneAs: stage, since, sinceBasis: basis, staleReason: reason };
    }
  }
  // Silence is counted from the last traffic seen, or from when the metric first had data for the flag; and a flag
  // younger than the threshold cannot have been silent for it (tester 2, F13: 25-minute-old flags called stale).
  const ev = i.evaluation;
  const age = common.createdAt === null ? Infinity : now - common.createdAt;
  if ((stage === 'released' || stage === 'off') && ev && age >= threshold) {
    const silentFor = now - (ev.lastAt ?? ev.dataFrom);
    if (silentFor >= threshold) {
      const reason =
        ev.lastAt === null
          ? `not evaluated in the last ${days(silentFor)}: ${ev.measured} shows no traffic for any variant; the threshold is ${days(threshold)}`
          : `not evaluated for ${days(silentFor)}: ${ev.measured} last showed traffic then; the threshold is ${days(threshold)}`;
      return { ...common, stage: 'stale', doneAs: stage, since, sinceBasis: basis, staleReason: reason };
    }
  }
  return { ...common, stage, doneAs: null, since, sinceBasis: basis, staleReason: null };
}

const ORDER: readonly LifecycleStage[] = ['stale', 'released', 'off', 'rolling-out', 'created', 'archived'];

/** By stage, then longest "done" first (the oldest `since`); unknown times last. */
export function compareRows(a: LifecycleRow, b: LifecycleRow): number {
  return (
    ORDER.indexOf(a.stage) - ORDER.indexOf(b.stage) ||
    (a.since ?? Infinity) - (b.since ?? Infinity) ||
    a.flagKey.localeCompare(b.flagKey) ||
    a.env.localeCompare(b.env)
  );
}
