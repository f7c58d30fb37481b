import type { AuditEntry } from '../../shared/domain/audit';
import type { WatchDecision } from '../../shared/domain/decision';
import type { Watch } from '../../shared/domain/metrics';
import type { Plan } from '../../shared/domain/plans';
import { RampartError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { ConnectionRegistry } from '../core/connections';
import type { SecretResolver } from '../flags/flag-store';
import type { Store } from '../store';
import { createNotifier } from '../notify';
import { datadogPlanEvents } from '../notify/datadog-events';
import { createLeases, runnerOwnerId } from './lease';
import { createPlanStore } from './plan-store';
import { createPlanEffects } from './plan-effects';
import { createPlanRunner } from './runner';
import { createPlansService } from './plans-service';
import { createRecoveryCheck } from './recovery';
import { createRecoveryValues, type SeriesSource } from './recovery-values';
import type { PlanDeps, PlanWrite, WriteResult } from './plan-deps';

type Write = PlanWrite & Record<string, unknown>;

/** The parts of the core plans use; the core passes them in (main/core/core.ts), so nothing here imports the core. */
export interface PlanCoreParts {
  store: Store;
  bus: EventBus;
  connections: ConnectionRegistry;
  secrets: SecretResolver;
  decisions: { evaluate: (watch: Watch, opts: { at?: number }) => Promise<WatchDecision> };
  rollout: {
    ramp: (req: never) => Promise<{ actionId: string; readBack: { enabled: boolean; exposure: number | null } }>;
    rollback: (req: never) => Promise<{ actionId: string; readBack: { enabled: boolean; exposure: number | null } }>;
  };
  /** Raw per-step series through the cache, and a watch's query for a metric: the recovery check's values. */
  series: SeriesSource;
  render: (watch: Watch, spec: Watch['metrics'][number], byVariant: boolean) => string;
  now: () => number;
  user: () => string;
}

/**
 * Plans, wired: the store, the lease, the effects, the runner (started by `core.start()`, so it runs in the app,
 * `rampart serve` and `rampart autopilot`) and the service the doors call (docs/autopilot.md).
 */
export function createPlans(core: PlanCoreParts) {
  const store = createPlanStore(core.store.db);
  const leases = createLeases(core.store.db, core.now);
  const owner = runnerOwnerId();
  const recoveryValues = createRecoveryValues(core.series, core.render);

  const auditLog = core.store.audit as unknown as { record?: (r: Record<string, unknown>) => AuditEntry };
  const deps: PlanDeps = {
    store,
    leases,
    now: core.now,
    user: core.user,
    async liveState(connectionId, flagKey, env) {
      const flag = await core.connections.flagStore(connectionId).getFlag(flagKey);
      const s = flag.envs[env];
      if (!s) throw new RampartError('not_found', `Flag '${flagKey}' has no environment '${env}'`);
      return { enabled: s.enabled, exposure: s.exposure };
    },
    exposureStep: (id) => core.connections.flagStore(id).capabilities().exposureStep,
    watch: (id) => core.store.records.watches.get(id),
    watchFor: (c, f, e) => core.store.records.watches.forFlag(c, f, e),
    evaluate: (watch, at) => core.decisions.evaluate(watch, { at }),
    ramp: (w) => core.rollout.ramp({ ...w, override: false } as Write as never) as Promise<WriteResult>,
    rollback: (w) => core.rollout.rollback({ ...w } as Write as never) as Promise<WriteResult>,
    audit({ action, plan, comment, door, user, detail }) {
      if (typeof auditLog.record !== 'function') return; // older audit log: the decision record holds the transition
      const point = { enabled: plan.expected.enabled, exposure: plan.expected.exposure };
      const entry = auditLog.record({
        user,
        door,
        connectionId: plan.connectionId,
        flagKey: plan.flagKey,
        env: plan.env,
        action,
        from: point,
        to: point,
        comment: comment.length >= 3 ? comment : `${action} ${plan.id}`,
        detail,
        result: 'done',
      });
      if (entry) core.bus.emit('audit:appended', { entry });
    },
    notify: createNotifier({
      connections: () => core.connections.list(),
      secret: (id) => {
        try {
          return core.secrets(id, 'token');
        } catch {
          return undefined; // a variable the user did not opt in: treated as not configured
        }
      },
      desktop: (notice) => core.bus.emit('plans:notice', { notice }),
      datadogEvent: datadogPlanEvents(core.connections),
      now: core.now,
    }),
    recovery: createRecoveryCheck({ watch: (id) => core.store.records.watches.get(id), ...recoveryValues }),
    updated: (plan: Plan) =>
      core.bus.emit('plans:updated', {
        planId: plan.id,
        connectionId: plan.connectionId,
        flagKey: plan.flagKey,
        env: plan.env,
        state: plan.state,
        version: plan.version,
      }),
  };
  const effects = createPlanEffects(deps);
  const runner = createPlanRunner(deps, effects, {
    owner,
    tickMs: Number(process.env.RAMPART_PLAN_TICK_MS) || undefined,
  });
  const service = createPlansService(deps, effects, owner);
  return { service, runner, store, deps };
}

export type Plans = ReturnType<typeof createPlans>;
