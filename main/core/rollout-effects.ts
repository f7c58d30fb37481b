import type { AuditEntry } from '../../shared/domain/audit';
import type { FlagChange } from '../../shared/domain/flags';
import type { RolloutResult } from '../../shared/contract/requests';
import { withFlagWriteSpan } from '../telemetry';
import type { RampRequest, RolloutService } from '../rollout/rollout-service';
import type { ConnectionRegistry } from './connections';

/**
 * What happens around a write besides the write: a trace span with the `feature_flag.*` attributes (a no-op until
 * the user registers an OpenTelemetry SDK), and — per Datadog connection with the switch on — an event so Datadog
 * dashboards show the change too. Neither can fail the action: the write is already confirmed and audited.
 */
export function tracedRollout(rollout: RolloutService, connections: ConnectionRegistry): Pick<RolloutService, 'ramp' | 'rollback'> {
  const kindOf = (id: string) => connections.get(id).kind;
  return {
    ramp: (req: RampRequest): Promise<RolloutResult> =>
      withFlagWriteSpan(
        { flagKey: req.flagKey, providerName: kindOf(req.connectionId), env: req.env, action: 'ramp', connectionId: req.connectionId, exposureBefore: req.expected ?? undefined, exposureAfter: req.to },
        () => rollout.ramp(req),
      ),
    rollback: (req) =>
      withFlagWriteSpan({ flagKey: req.flagKey, providerName: kindOf(req.connectionId), env: req.env, action: 'rollback', connectionId: req.connectionId, exposureAfter: 0 }, () =>
        rollout.rollback(req),
      ),
  };
}

export function datadogEvents(connections: ConnectionRegistry) {
  return async (entry: AuditEntry, change: FlagChange): Promise<void> => {
    const targets = connections.list().filter((c) => c.kind === 'datadog' && c.postEvents);
    await Promise.allSettled(
      targets.map(async (c) => {
        const provider = connections.metrics(c.id) as ReturnType<ConnectionRegistry['metrics']> & {
          postEvent?: (e: { flagKey: string; env: string; title: string; text: string }) => Promise<unknown>;
        };
        await provider.postEvent?.({
          flagKey: change.flagKey,
          env: change.env,
          title: `Rampart: ${change.flagKey} ${change.label} in ${change.env}`,
          text: `${entry.action} by ${entry.user}: ${entry.comment}`,
        });
      }),
    );
  };
}
