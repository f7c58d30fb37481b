import type { AuditDoor, AuditEntry } from '../../shared/domain/audit';
import { changeLabel, type EnvState, type FlagChange, type TreatmentReach } from '../../shared/domain/flags';
import type { RolloutResult } from '../../shared/contract/requests';
import type { FlagStore, WriteReport } from '../flags/flag-store';
import type { AuditLog, FlagPoint } from '../store/audit-log';
import type { FlagChangeStore } from '../store/flag-changes';
import type { EventBus } from '../core/event-bus';
import { describePoint, pointOf, reachesTarget } from './exposure-rules';
import { decideOutcome } from './outcome';

/**
 * One write, start to end: intent row → the adapter's write → ONE read-back → outcome row → marker and event. The
 * read-back decides, never the write call's answer (a timed-out write may have landed, an acknowledged one may not
 * have). A rollback's read-back is the store's own treatment reach: confirmed means `none`, and nothing else.
 */

export interface ActionBase {
  user: string;
  door: AuditDoor;
  connectionId: string;
  flagKey: string;
  env: string;
  /** restore and promote (issue 14) write a whole state (on/off + exposure) through setState. */
  action: 'ramp' | 'rollback' | 'restore' | 'promote';
  comment: string;
  override: boolean;
  detail?: Record<string, unknown>;
}

export interface RunnerDeps {
  audit: AuditLog;
  changes: FlagChangeStore;
  bus: EventBus;
  now: () => number;
  afterWrite?: (entry: AuditEntry, change: FlagChange) => Promise<void> | void;
  /** Called when an outcome is `unknown`, so the owner re-reads it later. */
  onUnknown: () => void;
}

export interface WritePlan {
  base: ActionBase;
  store: FlagStore;
  /** The state read before the write; null when a rollback's pre-read did not answer in time. */
  live: EnvState | null;
  target: FlagPoint;
  write: () => Promise<WriteReport | void>;
}

interface ReadBack {
  state?: EnvState;
  reach?: TreatmentReach;
  error?: unknown;
}

async function readBack(plan: WritePlan): Promise<ReadBack> {
  const { store, base } = plan;
  const state = store
    .getFlag(base.flagKey)
    .then(
      (f) =>
        f.envs[base.env] ?? Promise.reject(new Error(`the environment '${base.env}' is missing from the read-back`)),
    );
  if (base.action !== 'rollback') {
    try {
      return { state: await state };
    } catch (e) {
      return { error: e };
    }
  }
  const [reach, s] = await Promise.allSettled([store.treatmentReach(base.flagKey, base.env), state]);
  return {
    reach: reach.status === 'fulfilled' ? reach.value : undefined,
    state: s.status === 'fulfilled' ? s.value : undefined,
    error: reach.status === 'rejected' ? reach.reason : undefined,
  };
}

function changeOf(plan: WritePlan, entry: AuditEntry, after: EnvState): FlagChange {
  const { base, live } = plan;
  const to = { enabled: after.enabled, exposure: after.exposure };
  const kind: FlagChange['kind'] = live
    ? live.enabled !== after.enabled
      ? 'enabled'
      : 'exposure'
    : after.enabled
      ? 'exposure'
      : 'enabled';
  const from = live ? { enabled: live.enabled, exposure: live.exposure } : null;
  return {
    id: `${base.connectionId}:rampart:${entry.actionId}`,
    connectionId: base.connectionId,
    flagKey: base.flagKey,
    env: base.env,
    at: entry.finishedAt ?? entry.at,
    kind,
    from,
    to,
    label: from ? changeLabel(kind, from, to) : `rolled back → ${describePoint(to)}`,
    actor: entry.user,
    comment: base.comment,
    source: 'rampart',
  };
}

export function createWriteRunner(d: RunnerDeps) {
  const emit = (entry: AuditEntry) => d.bus.emit('audit:appended', { entry });

  return {
    async run(plan: WritePlan): Promise<RolloutResult> {
      const { base, store, live, target } = plan;
      const intent = d.audit.intent({
        ...base,
        from: live ? pointOf(live) : { enabled: null, exposure: null },
        to: target,
      });
      emit(intent);

      let writeError: unknown;
      let report: WriteReport | void = undefined;
      try {
        report = await plan.write();
      } catch (e) {
        writeError = e;
      }
      const read = await readBack(plan);
      const step = store.capabilities().exposureStep;
      const rollback = base.action === 'rollback';
      const confirmed = rollback
        ? read.reach?.state === 'none' && read.state !== undefined
        : read.state !== undefined && reachesTarget(pointOf(read.state), target, step, base.action);
      const reachText = read.reach && read.reach.state !== 'none' ? read.reach.detail : undefined;
      const outcome = decideOutcome({
        confirmed,
        writeError,
        readError:
          read.error ??
          (rollback && read.reach?.state === 'none' && !read.state
            ? new Error('the flag could not be read back')
            : undefined),
        mismatch:
          read.state && !rollback
            ? describePoint(pointOf(read.state))
            : read.reach?.state === 'some'
              ? `the treatment still reaches units: ${read.reach.detail}`
              : null,
        undecided:
          read.reach?.state === 'unknown'
            ? `the store cannot prove that no unit gets the treatment (${reachText})`
            : undefined,
        actionId: intent.actionId,
      });
      const concurrentEdit = report && report.concurrentEdit ? report.concurrentEdit : undefined;
      const note = report?.note;
      const detail = {
        ...(note ? { note } : {}),
        ...(read.state ? { readBack: pointOf(read.state) } : {}),
        ...(read.reach ? { reach: read.reach } : {}),
        ...(concurrentEdit ? { concurrentEdit } : {}),
      };
      const entry = d.audit.result(intent.actionId, outcome.result, outcome.error, { reason: outcome.reason, detail });
      emit(entry);
      if (outcome.result !== 'done' || !read.state) {
        if (outcome.result === 'unknown') d.onUnknown();
        throw outcome.thrown;
      }

      const change = changeOf(plan, entry, read.state);
      d.changes.add([change]);
      d.bus.emit('flags:changed', { changes: [change] });
      try {
        await d.afterWrite?.(entry, change);
      } catch {
        // Telemetry and vendor event posts are best effort; the write itself is confirmed and audited.
      }
      return {
        actionId: intent.actionId,
        readBack: { enabled: read.state.enabled, exposure: read.state.exposure },
        change,
        ...(read.reach ? { reach: read.reach } : {}),
        ...(concurrentEdit ? { concurrentEdit } : {}),
        ...(note ? { note } : {}),
      };
    },
  };
}
