import type { AuditEntry } from '../../shared/domain/audit';
import { formatPercent, type FlagChange } from '../../shared/domain/flags';
import type { FlagVersion, VersionDiff, VersionState } from '../../shared/domain/lifecycle';
import { sameExposure } from '../rollout/exposure-rules';
import { timeline, type LiveState } from './timeline';

/** Audit actions that write a flag's state; their confirmed outcomes are states the flag had. */
const WRITES = new Set<AuditEntry['action']>(['ramp', 'rollback', 'enable', 'disable', 'restore', 'promote']);
const LANDED = new Set<AuditEntry['result']>(['done', 'reconciled-done', 'superseded']);

type Step = Omit<FlagChange, 'source'> & { source: FlagChange['source'] | 'audit'; entry?: AuditEntry };

/** A confirmed write whose change marker is missing (an older row, a write settled after a crash): its own step. */
function fromAudit(e: AuditEntry): Step {
  const rb = e.detail?.readBack as { enabled?: boolean; exposure?: number | null } | undefined;
  const to = {
    enabled: rb?.enabled ?? e.to.enabled ?? undefined,
    exposure: rb && 'exposure' in rb ? rb.exposure : (e.to.exposure ?? undefined),
  };
  const from = { enabled: e.from.enabled ?? undefined, exposure: e.from.exposure ?? undefined };
  const clean = (s: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
  return {
    id: `${e.connectionId}:audit:${e.actionId}`,
    connectionId: e.connectionId,
    flagKey: e.flagKey,
    env: e.env,
    at: e.finishedAt ?? e.at,
    kind: to.enabled !== from.enabled ? 'enabled' : 'exposure',
    from: clean(from),
    to: clean(to),
    label: `${e.action} (from the audit)`,
    actor: e.user,
    comment: e.comment,
    source: 'audit',
    entry: e,
  };
}

const onOff = (v: boolean | null) => (v === null ? 'unknown' : v ? 'on' : 'off');
const pct = (s: VersionState) => (s.exposureKnown ? formatPercent(s.exposure) : 'unknown');

function diffOf(prev: VersionState | null, s: VersionState, change: Step, step: number): VersionDiff[] {
  if (change.kind === 'created') return []; // nothing before it: the label says "created"
  const out: VersionDiff[] = [];
  const before = prev ?? {
    enabled: null,
    exposure: null,
    exposureKnown: false,
    targeting: null,
    targetingAsNow: false,
  };
  if (before.enabled !== s.enabled) out.push({ field: 'enabled', from: onOff(before.enabled), to: onOff(s.enabled) });
  if (
    before.exposureKnown !== s.exposureKnown ||
    (s.exposureKnown && !sameExposure(before.exposure, s.exposure, step)) ||
    (s.exposure === null) !== (before.exposure === null)
  ) {
    out.push({ field: 'exposure', from: pct(before), to: pct(s) });
  }
  if (change.kind === 'targeting' || change.to?.targeting !== undefined) {
    out.push({
      field: 'targeting',
      from: change.from?.targeting ?? before.targeting ?? 'as before',
      to: change.to?.targeting ?? s.targeting ?? 'changed',
    });
  }
  return out;
}

/** Why a version cannot be restored through the rollout service (on/off + exposure), or null when it can. */
export function restoreRefusal(s: VersionState, live: LiveState, step: number, store: string): string | null {
  if (s.enabled === null) return 'the history does not say whether the flag was on or off then';
  if (!s.targetingAsNow)
    return `the targeting changed since then (it is now: ${live.targeting ?? 'unknown'}); Rampart restores on/off and exposure only, so restore the targeting in ${store} itself`;
  if (!s.exposureKnown) return 'the history does not say what the exposure was then';
  if ((s.exposure === null) !== (live.exposure === null))
    return `${store} cannot express that state through a rollout change: ${s.exposure === null ? 'it had no percentage rollout' : 'the flag has no percentage rollout now'}`;
  if (s.enabled === live.enabled && (s.exposure === null || sameExposure(s.exposure, live.exposure, step)))
    return 'this is the live state';
  return null;
}

/**
 * Every state a flag had in one environment (issue 14), oldest first: one per change from the store's history and
 * Rampart's own writes (echo-free), plus confirmed writes the audit knows but the timeline does not; each with who,
 * why, a readable diff, and whether "restore this state" can go through the rollout service.
 */
export function buildVersions(i: {
  changes: readonly FlagChange[];
  audit: readonly AuditEntry[];
  live: LiveState;
  step: number;
  storeName: string;
}): FlagVersion[] {
  const byAction = new Map(i.audit.map((e) => [e.actionId, e]));
  const marked = new Set<string>();
  const steps: Step[] = i.changes.map((c) => {
    const actionId = c.source === 'rampart' ? c.id.split(':rampart:')[1] : undefined;
    const entry = actionId ? byAction.get(actionId) : undefined;
    if (entry) marked.add(entry.actionId);
    return { ...c, entry };
  });
  for (const e of i.audit)
    if (!marked.has(e.actionId) && WRITES.has(e.action) && LANDED.has(e.result)) steps.push(fromAudit(e));
  steps.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const { after, before } = timeline(steps, i.live);
  // The state the oldest known change changed from is a version too (often the one to go back to), when known.
  const first = steps[0];
  if (first && first.kind !== 'created' && (before.enabled !== null || before.exposureKnown)) {
    steps.unshift({
      ...first,
      id: `${first.id}:before`,
      kind: 'other',
      label: `before: ${first.label}`,
      actor: undefined,
      comment: undefined,
      entry: undefined,
      from: null,
      to: null,
    });
    after.unshift(before);
  }
  const states = after;
  return steps.map((c, k) => {
    const s = states[k];
    const current = k === steps.length - 1;
    const refusal = current ? 'this is the live state' : restoreRefusal(s, i.live, i.step, i.storeName);
    return {
      version: k + 1,
      id: c.id,
      at: c.at,
      state: s,
      label: c.label,
      kind: c.kind,
      source: c.source,
      actor: c.actor ?? c.entry?.user ?? null,
      comment: c.comment ?? c.entry?.comment ?? null,
      audit: c.entry
        ? { actionId: c.entry.actionId, action: c.entry.action, door: c.entry.door, result: c.entry.result }
        : null,
      diff: diffOf(k > 0 ? states[k - 1] : null, s, c, i.step),
      current,
      restorable: { ok: refusal === null, reason: refusal },
    };
  });
}
