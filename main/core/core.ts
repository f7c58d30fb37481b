import { userInfo } from 'node:os';
import type { Watch } from '../../shared/domain/metrics';
import { isMetricsConnection } from '../../shared/domain/connections';
import type { FlagChange } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
import type { SecretResolver } from '../flags/flag-store';
import type { SecretStore } from './secret-store';
import { openStore } from '../store';
import { createEventBus } from '../host/registrar';
import { createConnectionRegistry } from './connections';
import { createFlagsService } from './flags-service';
import { createRolloutService } from '../rollout/rollout-service';
import { createSeriesService } from './series-service';
import { createVerdictService } from './verdict-service';
import { createIncidentAnalysis } from './incident';
import { defaultMetricSpecs, defaultVariantLabel, renderWatchQuery } from './queries';
import { datadogEvents, tracedRollout } from './rollout-effects';
import { exposureTimeline } from './timeline';
import { installDemo } from './demo-bootstrap';

export interface CoreOptions {
  /** Where rampart.db and the demo files live: Electron userData, or --data-dir / RAMPART_HOME. */
  dataDir: string;
  /** The repository's resources/ folder (or the packaged app's resources). */
  resourcesDir: string;
  secrets: SecretResolver;
  /** Where handed-in tokens are kept (Electron safeStorage); absent in the browser host and CLI. */
  secretStore?: SecretStore;
  version: string;
  /** Install the demo workspace on first run (the embedded default). */
  demo?: boolean;
  now?: () => number;
  user?: () => string;
}

/** Builds the whole core: store, adapters, services. No Electron, no HTTP: the doors wrap it. */
export function createCore(opts: CoreOptions) {
  const now = opts.now ?? Date.now;
  const user = opts.user ?? (() => userInfo().username);
  const store = openStore(opts.dataDir, now);
  const bus = createEventBus();
  const demo = opts.demo !== false ? installDemo({ store, dataDir: opts.dataDir, resourcesDir: opts.resourcesDir, now }) : false;

  const connections = createConnectionRegistry(store.records, {
    secrets: opts.secrets,
    timeline: (connectionId, flagKey) => exposureTimeline(store, connectionId, flagKey),
    now,
  });
  const flags = createFlagsService({ connections, changes: store.changes, records: store.records, bus, now });

  const render = (watch: Watch, spec: Watch['metrics'][number], byVariant: boolean) =>
    renderWatchQuery(connections.get(watch.metricsConnectionId), watch, spec, byVariant);
  const series = createSeriesService({ provider: (id) => connections.metrics(id), render, cache: store.series, bus, now });

  const lastChange = async (watch: Watch, before: number): Promise<FlagChange | null> => {
    const changes = await flags.history({ connectionId: watch.flagConnectionId, flagKey: watch.flagKey, env: watch.env, from: before - 30 * 86_400_000, to: before });
    return changes.filter((c) => c.kind === 'exposure' || c.kind === 'enabled').at(-1) ?? null;
  };
  const variants = async (watch: Watch) => {
    const flag = await flags.get(watch.flagConnectionId, watch.flagKey);
    const s = flag.flag.envs[watch.env];
    return { treatment: s?.treatment ?? null, control: s?.control ?? null, exposure: s?.exposure ?? null };
  };
  const changesBetween = (from: number, to: number) => store.changes.list({ from, to });
  const verdicts = createVerdictService({ series, render, lastChange, variants, changesBetween, now });
  const incident = createIncidentAnalysis({ series, render, changesBetween });

  const rollout = createRolloutService({
    flagStore: (id) => connections.flagStore(id),
    connection: (id) => connections.get(id),
    audit: store.audit,
    changes: store.changes,
    bus,
    user,
    rampGuard: async ({ connectionId, flagKey, env }) => {
      const watch = store.records.watches.forFlag(connectionId, flagKey, env);
      if (!watch) return { ok: true, reason: 'no watch' };
      const v = await verdicts.compute(watch, 'pre');
      if (v.verdict === 'inconclusive') return { ok: false, reason: `the metrics have no usable data (${v.reason ?? 'inconclusive'})` };
      if (v.verdict === 'fail') return { ok: false, reason: `the current step fails its verdict (score ${v.score.toFixed(0)})` };
      return { ok: true, reason: v.verdict };
    },
    afterWrite: datadogEvents(connections),
  });

  /** A default watch for a flag that has none: the first metrics connection, its provider's default metric set. */
  function proposeWatch(connectionId: string, flagKey: string, env: string): Watch {
    const metrics = connections.list().filter(isMetricsConnection);
    const preferred = metrics.find((m) => m.kind === 'simulated' && m.flagConnectionId === connectionId) ?? metrics.find((m) => m.kind !== 'simulated');
    if (!preferred) throw new RampartError('not_found', 'No metrics connection yet: add Prometheus or Datadog in Connections');
    return {
      id: '',
      flagConnectionId: connectionId,
      flagKey,
      env,
      metricsConnectionId: preferred.id,
      selector: 'service="checkout"',
      variantLabel: defaultVariantLabel(preferred.kind),
      metrics: defaultMetricSpecs(preferred.kind),
      thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
    };
  }

  const timers: NodeJS.Timeout[] = [];
  return {
    store,
    bus,
    connections,
    flags,
    rollout: { ...rollout, ...tracedRollout(rollout, connections) },
    series,
    verdicts,
    incident,
    render,
    proposeWatch,
    secrets: opts.secrets,
    secretStore: opts.secretStore,
    info: { version: opts.version, user: user(), demo: Boolean(demo), dataDir: opts.dataDir },
    /** Live behaviour: reconcile pending intents, tick every 5 s, poll stores that cannot push every 30 s. */
    async start(): Promise<void> {
      await rollout.reconcile();
      // Edits made while Rampart was closed: diff the last known state against the store, then start watching.
      await flags.recordOfflineEdits().catch(() => undefined);
      for (const c of connections.list()) if (c.kind === 'flagd') connections.flagStore(c.id); // starts file watches
      timers.push(setInterval(() => bus.emit('series:tick', { at: now() }), 5_000));
      timers.push(setInterval(() => void flags.pollRecent().catch(() => undefined), 30_000));
    },
    close(): void {
      for (const t of timers) clearInterval(t);
      flags.close();
      connections.close();
      store.close();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
