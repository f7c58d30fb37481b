import { isMetricsConnection, type Connection } from '../../shared/domain/connections';
import type { ChangeEvent, MetricsProvider } from '../metrics/metrics-provider';
import { metricsKind } from '.';

export interface EventTargets {
  list(): Connection[];
  metrics(id: string): MetricsProvider;
}

/**
 * Sends a flag change to every metrics connection whose kind says it wants change events (Datadog with
 * `postEvents` on), through its provider's `postEvent`. The rollout service's writes and the plans' transitions
 * both post through here. Returns how many targets there were and how many refused.
 */
export async function postChangeEvent(
  connections: EventTargets,
  e: ChangeEvent,
): Promise<{ targets: number; failed: number }> {
  const targets = connections
    .list()
    .filter(isMetricsConnection)
    .filter((c) => metricsKind(c).postsChangeEvents?.(c) === true);
  const results = await Promise.allSettled(targets.map((c) => connections.metrics(c.id).postEvent?.(e)));
  return { targets: targets.length, failed: results.filter((r) => r.status === 'rejected').length };
}
