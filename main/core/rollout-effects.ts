import type { AuditEntry } from '../../shared/domain/audit';
import type { FlagChange } from '../../shared/domain/flags';
import type { RolloutResult } from '../../shared/contract/requests';
import { withFlagWriteSpan } from '../telemetry';
import type { RampRequest, RolloutService } from '../rollout/rollout-service';
import type { ConnectionRegistry } from './connections';
import { postChangeEvent } from '../kinds/change-events';

/**
 * What happens around a write besides the write: a trace span with the `feature_flag.*` attributes (a no-op until
 * the user registers an OpenTelemetry SDK), and — per Datadog connection with the switch on — an event so Datadog
 * dashboards show the change too. Neither can fail the action: the write is already confirmed and audited.
 */
export function tracedRollout(
  rollout: RolloutService,
  connections: ConnectionRegistry,
): Pick<RolloutService, 'ramp' | 'rollback'> {
  // An unknown connection is the rollout service's to refuse (and audit), not the span's to throw on.
  const kindOf = (id: string): string => {
    try {
      return connections.get(id).kind;
    } catch {
      return 'unknown';
    }
  };
  return {
    ramp: (req: RampRequest): Promise<RolloutResult> =>
      withFlagWriteSpan(
        {
          flagKey: req.flagKey,
          providerName: kindOf(req.connectionId),
          env: req.env,
          action: 'ramp',
          connectionId: req.connectionId,
          exposureBefore: req.expected ?? undefined,
          exposureAfter: req.to,
        },
        () => rollout.ramp(req),
      ),
    rollback: (req) =>
      withFlagWriteSpan(
        {
          flagKey: req.flagKey,
          providerName: kindOf(req.connectionId),
          env: req.env,
          action: 'rollback',
          connectionId: req.connectionId,
          exposureAfter: 0,
        },
        () => rollout.rollback(req),
      ),
  };
}

/** Every write as a change event on the metrics connections that want them (main/kinds/change-events.ts). */
export function changeEvents(connections: ConnectionRegistry) {
  return async (entry: AuditEntry, change: FlagChange): Promise<void> => {
    await postChangeEvent(connections, {
      flagKey: change.flagKey,
      env: change.env,
      title: `Rampart: ${change.flagKey} ${change.label} in ${change.env}`,
      text: `${entry.action} by ${entry.user}${entry.door ? ` (${entry.door})` : ''}: ${entry.comment}`,
    });
  };
}
