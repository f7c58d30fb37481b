import type { Connection, MetricsConnection } from '../../shared/domain/connections';
import type { MetricSpec, Watch } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { renderSimulatedQuery, simulatedMetricSpecs } from '../demo';

/** The default metric set of a new watch for a metrics provider kind. */
export function defaultMetricSpecs(kind: MetricsConnection['kind']): MetricSpec[] {
  switch (kind) {
    case 'simulated':
      return simulatedMetricSpecs();
    default:
      throw new RampartError('bad_request', `No metric templates for ${kind} in this build`);
  }
}

/** Turns a watch's metric spec into the provider's own query language. */
export function renderWatchQuery(c: Connection, watch: Watch, spec: MetricSpec, byVariant: boolean): string {
  switch (c.kind) {
    case 'simulated':
      return renderSimulatedQuery(spec, { selector: watch.selector, byVariant, variantLabel: watch.variantLabel });
    default:
      throw new RampartError('bad_request', `Connection '${c.name}' (${c.kind}) is not a metrics provider this build can query`);
  }
}
