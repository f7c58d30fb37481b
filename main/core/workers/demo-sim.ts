/**
 * The demo's simulated service off the main thread (issue 15): its assignment of 100,000 synthetic users (flagd
 * buckets, hashed once per flag: sim/assignment.ts) and its per-step traffic model are the largest computation a
 * first view triggers. The provider runs in a worker (one instance per connection, keeping its caches between
 * calls); the main thread reads the flags' exposure timelines from the store and sends them along with each query.
 */
import { createSimulatedProvider, DEMO_SERVICES, type TimelineEntry } from '../../demo';
import type { InstantSample, MetricsProvider, Series } from '../../metrics/metrics-provider';
import type { CoreWorker } from './pool';

export interface SimRequest {
  connectionId: string;
  now: number;
  timelines: Record<string, TimelineEntry[]>;
  query: string;
  range?: { from: number; to: number; stepMs: number };
  at?: number;
}

/** Worker side: the providers, by connection; each call brings the timelines and the time as the core sees them. */
export function createSimHost() {
  const hosts = new Map<
    string,
    { provider: MetricsProvider; state: { now: number; timelines: Record<string, TimelineEntry[]> } }
  >();
  return async (req: SimRequest): Promise<Series[] | InstantSample[]> => {
    let h = hosts.get(req.connectionId);
    if (!h) {
      const state = { now: req.now, timelines: req.timelines };
      const provider = createSimulatedProvider({
        connectionId: req.connectionId,
        timeline: (flagKey) => state.timelines[flagKey] ?? [],
        now: () => state.now,
      });
      h = { provider, state };
      hosts.set(req.connectionId, h);
    }
    h.state.now = req.now;
    h.state.timelines = req.timelines;
    if (req.range) return h.provider.range(req.query, req.range.from, req.range.to, req.range.stepMs);
    if (!h.provider.instant) throw new Error('simulated service: no instant queries');
    return h.provider.instant(req.query, req.at ?? req.now);
  };
}

/**
 * Main side: the connection's own provider for everything cheap (capabilities, names, checks), its range and instant
 * queries answered by the worker. `timeline` is the core's (the store's replay of the flag's changes).
 */
export function offThreadSimulated(o: {
  base: MetricsProvider;
  flagConnectionId: string;
  worker: CoreWorker;
  timeline: (flagConnectionId: string, flagKey: string) => TimelineEntry[];
  now: () => number;
}): MetricsProvider {
  const request = (query: string): Omit<SimRequest, 'range' | 'at'> => ({
    connectionId: o.base.connectionId,
    now: o.now(),
    timelines: Object.fromEntries(DEMO_SERVICES.map((m) => [m.flagKey, o.timeline(o.flagConnectionId, m.flagKey)])),
    query,
  });
  return {
    ...o.base,
    range: async (query, from, to, stepMs) =>
      (await o.worker.call({ op: 'sim', req: { ...request(query), range: { from, to, stepMs } } })) as Series[],
    instant: async (query, at) =>
      (await o.worker.call({ op: 'sim', req: { ...request(query), at } })) as InstantSample[],
  };
}
