import type { AuditEntry } from '../../shared/domain/audit';
import type { EnvState, FlagChange } from '../../shared/domain/flags';
import type { RolloutResult } from '../../shared/contract/requests';
import { RampartError, isRampartError, type ErrorFacts } from '../../shared/errors';
import type { FlagStore, WriteReport } from '../flags/flag-store';
import type { AuditLog, AuditRecord } from '../store/audit-log';
import type { FlagChangeStore } from '../store/flag-changes';
import type { ProcessRegistry } from '../store/process-registry';
import type { EventBus } from '../core/event-bus';
import { formatPercent } from '../../shared/domain/flags';
import { assertExpectedState, checkRange, pointOf, roundToStep, sameExposure, ROLLBACK_TARGET } from './exposure-rules';
import { isRefusal, messageOf } from './outcome';
import { createSettler } from './settle';
import { createWriteRunner, type ActionBase } from './write-runner';
import type { RampRequest, RollbackRequest, SetStateRequest } from './rollout-requests';

export interface RolloutDeps {
  flagStore: (connectionId: string) => FlagStore;
  audit: AuditLog;
  changes: FlagChangeStore;
  processes: Pick<ProcessRegistry, 'self' | 'isGone'>;
  bus: EventBus;
  /** Who acts when the request names nobody: the `user.name` setting, else the OS user. */
  user: () => string;
  /** Whether metrics allow ramping now. Rollback never asks. `detail` (the verdict behind it) goes into the audit. */
  rampGuard?: (q: {
    connectionId: string;
    flagKey: string;
    env: string;
  }) => Promise<{ ok: boolean; reason: string; detail?: Record<string, unknown> }>;
  /** Optional side effects after a confirmed write (telemetry span, Datadog event). Failures there never fail the action. */
  afterWrite?: (entry: AuditEntry, change: FlagChange) => Promise<void> | void;
  now?: () => number;
  /** How long a rollback waits for its pre-read before sending the write anyway (the write never depends on it). */
  rollbackPreReadMs?: number;
  /** When this process re-reads its own `unknown` outcomes (ms after the write); [] leaves it to explicit calls. */
  settleDelaysMs?: number[];
  /** Settling tuning (tests): see createSettler. */
  ownGraceMs?: number;
}

export type { ActionContext, RampRequest, RollbackRequest, SetStateRequest } from './rollout-requests';

const UNKNOWN_POINT = { enabled: null, exposure: null };
const served = (p: { enabled: boolean | null; exposure: number | null }) =>
  p.enabled === false ? 0 : (p.exposure ?? 100);

export async function envStateOf(store: FlagStore, flagKey: string, env: string): Promise<EnvState> {
  const flag = await store.getFlag(flagKey);
  const s = flag.envs[env];
  if (!s) throw new RampartError('not_found', `Flag '${flagKey}' has no environment '${env}'`);
  return s;
}

/**
 * The only code that writes to a flag store (docs/design.md). A ramp: read the live state ONCE → own the rules
 * (range, rounding to the store's step, the one tolerance, the compare with what the user saw) → the ramp guard →
 * audit intent (durable) → the adapter's write with that live read (its vendor-level check only) → read back once →
 * audit outcome → push `flags:changed`. A rollback never waits on its pre-read and is confirmed only by the store's
 * treatment reach. Refusals are audited too; outcomes that cannot be known yet stay `unknown` until settled.
 */
export function createRolloutService(deps: RolloutDeps) {
  const now = deps.now ?? Date.now;
  const preReadMs = deps.rollbackPreReadMs ?? 1_500;
  const settleDelays = deps.settleDelaysMs ?? [2_000, 10_000, 30_000, 90_000];
  const timers = new Set<NodeJS.Timeout>();
  const settler = createSettler({ ...deps, envState: envStateOf, now, ownGraceMs: deps.ownGraceMs });
  const runner = createWriteRunner({ ...deps, now, onUnknown: scheduleSettle });

  function scheduleSettle(): void {
    for (const ms of settleDelays) {
      const t = setTimeout(() => {
        timers.delete(t);
        void settler.settleOwn().catch(() => undefined);
      }, ms);
      t.unref();
      timers.add(t);
    }
  }

  function emitted(entry: AuditEntry): AuditEntry {
    deps.bus.emit('audit:appended', { entry });
    return entry;
  }

  /** A refusal or failure before anything was sent: one settled row, then the error as it was. */
  function refuse(
    base: ActionBase,
    e: unknown,
    live: EnvState | null,
    to: AuditRecord['to'],
    detail: Record<string, unknown> = {},
  ): never {
    const err = e instanceof RampartError ? e : new RampartError('internal', messageOf(e));
    const refused = isRefusal(err);
    emitted(
      deps.audit.record({
        ...base,
        from: live ? pointOf(live) : UNKNOWN_POINT,
        to,
        result: refused ? 'refused' : 'failed',
        // Written once: a refusal's why is its reason, a failure's is its error (never the same text in both).
        error: refused ? null : err.message,
        reason: refused ? err.message : null,
        detail: { ...base.detail, ...detail, ...(live ? { live: pointOf(live) } : {}), code: err.code },
      }),
    );
    throw err;
  }

  function baseOf(
    req: RampRequest | RollbackRequest | SetStateRequest,
    action: ActionBase['action'],
    override: boolean,
  ): ActionBase {
    const { connectionId, flagKey, env, comment, door, detail } = req;
    return { user: req.user ?? deps.user(), door, connectionId, flagKey, env, action, comment, override, detail };
  }

  /**
   * The metrics guard (docs/design.md "One decision"): a refusal is audited and thrown. With an explicit override it
   * does not block, but what it said is returned for the audit row — an override records what it overrode.
   */
  async function guardOrRefuse(
    req: { connectionId: string; flagKey: string; env: string },
    base: ActionBase,
    live: EnvState,
    target: AuditRecord['to'],
    verb: string,
    override = false,
  ): Promise<Record<string, unknown>> {
    if (!deps.rampGuard) return {};
    let guard: Awaited<ReturnType<NonNullable<RolloutDeps['rampGuard']>>>;
    let budget: NodeJS.Timeout | undefined;
    try {
      // An override must not wait on slow metrics: what the guard says within 2 s is recorded, else that it was slow.
      const asked = deps.rampGuard(req);
      guard = override
        ? await Promise.race([
            asked,
            new Promise<never>((_, no) => (budget = setTimeout(() => no(new Error('no answer within 2 s')), 2_000))),
          ])
        : await asked;
    } catch (e) {
      guard = { ok: false, reason: `the metrics guard could not decide (${messageOf(e)})` };
    } finally {
      clearTimeout(budget);
    }
    const said = {
      guard: {
        ok: guard.ok,
        reason: guard.reason,
        ...(guard.detail ? { decision: guard.detail } : {}),
        ...(override ? { overridden: !guard.ok } : {}),
      },
    };
    if (guard.ok || override) return said;
    const err = new RampartError(
      'blocked',
      `The metrics guard refused this ${verb}: ${guard.reason}. ${verb === 'ramp' ? 'Ramp' : 'Do it'} anyway with an explicit override (it is audited).`,
      { refusal: 'metrics_guard' } satisfies ErrorFacts,
    );
    return refuse(base, err, live, target, said);
  }

  return {
    async ramp(req: RampRequest): Promise<RolloutResult> {
      const base = baseOf(req, 'ramp', req.override);
      const inRange = Number.isFinite(req.to) && req.to >= 0 && req.to <= 100;
      const wanted = { enabled: null, exposure: inRange ? req.to : null };
      let store: FlagStore;
      let live: EnvState | null = null;
      let to: number;
      let readAt: number;
      try {
        checkRange(req.to, 'target exposure');
        const expected = req.expected;
        if (typeof expected === 'number') checkRange(expected, 'expected exposure');
        store = deps.flagStore(req.connectionId);
        to = roundToStep(req.to, store.capabilities().exposureStep);
        readAt = now();
        live = await envStateOf(store, req.flagKey, req.env);
        const step = store.capabilities().exposureStep;
        if (expected !== undefined || req.expectedEnabled !== undefined) {
          const seenExposure = expected === undefined ? live.exposure : expected;
          assertExpectedState(live, { enabled: req.expectedEnabled ?? null, exposure: seenExposure }, step, req);
        }
      } catch (e) {
        return refuse(base, e, live, wanted, inRange ? {} : { requested: String(req.to) });
      }
      const target = { enabled: to > 0 ? true : live.enabled, exposure: to };
      const guard = await guardOrRefuse(req, base, live, target, 'ramp', req.override);
      const s = store;
      const seen = live;
      const result = await runner.run({
        base: {
          ...base,
          detail: { ...base.detail, readAt, ...guard, ...(to !== req.to ? { requested: req.to } : {}) },
        },
        store: s,
        live: seen,
        target,
        write: async () => {
          const first = await s.setExposure(req.flagKey, req.env, to, {
            expected: req.expected ?? seen.exposure,
            live: seen,
            comment: req.comment,
          });
          const second =
            to > 0 && !seen.enabled
              ? await s.setEnabled(req.flagKey, req.env, true, { comment: req.comment })
              : undefined;
          return { ...(second || {}), ...(first || {}) } as WriteReport;
        },
      });
      if (to === req.to) return result;
      // Said where the user reads the result, not only in the audit's detail: `--to 20.5` wrote 21 %.
      const rounded = `asked for ${formatPercent(req.to)}; the store takes steps of ${formatPercent(s.capabilities().exposureStep)}, so ${formatPercent(to)}.`;
      return { ...result, note: result.note ? `${rounded} ${result.note}` : rounded };
    },

    /** Never blocked by metrics or by a concurrent change: rolling back is always what the captain wants. */
    async rollback(req: RollbackRequest): Promise<RolloutResult> {
      const base = baseOf(req, 'rollback', false);
      let store: FlagStore;
      try {
        store = deps.flagStore(req.connectionId);
      } catch (e) {
        return refuse(base, e, null, ROLLBACK_TARGET);
      }
      const s = store;
      const readAt = now();
      // The pre-read only informs the audit ("from") and helps the adapter; the write goes out after at most
      // `preReadMs` whether or not it has answered (a slow or dead read must never hold the kill switch).
      const pre: { failure?: unknown } = {};
      const preRead = envStateOf(s, req.flagKey, req.env).catch((e: unknown) => {
        pre.failure = e;
        return null;
      });
      let budget: NodeJS.Timeout | undefined;
      const live = await Promise.race([
        preRead,
        new Promise<null>((r) => (budget = setTimeout(() => r(null), preReadMs))),
      ]);
      clearTimeout(budget);
      // The one answer that stops a rollback before its write: the store says the flag or environment does not
      // exist (there is nothing to turn off). Slow, failed or malformed reads never hold the write.
      if (isRampartError(pre.failure) && pre.failure.code === 'not_found')
        return refuse(base, pre.failure, null, ROLLBACK_TARGET, { readAt });
      const preReadError = pre.failure === undefined ? undefined : messageOf(pre.failure);
      return runner.run({
        base: {
          ...base,
          detail: {
            ...base.detail,
            readAt,
            preRead: live
              ? 'answered in time'
              : preReadError
                ? `failed (${preReadError}); the write does not depend on it`
                : `no answer within ${preReadMs} ms: the write did not wait for it`,
          },
        },
        store: s,
        live,
        target: ROLLBACK_TARGET,
        write: () => s.rollback(req.flagKey, req.env, { comment: req.comment, live }),
      });
    },

    /** A whole state (restore, promote): exposure first while the flag stays on, off first when it goes off. */
    async setState(req: SetStateRequest): Promise<RolloutResult> {
      const base = baseOf(req, req.action, req.override);
      const wanted = { enabled: req.target.enabled, exposure: req.target.exposure };
      let store: FlagStore;
      let live: EnvState | null = null;
      let to: number | null;
      let readAt: number;
      try {
        if (req.target.exposure !== null) checkRange(req.target.exposure, 'target exposure');
        if (req.expected.exposure !== null) checkRange(req.expected.exposure, 'expected exposure');
        store = deps.flagStore(req.connectionId);
        const step = store.capabilities().exposureStep;
        to = req.target.exposure === null ? null : roundToStep(req.target.exposure, step);
        readAt = now();
        live = await envStateOf(store, req.flagKey, req.env);
        assertExpectedState(live, req.expected, step, req);
        if (live.enabled === req.target.enabled && (to === null || sameExposure(live.exposure, to, step))) {
          throw new RampartError(
            'bad_request',
            `'${req.flagKey}' in ${req.env} is already ${req.target.enabled ? 'on' : 'off'}${to === null ? '' : ` at ${to}%`}: nothing to write`,
          );
        }
      } catch (e) {
        return refuse(base, e, live, wanted);
      }
      const seen = live;
      const s = store;
      const exposure = to;
      const target = { enabled: req.target.enabled, exposure };
      if (
        !req.override &&
        served(target.exposure === null ? { ...target, exposure: seen.exposure } : target) > served(seen)
      )
        await guardOrRefuse(req, base, seen, target, req.action);
      const moveExposure = exposure !== null && !sameExposure(seen.exposure, exposure, s.capabilities().exposureStep);
      return runner.run({
        base: { ...base, detail: { ...base.detail, readAt } },
        store: s,
        live: seen,
        target,
        write: async () => {
          const opts = { comment: req.comment };
          const reports: (WriteReport | void)[] = [];
          if (!target.enabled) {
            // Off first: no unit sees an intermediate exposure. The flag changed, so the adapter reads it again.
            if (seen.enabled) reports.push(await s.setEnabled(req.flagKey, req.env, false, opts));
            if (moveExposure)
              reports.push(
                await s.setExposure(req.flagKey, req.env, exposure!, {
                  ...opts,
                  expected: seen.exposure,
                  ...(seen.enabled ? {} : { live: seen }),
                }),
              );
          } else {
            if (moveExposure)
              reports.push(
                await s.setExposure(req.flagKey, req.env, exposure!, { ...opts, expected: seen.exposure, live: seen }),
              );
            if (!seen.enabled) reports.push(await s.setEnabled(req.flagKey, req.env, true, opts));
          }
          return Object.assign({}, ...reports.filter(Boolean)) as WriteReport;
        },
      });
    },

    /** A one-row audit entry for an action that writes nothing to a store (plan transitions, issue 12). */
    record(r: AuditRecord): AuditEntry {
      return emitted(deps.audit.record(r));
    },

    /** Whether any intent of a process that is gone waits to be settled (cheap: one query, no store call). */
    hasOrphans(): boolean {
      return settler.orphans().length > 0;
    },

    /** Settles this process's own unknown outcomes and the intents of processes that are gone. */
    async reconcile(): Promise<AuditEntry[]> {
      const own = await settler.settleOwn();
      return [...own, ...(await settler.reconcileOrphans())];
    },

    close(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type RolloutService = ReturnType<typeof createRolloutService>;
