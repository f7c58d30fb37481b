import { isFlagConnection, isMetricsConnection, type Connection } from '../../shared/domain/connections';
import type { Watch } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { judge } from '../../shared/stats/judge';
import { JudgeInput } from '../../shared/domain/verdict';
import type { Handlers } from '../host/registrar';
import type { Core } from './core';

/** Maps every contract channel to the core's services. Inputs arrive already validated by the registrar. */
export function createHandlers(core: Core): Handlers {
  const { store, connections, flags, rollout, series, verdicts, incident, info } = core;

  const connectionInfo = (c: Connection) => ({
    connection: c,
    role: isFlagConnection(c) ? ('flags' as const) : ('metrics' as const),
    secretAvailable: c.kind === 'flagd' || c.kind === 'simulated' || Boolean(core.secrets(c.id, 'token')),
  });

  function watchOrThrow(id: string): Watch {
    const w = store.records.watches.get(id);
    if (!w) throw new RampartError('not_found', `No watch '${id}'`);
    return w;
  }

  return {
    'app:info': (_input, ctx) => ({ ...info, door: ctx.door }),

    'connections:list': () => connections.list().map(connectionInfo),
    'connections:save': ({ connection }) => connectionInfo(connections.save(connection)),
    'connections:remove': ({ id }) => {
      if (store.records.watches.list().some((w) => w.flagConnectionId === id || w.metricsConnectionId === id)) {
        throw new RampartError('conflict', `Connection '${id}' is used by a watch; remove the watch first`);
      }
      core.secretStore?.remove(id);
      return { removed: connections.remove(id) };
    },
    'connections:setSecret': ({ id, which, secret, allowPlaintext }) => {
      connections.get(id);
      if (!core.secretStore) {
        throw new RampartError('bad_request', 'This door keeps no secrets: name an environment variable in the connection (tokenEnv / appKeyEnv) instead');
      }
      core.secretStore.set(id, which, secret, allowPlaintext);
      connections.save({ ...connections.get(id), hasStoredSecret: true }); // and rebuild adapters with the new secret
      return { stored: true, backend: core.secretStore.backend() };
    },
    'connections:test': async ({ id }) => {
      const c = connections.get(id);
      if (isFlagConnection(c)) {
        const s = connections.flagStore(id);
        const environments = await s.environments();
        return { ok: true, message: `${c.name}: ${environments.length} environment(s)`, environments, capabilities: s.capabilities() };
      }
      if (isMetricsConnection(c)) {
        const p = connections.metrics(id);
        const caps = p.capabilities();
        return { ok: true, message: `${c.name}: up to ${caps.maxPointsPerSeries} points per series`, environments: [], capabilities: null };
      }
      throw new RampartError('bad_request', `Unknown connection kind`);
    },

    'flags:list': (q) => flags.list(q),
    'flags:get': ({ connectionId, flagKey }) => flags.get(connectionId, flagKey),
    'flags:history': (q) => flags.history(q),
    'flags:ramp': (req) => rollout.ramp(req),
    'flags:rollback': (req) => rollout.rollback(req),

    'watches:list': () => store.records.watches.list(),
    'watches:forFlag': ({ connectionId, flagKey, env }) => {
      const saved = store.records.watches.forFlag(connectionId, flagKey, env);
      return saved ? { watch: saved, saved: true } : { watch: core.proposeWatch(connectionId, flagKey, env), saved: false };
    },
    'watches:save': ({ watch }) => {
      connections.get(watch.flagConnectionId);
      if (!isMetricsConnection(connections.get(watch.metricsConnectionId))) throw new RampartError('bad_request', `'${watch.metricsConnectionId}' is not a metrics connection`);
      const w = { ...watch, id: watch.id || `${watch.flagConnectionId}.${watch.flagKey}.${watch.env}`.replace(/[^A-Za-z0-9._-]/g, '_') };
      for (const m of w.metrics) core.render(w, m, false); // refuse templates the provider cannot run, before saving
      store.records.watches.save(w);
      return w;
    },
    'watches:remove': ({ id }) => ({ removed: store.records.watches.remove(id) }),

    'series:range': ({ watchId, ...q }) => {
      if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
      return series.range(watchOrThrow(watchId), q);
    },
    'verdict:get': ({ watchId, baseline, at }) => verdicts.compute(watchOrThrow(watchId), baseline, at),

    'incident:analyze': async ({ watchId, ...q }) => {
      const watch = watchOrThrow(watchId);
      // Pull every store's history for the window first, so suspects include changes made outside Rampart.
      await flags.history({ from: q.from, to: q.to });
      return incident(watch, q);
    },
    'audit:list': (q) => store.audit.list(q),
    'judge:run': (input) => judge(JudgeInput.parse(input)),
  };
}
