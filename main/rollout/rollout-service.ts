import type { AuditEntry } from '../../shared/domain/audit';
import { changeLabel, formatPercent, type EnvState, type FlagChange } from '../../shared/domain/flags';
import type { RolloutResult } from '../../shared/contract/requests';
import { RampartError, isRampartError } from '../../shared/errors';
import type { Connection } from '../../shared/domain/connections';
import type { FlagStore } from '../flags/flag-store';
import type { AuditLog } from '../store/audit-log';
import type { FlagChangeStore } from '../store/flag-changes';
import type { EventBus } from '../host/registrar';

export interface RolloutDeps {
  flagStore: (connectionId: string) => FlagStore;
  connection: (connectionId: string) => Connection;
  audit: AuditLog;
  changes: FlagChangeStore;
  bus: EventBus;
  user: () => string;
  /** Whether metrics allow ramping now. Rollback never asks. */
  rampGuard?: (q: { connectionId: string; flagKey: string; env: string }) => Promise<{ ok: boolean; reason: string }>;
  /** Optional side effects after a confirmed write (telemetry span, Datadog event). Failures there never fail the action. */
  afterWrite?: (entry: AuditEntry, change: FlagChange) => Promise<void> | void;
}

export interface RampRequest {
  connectionId: string;
  flagKey: string;
  env: string;
  to: number;
  expected: number | null;
  comment: string;
  override: boolean;
}

/** Half a step of the store's granularity: the tolerance when comparing exposures read back. */
function sameExposure(a: number | null, b: number | null, step: number): boolean {
  return Math.abs((a ?? 0) - (b ?? 0)) < Math.max(step, 1e-9) / 2 + 1e-9;
}

/** Rollback turns the flag off, or sets exposure 0, per store: a flagd DISABLED flag serves the code default. */
function rollbackByDisabling(c: Connection): boolean {
  if (c.kind === 'unleash') return c.rollbackMode === 'off';
  return c.kind === 'flagsmith' || c.kind === 'launchdarkly';
}

/**
 * The only code that writes to a flag store. Every action: read the live state → refuse if it moved since the
 * user looked → audit intent (durable) → vendor write → read back → audit result → push `flags:changed`.
 * A write whose outcome is unknown (timeout) is settled by the read-back, never assumed.
 */
export function createRolloutService(deps: RolloutDeps) {
  async function envState(store: FlagStore, flagKey: string, env: string): Promise<EnvState> {
    const flag = await store.getFlag(flagKey);
    const s = flag.envs[env];
    if (!s) throw new RampartError('not_found', `Flag '${flagKey}' has no environment '${env}'`);
    return s;
  }

  async function run(
    kind: AuditEntry['action'],
    req: { connectionId: string; flagKey: string; env: string; comment: string; override: boolean },
    live: EnvState,
    target: { enabled: boolean; exposure: number | null },
    write: (store: FlagStore) => Promise<void>,
  ): Promise<RolloutResult> {
    const store = deps.flagStore(req.connectionId);
    const step = store.capabilities().exposureStep;
    const intent = deps.audit.intent({
      user: deps.user(),
      connectionId: req.connectionId,
      flagKey: req.flagKey,
      env: req.env,
      action: kind,
      from: { enabled: live.enabled, exposure: live.exposure },
      to: target,
      comment: req.comment,
      override: req.override,
    });
    deps.bus.emit('audit:appended', { entry: intent });

    let writeError: unknown;
    try {
      await write(store);
    } catch (e) {
      writeError = e;
    }
    // Read back whatever happened: a timed-out write may still have landed, a "successful" one may not have.
    let after: EnvState | undefined;
    let readError: unknown;
    try {
      after = await envState(store, req.flagKey, req.env);
    } catch (e) {
      readError = e;
    }
    const confirmed =
      after !== undefined && after.enabled === target.enabled && (target.exposure === null || !target.enabled || sameExposure(after.exposure, target.exposure, step));

    if (!confirmed || !after) {
      const reason = writeError
        ? (isRampartError(writeError) ? writeError.message : String(writeError))
        : readError
          ? `write sent, but reading the flag back failed: ${isRampartError(readError) ? readError.message : String(readError)}`
          : `read-back shows ${after?.enabled ? 'on' : 'off'} at ${formatPercent(after?.exposure)}, not the requested state`;
      const failed = deps.audit.result(intent.actionId, 'failed', reason);
      deps.bus.emit('audit:appended', { entry: failed });
      if (isRampartError(writeError)) throw writeError;
      throw new RampartError(readError && isRampartError(readError) ? readError.code : 'vendor_error', reason);
    }

    const done = deps.audit.result(intent.actionId, 'done');
    const changeKind: FlagChange['kind'] = live.enabled !== after.enabled ? 'enabled' : 'exposure';
    const from = { enabled: live.enabled, exposure: live.exposure };
    const to = { enabled: after.enabled, exposure: after.exposure };
    const change: FlagChange = {
      id: `${req.connectionId}:rampart:${intent.actionId}`,
      connectionId: req.connectionId,
      flagKey: req.flagKey,
      env: req.env,
      at: done.finishedAt ?? done.at,
      kind: changeKind,
      from,
      to,
      label: changeLabel(changeKind, from, to),
      actor: done.user,
      comment: req.comment,
      source: 'rampart',
    };
    deps.changes.add([change]);
    deps.bus.emit('audit:appended', { entry: done });
    deps.bus.emit('flags:changed', { changes: [change] });
    try {
      await deps.afterWrite?.(done, change);
    } catch {
      // Telemetry and vendor event posts are best effort; the write itself is confirmed and audited.
    }
    return { actionId: intent.actionId, readBack: { enabled: after.enabled, exposure: after.exposure }, change };
  }

  return {
    async ramp(req: RampRequest): Promise<RolloutResult> {
      const store = deps.flagStore(req.connectionId);
      const live = await envState(store, req.flagKey, req.env);
      const step = store.capabilities().exposureStep;
      if (!sameExposure(live.exposure, req.expected, step)) {
        throw new RampartError(
          'conflict',
          `'${req.flagKey}' in ${req.env} changed since you looked: it is now ${live.enabled ? 'on' : 'off'} at ${formatPercent(live.exposure)}, not ${formatPercent(req.expected)}. Nothing was written; review the new state and try again.`,
          { live },
        );
      }
      if (!req.override && deps.rampGuard) {
        const guard = await deps.rampGuard(req);
        if (!guard.ok) throw new RampartError('blocked', `Ramp blocked: ${guard.reason}. Ramp anyway with an explicit override (it is audited).`);
      }
      const to = Math.round(req.to / step) * step;
      return run('ramp', req, live, { enabled: to > 0 ? true : live.enabled, exposure: to }, async (s) => {
        await s.setExposure(req.flagKey, req.env, to, { expected: live.exposure, comment: req.comment });
        if (to > 0 && !live.enabled) await s.setEnabled(req.flagKey, req.env, true, { comment: req.comment });
      });
    },

    /** Never blocked by metrics or by a concurrent change: rolling back is always what the captain wants. */
    async rollback(req: { connectionId: string; flagKey: string; env: string; comment: string }): Promise<RolloutResult> {
      const store = deps.flagStore(req.connectionId);
      const live = await envState(store, req.flagKey, req.env);
      const disable = rollbackByDisabling(deps.connection(req.connectionId));
      const target = disable ? { enabled: false, exposure: null } : { enabled: live.enabled, exposure: 0 };
      return run('rollback', { ...req, override: false }, live, target, (s) =>
        disable ? s.setEnabled(req.flagKey, req.env, false, { comment: req.comment }) : s.setExposure(req.flagKey, req.env, 0, { expected: live.exposure, comment: req.comment }),
      );
    },

    /** On start-up: settle intents left without a result (crash, kill) by reading the flag back. */
    async reconcile(): Promise<AuditEntry[]> {
      const settled: AuditEntry[] = [];
      for (const p of deps.audit.pending()) {
        try {
          const store = deps.flagStore(p.connectionId);
          const s = await envState(store, p.flagKey, p.env);
          const ok = s.enabled === (p.to.enabled ?? s.enabled) && (p.to.exposure === null || !s.enabled || sameExposure(s.exposure, p.to.exposure, store.capabilities().exposureStep));
          settled.push(deps.audit.result(p.actionId, ok ? 'reconciled-done' : 'reconciled-failed', ok ? null : 'found unapplied after a restart'));
        } catch {
          // Store unreachable: leave it pending; the next start tries again.
        }
      }
      return settled;
    },
  };
}

export type RolloutService = ReturnType<typeof createRolloutService>;
