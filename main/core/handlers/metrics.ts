import { isMetricsConnection } from '../../../shared/domain/connections';
import type { Watch } from '../../../shared/domain/metrics';
import { RampartError } from '../../../shared/errors';
import type { Core } from '../core';
import { renderWatchQuery } from '../queries';
import type { DomainHandlers } from './types';

/**
 * `metrics:discover`: the provider's metric names and the semantic-convention histograms among them.
 * `metrics:defaults`: its default metric set. `metrics:range`: one of those metrics for a selector no watch holds.
 */
export function metricsHandlers(core: Core): DomainHandlers<'metrics'> {
  const { watches } = core;
  return {
    'metrics:discover': async ({ connectionId, like }) => {
      const c = core.connections.get(connectionId);
      if (!isMetricsConnection(c))
        throw new RampartError('bad_request', `'${connectionId}' is a ${c.kind} flag store, not a metrics connection`);
      return core.discovery.discover(connectionId, like || undefined);
    },
    'metrics:defaults': ({ connectionId }) => watches.defaults(connectionId),
    'metrics:range': async (q) => {
      if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
      const c = watches.metricsConnectionOf({ metricsConnectionId: q.connectionId });
      const { metrics, variantLabel } = await watches.defaults(c.id);
      const spec = metrics.find((m) => m.name === q.metric);
      if (!spec)
        throw new RampartError(
          'bad_request',
          `'${q.metric}' is not a default metric of ${c.id}: one of ${metrics.map((m) => m.name).join(', ')}`,
        );
      // The query a watch with this selector would run, at the step asked for (a watch's step is whole seconds).
      const watch = {
        selector: q.selector,
        variantLabel: q.variantLabel ?? variantLabel,
        stepSec: Math.max(5, Math.round(q.stepMs / 1000)),
      } as Watch;
      const query = renderWatchQuery(c, watch, spec, q.byVariant);
      const got = await core.connections.metrics(c.id).range(query, q.from, q.to, q.stepMs);
      const series = got.map((s) => ({
        labels: s.labels,
        points: Array.from(s.t, (t, i): [number, number | null] => [t, Number.isFinite(s.v[i]) ? s.v[i] : null]),
      }));
      const empty =
        series.length > 0
          ? null
          : await core.discovery
              .whyEmpty(c.id, query)
              .catch(() => ({ message: `no series match ${query}`, suggestions: [] as string[] }));
      return { query, series, empty };
    },
  };
}
