import type { AuditEntry } from '../../shared/domain/audit';
import type { EvaluationProbe } from './evaluation';
import type { PlanView } from '../../shared/domain/plans';
import type { Watch } from '../../shared/domain/metrics';
import type { RolloutResult } from '../../shared/contract/requests';
import type { ConnectionRegistry } from '../core/connections';
import type { EventBus } from '../core/event-bus';
import type { FlagsService } from '../core/flags-service';
import type { SecretResolver } from '../flags/flag-store';
import type { SetStateRequest } from '../rollout/rollout-service';
import type { AuditRecord } from '../store/audit-log';
import type { Store } from '../store';
import { createCodeRefs } from './code-refs/code-refs';
import { createLifecycleList } from './lifecycle-list';
import { createObservations } from './observations';
import { createPromote } from './promote';
import { createReminder } from './reminder';
import { createLifecycleSettings } from './settings';
import { createVersionsService } from './versions-service';

/** The parts of the core the lifecycle uses; the core passes them in (main/core/core.ts). */
export interface LifecycleCoreParts {
  store: Store;
  bus: EventBus;
  connections: ConnectionRegistry;
  flags: Pick<FlagsService, 'list' | 'history'>;
  rollout: { setState: (r: SetStateRequest) => Promise<RolloutResult>; record: (r: AuditRecord) => AuditEntry };
  plans: {
    list: (q: { active?: boolean }) => PlanView[];
    forFlag: (connectionId: string, flagKey: string, env: string) => PlanView | null;
    start: (
      req: { connectionId: string; flagKey: string; env: string; policy: Record<string, unknown>; comment: string },
      actor: { user: string; door: string },
    ) => Promise<PlanView>;
  };
  secrets: SecretResolver;
  lastEvaluated?: EvaluationProbe;
  now: () => number;
  user: () => string;
}

const HOUR_MS = 3_600_000;

/**
 * The flag lifecycle (issue 14), wired: stages across every connection, code references, version history with
 * restore, promote, and the stale-flag reminder (checked hourly once started; weekly by default).
 */
export function createLifecycle(core: LifecycleCoreParts) {
  const { store } = core;
  const settings = createLifecycleSettings(store.records);
  const observations = createObservations(store.db);
  const watchFor = (c: string, f: string, e: string) => store.records.watches.forFlag(c, f, e);
  const list = createLifecycleList({
    connections: () => core.connections.list(),
    flags: core.flags,
    changes: store.changes,
    observations,
    settings,
    activePlans: () => core.plans.list({ active: true }),
    watchFor,
    lastEvaluated: core.lastEvaluated,
    now: core.now,
  });
  const versions = createVersionsService({
    flagStore: (id) => core.connections.flagStore(id),
    storeName: (id) => core.connections.get(id).name,
    history: (q) => core.flags.history(q),
    changes: store.changes,
    audit: store.audit,
    rollout: core.rollout,
    user: core.user,
    now: core.now,
  });
  const promote = createPromote({
    connection: (id) => core.connections.get(id),
    flagStore: (id) => core.connections.flagStore(id),
    watchFor,
    plans: core.plans,
    rollout: core.rollout,
    user: core.user,
  });
  const codeRefs = createCodeRefs({ db: store.db, now: core.now });
  const reminder = createReminder({
    db: store.db,
    settings,
    list: () => list(),
    connections: () => core.connections.list(),
    secret: (id) => {
      try {
        return core.secrets(id, 'token');
      } catch {
        return undefined; // a variable the user did not opt in: treated as not configured
      }
    },
    desktop: (notice) => core.bus.emit('lifecycle:stale', notice),
    now: core.now,
  });

  const timers: NodeJS.Timeout[] = [];
  const check = () => void reminder.runIfDue().catch(() => undefined);
  return {
    settings,
    list,
    versions,
    promote,
    codeRefs,
    reminder,
    /** The reminder: a first check a minute after start, then hourly (it runs when `everyDays` have passed). */
    start(): void {
      const first = setTimeout(check, 60_000);
      const hourly = setInterval(check, HOUR_MS);
      first.unref();
      hourly.unref();
      timers.push(first, hourly);
    },
    stop(): void {
      for (const t of timers) clearTimeout(t);
      timers.length = 0;
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
