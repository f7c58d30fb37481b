import type { AuditDoor, AuditEntry } from '../../shared/domain/audit';
import type { FlagChange } from '../../shared/domain/flags';
import { DAY_MS, type FlagVersions } from '../../shared/domain/lifecycle';
import type { RolloutResult } from '../../shared/contract/requests';
import { RampartError } from '../../shared/errors';
import { withoutEchoes } from '../core/flags-service';
import type { FlagStore } from '../flags/flag-store';
import type { SetStateRequest } from '../rollout/rollout-service';
import type { AuditRecord } from '../store/audit-log';
import type { FlagChangeStore } from '../store/flag-changes';
import { buildVersions } from './versions';

const LOOKBACK_DAYS = 90;
const AUDIT_ROWS = 2_000;

export interface VersionsDeps {
  flagStore: (connectionId: string) => FlagStore;
  storeName: (connectionId: string) => string;
  history: (q: {
    connectionId: string;
    flagKey: string;
    env: string;
    from: number;
    to: number;
  }) => Promise<FlagChange[]>;
  changes: FlagChangeStore;
  audit: { list: (q: { limit: number; flagKey?: string; connectionId?: string }) => AuditEntry[] };
  rollout: { setState: (r: SetStateRequest) => Promise<RolloutResult>; record: (r: AuditRecord) => AuditEntry };
  user: () => string;
  now: () => number;
}

export interface RestoreRequest {
  connectionId: string;
  flagKey: string;
  env: string;
  /** The version's number (as listed) or its id. */
  version: number | string;
  comment: string;
  /** The live state the person saw (UI); without it, the live state read now. Anything else live is refused. */
  expected?: { enabled: boolean; exposure: number | null };
  override?: boolean;
  door: AuditDoor;
  user?: string;
}

/**
 * Version history and restore for one flag × environment (issue 14). Versions come from the live state, the store's
 * history (pulled into the timeline) and the audit; a restore is a `restore` action of the rollout service — read,
 * compare, intent, write, read-back, audit — and a state the store cannot express is refused, and audited as such.
 */
export function createVersionsService(deps: VersionsDeps) {
  async function versions(q: { connectionId: string; flagKey: string; env: string }): Promise<FlagVersions> {
    const store = deps.flagStore(q.connectionId);
    const flag = await store.getFlag(q.flagKey);
    const s = flag.envs[q.env];
    if (!s)
      throw new RampartError(
        'not_found',
        `Flag '${q.flagKey}' has no environment '${q.env}' (it has ${Object.keys(flag.envs).join(', ') || 'none'})`,
      );
    const now = deps.now();
    await deps.history({ ...q, from: now - LOOKBACK_DAYS * DAY_MS, to: now }).catch(() => undefined);
    const changes = withoutEchoes(deps.changes.list({ from: 0, to: now, ...q }));
    const audit = deps.audit
      .list({ limit: AUDIT_ROWS, flagKey: q.flagKey, connectionId: q.connectionId })
      .filter((e) => e.env === q.env);
    const live = { enabled: s.enabled, exposure: s.exposure, targeting: s.targeting ?? null };
    let list = buildVersions({
      changes,
      audit,
      live,
      step: store.capabilities().exposureStep,
      storeName: deps.storeName(q.connectionId),
    });
    if (list.length === 0) {
      const state = {
        enabled: s.enabled,
        exposure: s.exposure,
        exposureKnown: true,
        targeting: live.targeting,
        targetingAsNow: true,
      };
      list = [
        {
          version: 1,
          id: `${q.connectionId}:live`,
          at: now,
          state,
          label: 'the live state (no recorded change)',
          kind: 'other',
          source: 'vendor',
          actor: null,
          comment: null,
          audit: null,
          diff: [],
          current: true,
          restorable: { ok: false, reason: 'this is the live state' },
        },
      ];
    }
    return { ...q, versions: list, live };
  }

  return {
    versions,

    async restore(req: RestoreRequest): Promise<RolloutResult> {
      const got = await versions(req);
      const { versions: list, live } = got;
      const target =
        typeof req.version === 'number'
          ? list.find((v) => v.version === req.version)
          : list.find((v) => v.id === req.version || String(v.version) === req.version);
      if (!target)
        throw new RampartError(
          'bad_request',
          `'${req.flagKey}' in ${req.env} has no version ${req.version}: its versions are 1–${list.length}`,
        );
      const expected = req.expected ?? { enabled: live.enabled, exposure: live.exposure };
      if (!target.restorable.ok) {
        const reason = `Cannot restore version ${target.version} of '${req.flagKey}' in ${req.env}: ${target.restorable.reason}`;
        const entry = deps.rollout.record({
          user: req.user ?? deps.user(),
          door: req.door,
          connectionId: req.connectionId,
          flagKey: req.flagKey,
          env: req.env,
          action: 'restore',
          from: { enabled: live.enabled, exposure: live.exposure },
          to: { enabled: target.state.enabled, exposure: target.state.exposureKnown ? target.state.exposure : null },
          comment: req.comment,
          result: 'refused',
          reason,
          error: reason,
          detail: { version: target.version, versionId: target.id, code: 'blocked' },
        });
        throw new RampartError('blocked', `${reason}. Nothing was written (audit ${entry.actionId}).`);
      }
      return deps.rollout.setState({
        connectionId: req.connectionId,
        flagKey: req.flagKey,
        env: req.env,
        action: 'restore',
        target: { enabled: target.state.enabled as boolean, exposure: target.state.exposure },
        expected,
        comment: req.comment,
        override: req.override === true,
        door: req.door,
        user: req.user,
        detail: { version: target.version, versionId: target.id, versionAt: target.at },
      });
    },
  };
}

export type VersionsService = ReturnType<typeof createVersionsService>;
