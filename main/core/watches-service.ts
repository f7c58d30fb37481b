import { isMetricsConnection, type MetricsConnection } from '../../shared/domain/connections';
import type { MetricSpec, Watch } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { metricsKind } from '../kinds';
import type { Records } from '../store/records';
import type { ConnectionRegistry } from './connections';
import type { MetricDiscovery } from './metric-discovery';
import { instantTemplates, renderWatchTemplate } from './queries';
import { previewWatch } from './watch-preview';
import type { ArmMapping } from './decision-arms';

export interface WatchesDeps {
  records: Pick<Records, 'watches'>;
  connections: Pick<ConnectionRegistry, 'get' | 'list' | 'metrics'>;
  discovery: MetricDiscovery;
  arms: (watch: Watch) => Promise<ArmMapping>;
  /** A changed or removed watch starts a new guard: its old state judged other queries. */
  forgetDecision: (watchId: string) => void;
  now: () => number;
}

/** The watches: saved ones, a proposal for a flag without one, checked saves and removals, and the live preview. */
export function createWatchesService(deps: WatchesDeps) {
  const { records, connections } = deps;

  function get(id: string): Watch {
    const w = records.watches.get(id);
    if (!w) throw new RampartError('not_found', `No watch '${id}'`);
    return w;
  }

  function metricsConnectionOf(watch: Pick<Watch, 'metricsConnectionId'>): MetricsConnection {
    const c = connections.get(watch.metricsConnectionId);
    if (!isMetricsConnection(c))
      throw new RampartError('bad_request', `'${watch.metricsConnectionId}' is not a metrics connection`);
    return c;
  }

  /**
   * A metrics connection's default metric set, reading the request histogram under the name the provider really
   * has (discovery) when it can be looked up, and its variant label.
   */
  async function defaults(metricsConnectionId: string): Promise<{ metrics: MetricSpec[]; variantLabel: string }> {
    const c = metricsConnectionOf({ metricsConnectionId });
    const kind = metricsKind(c);
    const names = kind.discoverNames ? kind.discoverNames(await deps.discovery.names(c.id).catch(() => [])) : {};
    return { metrics: kind.defaultMetrics(names), variantLabel: kind.variantLabel };
  }

  /**
   * A default watch for a flag that has none: the metrics connection its kind prefers for this flag store (the
   * demo's simulator of it), else the first other one, with its provider's default metric set and selector syntax,
   * reading the request histogram under the name the provider really has (discovery), when it can be looked up.
   */
  async function propose(connectionId: string, flagKey: string, env: string): Promise<Watch> {
    const metrics = connections.list().filter(isMetricsConnection);
    const preferred =
      metrics.find((m) => metricsKind(m).preferredFor?.(m, connectionId)) ??
      metrics.find((m) => !metricsKind(m).onlyWhenPreferred);
    if (!preferred)
      throw new RampartError('not_found', 'No metrics connection yet: add Prometheus or Datadog in Connections');
    const { metrics: defaultMetrics, variantLabel } = await defaults(preferred.id);
    return {
      id: '',
      flagConnectionId: connectionId,
      flagKey,
      env,
      metricsConnectionId: preferred.id,
      selector: metricsKind(preferred).selectorFor('checkout'),
      variantLabel,
      metrics: defaultMetrics,
      stepSec: 60,
      thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
    };
  }

  return {
    list: (): Watch[] => records.watches.list(),
    get,
    forFlag: (connectionId: string, flagKey: string, env: string): Watch | undefined =>
      records.watches.forFlag(connectionId, flagKey, env) ?? undefined,
    propose,
    defaults,
    metricsConnectionOf,
    /** The saved watch of a flag, else a proposal (not saved). */
    async forFlagOrProposal(
      connectionId: string,
      flagKey: string,
      env: string,
    ): Promise<{ watch: Watch; saved: boolean }> {
      const saved = records.watches.forFlag(connectionId, flagKey, env);
      return saved ? { watch: saved, saved: true } : { watch: await propose(connectionId, flagKey, env), saved: false };
    },
    /** Refuses templates the provider cannot run — per-step queries and the instant ones — before saving. */
    save(watch: Watch): Watch {
      connections.get(watch.flagConnectionId);
      const c = metricsConnectionOf(watch);
      const w = {
        ...watch,
        id: watch.id || `${watch.flagConnectionId}.${watch.flagKey}.${watch.env}`.replace(/[^A-Za-z0-9._-]/g, '_'),
      };
      for (const m of w.metrics) renderWatchTemplate(c, w, m, false);
      for (const t of instantTemplates(w)) renderWatchTemplate(c, w, { name: t.metric, query: t.query }, true, 600);
      records.watches.save(w);
      deps.forgetDecision(w.id);
      return w;
    },
    remove(id: string): boolean {
      deps.forgetDecision(id);
      return records.watches.remove(id);
    },
    /** Every query of an unsaved watch, tried against its provider (watches:preview). */
    async preview(watch: Watch) {
      const c = metricsConnectionOf(watch);
      return previewWatch(
        {
          connection: c,
          provider: connections.metrics(c.id),
          discovery: deps.discovery,
          arms: await deps.arms(watch),
          now: deps.now(),
        },
        watch,
      );
    },
    /** Whether a connection is used by any watch (it cannot be removed then). */
    uses: (connectionId: string): boolean =>
      records.watches.list().some((w) => w.flagConnectionId === connectionId || w.metricsConnectionId === connectionId),
  };
}

export type WatchesService = ReturnType<typeof createWatchesService>;
