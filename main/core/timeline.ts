import type { Store } from '../store';

export interface ExposurePoint {
  at: number;
  enabled: boolean;
  exposure: number | null;
}

/**
 * A flag's exposure over time, replayed from every change Rampart has recorded for it (vendor history, file
 * watch, its own writes). The demo's simulated service uses it to route synthetic users the way the flag did.
 */
export function exposureTimeline(store: Store, connectionId: string, flagKey: string): ExposurePoint[] {
  const changes = store.changes.list({ from: 0, to: Number.MAX_SAFE_INTEGER, connectionId, flagKey });
  const out: ExposurePoint[] = [];
  let enabled = false;
  let exposure: number | null = 0;
  for (const c of changes) {
    if (c.to?.enabled !== undefined) enabled = c.to.enabled;
    if (c.to?.exposure !== undefined) exposure = c.to.exposure;
    out.push({ at: c.at, enabled, exposure });
  }
  return out;
}
