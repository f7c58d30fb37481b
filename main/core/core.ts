import { userInfo } from 'node:os';
import { watchStepMs, type Watch } from '../../shared/domain/metrics';
import { isFlagConnection } from '../../shared/domain/connections';
import type { FlagChange } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
import type { SecretResolver } from '../flags/flag-store';
import type { SecretStore } from './secret-store';
import { openStore } from '../store';
import { createRedactor } from '../store/audit-redact';
import { createEventBus } from './event-bus';
import { createConnectionRegistry } from './connections';
import { createFlagsService } from './flags-service';
import { createRolloutService } from '../rollout/rollout-service';
import { createSeriesService } from './series-service';
import { createSeriesViews } from './series-views';
import { createCoreWorkers } from './workers/pool';
import { offThreadSimulated } from './workers/demo-sim';
import type { MetricsProvider } from '../metrics/metrics-provider';
import { createVerdictService, newestCompleteStep } from './verdict-service';
import { createDecisionService } from './decision-service';
import { createIncidentAnalysis } from './incident';
import { renderWatchTemplate } from './queries';
import { flagKind } from '../kinds';
import { createWatchesService } from './watches-service';
import { createMetricDiscovery } from './metric-discovery';
import { armOf, createArmResolver } from './decision-arms';
import { createDecisionStore } from './decision-store';
import { rampGuardFor } from './decision-ramp-guard';
import { changeEvents, tracedRollout } from './rollout-effects';
import { exposureTimeline } from './timeline';
import { installDemo } from './demo-bootstrap';
import { createPlans } from '../plans';
import { createLifecycle } from '../lifecycle';
import { createEvaluationProbe } from '../lifecycle/evaluation';

export interface CoreOptions {
  /** Where rampart.db, series.db and the demo files live: Electron userData, or --data-dir / RAMPART_HOME. */
  dataDir: string;
  /** The repository's resources/ folder (or the packaged app's resources). */
  resourcesDir: string;
  secrets: SecretResolver;
  /** Where handed-in tokens are kept (Electron safeStorage); absent in the browser host and CLI. */
  secretStore?: SecretStore;
  version: string;
  /** Environment variables opted in at launch beyond the RAMPART_ prefix (shared/domain/connections.ts, envVarRefusal). */
  allowEnv?: readonly string[];
  /** Install the demo workspace on first run (the embedded default). */
  demo?: boolean;
  now?: () => number;
  user?: () => string;
}

/** The OS account name; userInfo() throws where the uid has no passwd entry (some containers). */
function osUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

/** Builds the whole core: store, adapters, services. No Electron, no HTTP: the doors wrap it. */
export function createCore(opts: CoreOptions) {
  const now = opts.now ?? Date.now;
  // Every text written to the append-only audit table is redacted, knowing the secrets the connections use.
  let knownSecrets: () => (string | undefined)[] = () => [];
  const store = openStore(opts.dataDir, now, { redact: createRedactor(() => knownSecrets()) });
  const user = opts.user ?? (() => store.records.settings.get('user.name') || osUser());
  const bus = createEventBus();
  const demo =
    opts.demo !== false ? installDemo({ store, dataDir: opts.dataDir, resourcesDir: opts.resourcesDir, now }) : false;

  const connections = createConnectionRegistry(store.records, {
    secrets: opts.secrets,
    timeline: (connectionId, flagKey) => exposureTimeline(store, connectionId, flagKey),
    now,
    allowEnv: opts.allowEnv,
  });
  const flags = createFlagsService({ connections, changes: store.changes, records: store.records, bus, now });

  /** A watch's template in its provider's language; `{{window}}` = the watch's step unless a window is given. */
  const render = (watch: Watch, spec: { name: string; query: string }, byVariant: boolean, windowSec?: number) =>
    renderWatchTemplate(connections.get(watch.metricsConnectionId), watch, spec, byVariant, windowSec);
  const discovery = createMetricDiscovery({ provider: (id) => connections.metrics(id), now });
  const variants = async (watch: Watch) => {
    const flag = await flags.get(watch.flagConnectionId, watch.flagKey);
    const s = flag.flag.envs[watch.env];
    return {
      treatment: s?.treatment ?? null,
      control: s?.control ?? null,
      exposure: s?.exposure ?? null,
      enabled: s?.enabled ?? false,
    };
  };
  // One treatment/control mapping of variant label values for charts, verdicts, decisions and incidents.
  const arms = createArmResolver({
    variants,
    storeKind: (w) => store.records.connections.get(w.flagConnectionId)?.kind ?? null,
    now,
  });
  // The judge, every touch of the series cache and the demo's simulated service run on worker threads (issue 15):
  // a rollback never waits for them.
  const workers = createCoreWorkers({ dbFile: store.seriesDb.name, cache: store.series });
  const offThread = new WeakMap<MetricsProvider, MetricsProvider>();
  const metricsOf = (id: string): MetricsProvider => {
    const base = connections.metrics(id);
    const c = connections.get(id);
    if (c.kind !== 'simulated' || !workers.demo.offThread) return base;
    let p = offThread.get(base);
    if (!p) {
      p = offThreadSimulated({
        base,
        flagConnectionId: c.flagConnectionId,
        worker: workers.demo,
        timeline: (f, k) => exposureTimeline(store, f, k),
        now,
      });
      offThread.set(base, p);
    }
    return p;
  };
  const series = createSeriesService({
    provider: metricsOf,
    render,
    cache: workers.series,
    bus,
    now,
    armOf: async (w) => {
      const mapping = await arms(w);
      return (value) => armOf(value, mapping);
    },
    whyEmpty: (id, query) => discovery.whyEmpty(id, query),
  });
  const seriesViews = createSeriesViews({
    series,
    provider: metricsOf,
    render,
    bus,
    now,
    armOf: async (w) => {
      const mapping = await arms(w);
      return (value) => armOf(value, mapping);
    },
    whyEmpty: (id, query) => discovery.whyEmpty(id, query),
  });

  /** This flag's changes in this environment, 30 days back: where its steps and its rollout began. */
  const history = (watch: Watch, before: number): Promise<FlagChange[]> =>
    flags.history({
      connectionId: watch.flagConnectionId,
      flagKey: watch.flagKey,
      env: watch.env,
      from: before - 30 * 86_400_000,
      to: before,
    });
  // The one "flag changes in a window" (flags.changesIn): echoes of Rampart's own writes are never a second suspect.
  const changesBetween = (from: number, to: number) => flags.changesIn({ from, to });
  const verdicts = createVerdictService({
    series,
    provider: metricsOf,
    render,
    history,
    arms,
    changesBetween,
    now,
    judge: (input) => workers.judge.call({ op: 'judge', input }),
    bake: (input) => workers.judge.call({ op: 'bake', input }),
  });
  const incident = createIncidentAnalysis({
    series,
    render,
    changesBetween,
    watches: () => store.records.watches.list(),
    arms,
  });
  const changedSince = (w: Watch, after: number) =>
    flags
      .changesIn({
        connectionId: w.flagConnectionId,
        flagKey: w.flagKey,
        env: w.env,
        from: after + 1,
        to: Number.MAX_SAFE_INTEGER,
      })
      .some((c) => c.kind === 'exposure' || c.kind === 'enabled');
  const decisions = createDecisionService({
    verdicts,
    store: createDecisionStore(store.db, now),
    bus,
    now,
    providerErrors: (id) => series.consecutiveErrors(id),
    lastProviderFailure: (id) => series.lastFailure(id),
    changedSince,
  });
  const watches = createWatchesService({
    records: store.records,
    connections,
    discovery,
    arms,
    forgetDecision: (id) => decisions.forget(id),
    now,
  });

  const rollout = createRolloutService({
    flagStore: (id) => connections.flagStore(id),
    audit: store.audit,
    changes: store.changes,
    processes: store.processes,
    bus,
    user,
    now,
    // Reads the one decision (docs/design.md): blocked on rollback, a failing verdict or no data — never the first step.
    rampGuard: rampGuardFor({
      watchFor: (c, f, e) => store.records.watches.forFlag(c, f, e),
      decisions,
      live: (w) => variants(w),
    }),
    afterWrite: changeEvents(connections),
  });

  // Guarded rollout plans: the runner starts with start(), in whichever door runs the core (docs/autopilot.md).
  const plans = createPlans({
    store,
    bus,
    connections,
    secrets: opts.secrets,
    decisions,
    rollout: tracedRollout(rollout, connections),
    series,
    render,
    now,
    user,
  });

  // The flag lifecycle (issue 14): restore and promote write through the rollout service, plans start through plans.
  const lifecycle = createLifecycle({
    store,
    bus,
    connections,
    flags,
    rollout,
    plans: {
      list: (q) => plans.service.list(q),
      forFlag: (c, f, e) => plans.service.forFlag(c, f, e),
      start: (req, actor) => plans.service.start(req, actor),
    },
    secrets: opts.secrets,
    lastEvaluated: createEvaluationProbe({
      fetch: (w, q, from, to, step) => series.fetchCached(w, q, from, to, step),
      render,
    }),
    now,
    user,
  });

  knownSecrets = () => connections.list().flatMap((c) => [opts.secrets(c.id, 'token'), opts.secrets(c.id, 'appKey')]);
  // Every door that opens the core settles what processes that are gone left behind (the CLI's commands included) —
  // cheaply: one query, and store reads only when such intents exist. close() lets a running sweep finish.
  let reconciling = rollout.hasOrphans();
  const reconciled: Promise<void> = reconciling
    ? rollout.reconcile().then(
        () => undefined,
        () => undefined,
      )
    : Promise.resolve();
  void reconciled.then(() => (reconciling = false));

  const timers: NodeJS.Timeout[] = [];
  let closing: Promise<void> | null = null;
  return {
    store,
    bus,
    connections,
    flags,
    rollout: { ...rollout, ...tracedRollout(rollout, connections) },
    series,
    seriesViews,
    workers,
    verdicts,
    decisions,
    incident,
    plans,
    lifecycle,
    render,
    discovery,
    arms,
    now,
    watches,
    /** A default watch for a flag that has none (watches.propose). */
    proposeWatch: watches.propose,
    secrets: opts.secrets,
    secretStore: opts.secretStore,
    allowEnv: opts.allowEnv ?? [],
    info: {
      version: opts.version,
      /** The name audited with every action: the `user.name` setting, else the OS user (read per call). */
      get user() {
        return user();
      },
      demo: Boolean(demo),
      dataDir: opts.dataDir,
    },
    /** Settled when the opening sweep of orphaned intents is done (audit:list waits for it). */
    reconciled,
    /** Live behaviour: reconcile pending intents, tick every 5 s, poll stores that cannot push every 30 s. */
    async start(): Promise<void> {
      // Every door reconciles: this process's unknown outcomes, and intents of processes that are gone.
      await reconciled;
      await rollout.reconcile().catch(() => undefined);
      timers.push(setInterval(() => void rollout.reconcile().catch(() => undefined), 60_000));
      // Edits made while Rampart was closed: diff the last known state against the store, then start watching.
      await flags.recordOfflineEdits().catch(() => undefined);
      // Stores that push edits (flagd's file watch) start watching now; the others are polled below.
      // A connection whose store cannot be built (a flagd record with a relative path) is that connection's error in
      // flags:list; it must not stop the others from starting.
      for (const c of connections.list()) {
        if (!isFlagConnection(c) || !flagKind(c).watchOnStart) continue;
        try {
          connections.flagStore(c.id);
        } catch {
          /* reported where the connection is used */
        }
      }
      // One decision per watch per new data step, whether anyone looks or not (docs/design.md); then the step's new
      // points go to the renderers following the watch (series:appended), and series:tick says a step is complete —
      // once per step, not on a timer: nothing is new in between.
      let deciding = false;
      let tickedStep = -Infinity;
      const decide = async () => {
        if (deciding) return;
        deciding = true;
        const watches = store.records.watches.list();
        await decisions.tick(watches).catch(() => undefined);
        await seriesViews.pushNew(watches).catch(() => undefined);
        const step = Math.max(
          newestCompleteStep(now(), 60_000),
          ...watches.map((w) => newestCompleteStep(now(), watchStepMs(w))),
        );
        if (step > tickedStep) {
          tickedStep = step;
          bus.emit('series:tick', { at: now() });
        }
        deciding = false;
      };
      timers.push(setInterval(() => void decide(), 5_000));
      timers.push(setInterval(() => void flags.pollRecent().catch(() => undefined), 30_000));
      plans.runner.start();
      lifecycle.start();
    },
    /**
     * Resolves once close() has closed everything (after a running sweep). A CLI command awaits it and then exits:
     * reads the sweep gave up on (past its budget) may still be retrying a slow store, and must not hold the
     * process open for their own timeouts (a command took ~31 s to exit beside an unreachable vendor).
     */
    closed(): Promise<void> {
      return closing ?? Promise.resolve();
    },
    close(): void {
      if (closing) return;
      for (const t of timers) clearInterval(t);
      void workers.close();
      plans.runner.stop();
      lifecycle.stop();
      rollout.close();
      const rest = () => {
        flags.close();
        connections.close();
        store.close();
      };
      // A sweep still reading a store finishes first (bounded by its read budget): never a half-settled reconcile.
      closing = reconciling ? reconciled.then(rest) : Promise.resolve(rest());
    },
  };
}

export type Core = ReturnType<typeof createCore>;
