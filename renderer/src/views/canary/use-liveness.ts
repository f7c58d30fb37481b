/** What the canary watch must say about the freshness of what it shows: core, store and metrics provider. */
import type { FlagRow } from '../../../../shared/contract';
import { PROPOSE_ROLLBACK_AFTER, useConnectionStatus } from '../../state/connection-store';

export interface Liveness {
  coreDown: { since: number; lastOkAt: number | null } | null;
  storeStale: { ageMs: number; reason: string } | null;
  providerDown: { errors: number; lastError: string | null } | null;
}

export function useLiveness(row: FlagRow, metricsConnectionId: string | null): Liveness {
  const reachable = useConnectionStatus((s) => s.core.reachable);
  const since = useConnectionStatus((s) => s.core.downSince);
  const lastOkAt = useConnectionStatus((s) => s.core.lastOkAt);
  const health = useConnectionStatus((s) => (metricsConnectionId ? s.providers[metricsConnectionId] : undefined));
  return {
    coreDown: reachable ? null : { since: since ?? Date.now(), lastOkAt },
    storeStale: row.stale ? { ageMs: row.stale.ageMs, reason: row.stale.message } : null,
    providerDown:
      health && health.consecutiveErrors >= PROPOSE_ROLLBACK_AFTER
        ? { errors: health.consecutiveErrors, lastError: health.lastError?.message ?? null }
        : null,
  };
}
