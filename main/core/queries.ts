import { isMetricsConnection, type Connection, type MetricsConnection } from '../../shared/domain/connections';
import { watchStepMs, type MetricSpec, type Watch } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { metricsKind } from '../kinds';

/**
 * Fills one of a watch's templates in the provider's own language. `windowSec` is what `{{window}}` stands for:
 * the watch's step for per-step queries (the default), the judged window's length for instant ones.
 */
export function renderWatchTemplate(
  c: Connection,
  watch: Watch,
  template: { name: string; query: string },
  byVariant: boolean,
  windowSec?: number,
): string {
  if (!isMetricsConnection(c))
    throw new RampartError(
      'bad_request',
      `Connection '${c.name}' (${c.kind}) is not a metrics provider this build can query`,
    );
  return metricsKind(c).render(template, {
    selector: watch.selector,
    byVariant,
    variantLabel: watch.variantLabel,
    windowSec: windowSec ?? watchStepMs(watch) / 1000,
  });
}

/** A metric's per-step query: `{{window}}` = the watch's step, so consecutive samples do not overlap. */
export function renderWatchQuery(c: Connection, watch: Watch, spec: MetricSpec, byVariant: boolean): string {
  return renderWatchTemplate(c, watch, spec, byVariant);
}

/** Every instant template of a watch, named for errors and previews: [metric, part, template]. */
export function instantTemplates(
  watch: Watch,
): { metric: string; part: 'buckets' | 'errors' | 'total' | 'units'; query: string }[] {
  const out: { metric: string; part: 'buckets' | 'errors' | 'total' | 'units'; query: string }[] = [];
  for (const m of watch.metrics) {
    if (m.buckets) out.push({ metric: m.name, part: 'buckets', query: m.buckets });
    if (m.counts)
      out.push(
        { metric: m.name, part: 'errors', query: m.counts.errors },
        { metric: m.name, part: 'total', query: m.counts.total },
      );
  }
  if (watch.units) out.push({ metric: 'units', part: 'units', query: watch.units.query });
  return out;
}

/** The variant label a new watch uses by default: OpenTelemetry's attribute as each provider exports it. */
export function defaultVariantLabel(c: MetricsConnection): string {
  return metricsKind(c).variantLabel;
}
