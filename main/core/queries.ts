import type { Connection, MetricsConnection } from '../../shared/domain/connections';
import type { MetricSpec, Watch } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { renderSimulatedQuery, simulatedMetricSpecs } from '../demo';
import { defaultMetricSpecs as templateSpecs, renderQuery, DEFAULT_VARIANT_LABEL } from '../metrics/templates';

/** The default metric set of a new watch for a metrics provider kind. */
export function defaultMetricSpecs(kind: MetricsConnection['kind']): MetricSpec[] {
  switch (kind) {
    case 'simulated':
      return simulatedMetricSpecs();
    case 'prometheus':
    case 'datadog':
      return templateSpecs(kind);
  }
}

/** Turns a watch's metric spec into the provider's own query language. */
export function renderWatchQuery(c: Connection, watch: Watch, spec: MetricSpec, byVariant: boolean): string {
  switch (c.kind) {
    case 'simulated':
      return renderSimulatedQuery(spec, { selector: watch.selector, byVariant, variantLabel: watch.variantLabel });
    case 'prometheus':
    case 'datadog':
      return renderQuery(spec, { selector: watch.selector, byVariant, variantLabel: watch.variantLabel, kind: c.kind });
    default:
      throw new RampartError('bad_request', `Connection '${c.name}' (${c.kind}) is not a metrics provider this build can query`);
  }
}

/** The variant label a new watch uses by default: OpenTelemetry's attribute as each provider exports it. */
export function defaultVariantLabel(kind: MetricsConnection['kind']): string {
  return kind === 'datadog' ? DEFAULT_VARIANT_LABEL.datadog : DEFAULT_VARIANT_LABEL.prometheus;
}
