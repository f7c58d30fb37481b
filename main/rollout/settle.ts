import type { AuditEntry, AuditResult } from '../../shared/domain/audit';
import { changeLabel, type EnvState, type FlagChange, type TreatmentReach } from '../../shared/domain/flags';
import type { FlagStore } from '../flags/flag-store';
import type { AuditLog } from '../store/audit-log';
import type { FlagChangeStore } from '../store/flag-changes';
import type { ProcessRegistry } from '../store/process-registry';
import type { EventBus } from '../core/event-bus';
import { judgeIntent, sightingsFrom, VENDOR_SKEW_MS, type CurrentState } from './evidence';
import { pointOf } from './exposure-rules';

/**
 * Settling writes whose outcome is not known: the owner's own `unknown` results (a timed-out write, a read-back that
 * failed), and — in every door, at start and from time to time — intents left behind by processes that are gone.
 * An intent of a live owner is never touched (process registry), two settling processes never both write (the audit
 * log's check-and-insert), and a store that cannot be read leaves the intent as it is, for the next attempt.
 */

export interface SettleDeps {
  flagStore: (connectionId: string) => FlagStore;
  envState: (store: FlagStore, flagKey: string, env: string) => Promise<EnvState>;
  audit: AuditLog;
  changes: FlagChangeStore;
  processes: Pick<ProcessRegistry, 'self' | 'isGone'>;
  bus: EventBus;
  now: () => number;
  /** A write that timed out may still land: this long after its `unknown` outcome, it is not called failed. */
  ownGraceMs?: number;
  /** Budget for one store's reads while settling (history, state): a slow store must not hold a door. */
  readBudgetMs?: number;
}

const RESULT_BY_MODE: Record<'owner' | 'reconcile', Record<'done' | 'superseded' | 'failed', AuditResult>> = {
  owner: { done: 'done', superseded: 'superseded', failed: 'failed' },
  reconcile: { done: 'reconciled-done', superseded: 'superseded', failed: 'reconciled-failed' },
};

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export function createSettler(d: SettleDeps) {
  const ownGrace = d.ownGraceMs ?? 30_000;
  const budget = d.readBudgetMs ?? 5_000;

  /** Settles the given intents of one flag in one environment; returns the entries it settled. */
  async function settleFlag(group: AuditEntry[], mode: 'owner' | 'reconcile'): Promise<AuditEntry[]> {
    const { connectionId, flagKey, env } = group[0];
    let store: FlagStore;
    try {
      store = d.flagStore(connectionId);
    } catch {
      return []; // connection removed or broken: nothing to compare with; the intents stay visible as they are
    }
    const step = store.capabilities().exposureStep;
    const since = Math.min(...group.map((p) => p.at)) - VENDOR_SKEW_MS;
    const [state, reach, vendor] = await Promise.all([
      within(d.envState(store, flagKey, env), budget).catch(() => null),
      group.some((p) => p.action === 'rollback')
        ? within(store.treatmentReach(flagKey, env), budget).catch(() => null)
        : Promise.resolve(null as TreatmentReach | null),
      within(store.history({ from: since, to: d.now(), flagKey, env }), budget).catch(() => [] as FlagChange[]),
    ]);
    const current: CurrentState = { state: state ? pointOf(state) : null, reach };
    const trail = d.audit.trail(connectionId, flagKey, env, since);
    const recorded = d.changes.list({ from: since, to: d.now() + 1, connectionId, flagKey, env });
    const sightings = sightingsFrom(trail, recorded, vendor);
    const settled: AuditEntry[] = [];
    for (const p of group) {
      const head = trail.find((r) => r.actionId === p.actionId && r.phase === 'intent');
      if (!head) continue;
      const v = judgeIntent(
        { actionId: p.actionId, seq: head.seq, at: p.at, action: p.action, from: p.from, to: p.to },
        trail,
        sightings,
        current,
        step,
      );
      if (v.verdict === 'undecided') continue;
      // A write that timed out may still be applied by a slow vendor: `failed` only once that is no longer plausible.
      // (A killed owner's pending intent needs no such wait: "gone" already takes three missed heartbeats.)
      const unsure = mode === 'owner' || p.result === 'unknown';
      if (v.verdict === 'failed' && unsure && d.now() - (p.finishedAt ?? p.at) < ownGrace) continue;
      const result = RESULT_BY_MODE[mode][v.verdict];
      const detail = {
        settledBy: d.processes.self.id,
        evidence: v.why,
        ...(current.state ? { readBack: current.state } : {}),
        ...(reach ? { reach } : {}),
      };
      const entry = d.audit.settle(p.actionId, result, v.verdict === 'failed' ? v.why : null, { detail });
      if (!entry) continue; // settled meanwhile by someone else
      settled.push(entry);
      d.bus.emit('audit:appended', { entry });
      if (v.verdict !== 'failed') recordLanded(entry);
    }
    return settled;
  }

  /** A write that landed gets its marker on the charts, like a confirmed one (stable id: re-settling never duplicates). */
  function recordLanded(entry: AuditEntry): void {
    const from = { enabled: entry.from.enabled ?? undefined, exposure: entry.from.exposure };
    const to = { enabled: entry.to.enabled ?? undefined, exposure: entry.to.exposure };
    const kind: FlagChange['kind'] =
      entry.from.enabled !== null && entry.to.enabled !== null && entry.from.enabled !== entry.to.enabled
        ? 'enabled'
        : 'exposure';
    const change: FlagChange = {
      id: `${entry.connectionId}:rampart:${entry.actionId}`,
      connectionId: entry.connectionId,
      flagKey: entry.flagKey,
      env: entry.env,
      at: entry.at,
      kind,
      from,
      to,
      label: changeLabel(kind, from, to),
      actor: entry.user,
      comment: entry.comment,
      source: 'rampart',
    };
    d.changes.add([change]);
    d.bus.emit('flags:changed', { changes: [change] });
  }

  async function settleAll(entries: AuditEntry[], mode: 'owner' | 'reconcile'): Promise<AuditEntry[]> {
    const groups = new Map<string, AuditEntry[]>();
    for (const e of entries) {
      const key = JSON.stringify([e.connectionId, e.flagKey, e.env]);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const out = await Promise.all([...groups.values()].map((g) => settleFlag(g, mode).catch(() => [] as AuditEntry[])));
    return out.flat();
  }

  /** Intents of processes that are gone (crashed, killed, or closed with an unknown outcome). */
  function orphans(): AuditEntry[] {
    return d.audit.unsettled().filter((p) => p.owner?.id !== d.processes.self.id && d.processes.isGone(p.owner));
  }
  /** This process's own `unknown` outcomes: settled by a fresh read-back. */
  function ownUnknowns(): AuditEntry[] {
    return d.audit.unsettled().filter((p) => p.owner?.id === d.processes.self.id && p.result === 'unknown');
  }

  return {
    orphans,
    reconcileOrphans(): Promise<AuditEntry[]> {
      const list = orphans();
      return list.length ? settleAll(list, 'reconcile') : Promise.resolve([]);
    },
    settleOwn(): Promise<AuditEntry[]> {
      const mine = ownUnknowns();
      return mine.length ? settleAll(mine, 'owner') : Promise.resolve([]);
    },
  };
}

export type Settler = ReturnType<typeof createSettler>;
