import { isFlagConnection, isMetricsConnection, type Connection } from '../../shared/domain/connections';
import { RampartError } from '../../shared/errors';
import type { FlagStore } from '../flags/flag-store';
import type { MetricsProvider } from '../metrics/metrics-provider';
import type { Records } from '../store/records';
import { flagKind, metricsKind, type AdapterDeps } from '../kinds';

/**
 * The live set of connections and their adapters, each built by its kind's record (main/kinds/index.ts). Adapters
 * are built lazily and rebuilt when a connection is saved, so a changed URL or token takes effect on the next call
 * without a restart.
 */
export function createConnectionRegistry(records: Records, deps: AdapterDeps) {
  const flagStores = new Map<string, FlagStore>();
  const providers = new Map<string, MetricsProvider>();
  const listeners = new Set<(c: Connection, store: FlagStore) => void>();

  function get(id: string): Connection {
    const c = records.connections.get(id);
    if (!c) throw new RampartError('not_found', `No connection '${id}'`);
    return c;
  }

  function drop(id: string): void {
    void flagStores.get(id)?.close?.();
    flagStores.delete(id);
    providers.delete(id);
  }

  return {
    list: () => records.connections.list(),
    get,
    save(c: Connection): Connection {
      records.connections.save(c);
      drop(c.id);
      return c;
    },
    remove(id: string): boolean {
      drop(id);
      return records.connections.remove(id);
    },
    flagStore(id: string): FlagStore {
      const cached = flagStores.get(id);
      if (cached) return cached;
      const c = get(id);
      if (!isFlagConnection(c))
        throw new RampartError(
          'bad_request',
          `Connection '${c.name}' is a ${c.kind} metrics connection, not a flag store`,
        );
      const store = flagKind(c).createStore(c, deps);
      flagStores.set(id, store);
      for (const l of listeners) l(c, store);
      return store;
    },
    metrics(id: string): MetricsProvider {
      const cached = providers.get(id);
      if (cached) return cached;
      const c = get(id);
      if (!isMetricsConnection(c))
        throw new RampartError(
          'bad_request',
          `Connection '${c.name}' is a ${c.kind} flag store, not a metrics provider`,
        );
      const p = metricsKind(c).createProvider(c, deps);
      providers.set(id, p);
      return p;
    },
    /** Called whenever a flag store adapter is (re)built — the flags service starts its watch there. */
    onFlagStore(listener: (c: Connection, store: FlagStore) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      for (const id of [...flagStores.keys()]) drop(id);
    },
  };
}

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;
