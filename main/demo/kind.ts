import type { SimulatedConnection } from '../../shared/kinds/simulated';
import type { MetricsKind } from '../kinds/types';
import { createSimulatedProvider } from './simulated-provider';
import { renderSimulatedQuery, simulatedMetricSpecs, SIMULATED_VARIANT_LABEL } from './simulated-query';

/**
 * The demo's simulated service: traffic computed from its flag connection's exposure timeline. A default watch of
 * that flag connection reads it first; it never stands in for another store's flags.
 */
export const simulatedMain: MetricsKind<SimulatedConnection> = {
  createProvider: (c, deps) =>
    createSimulatedProvider({
      connectionId: c.id,
      timeline: (flagKey: string) => deps.timeline(c.flagConnectionId, flagKey),
      now: deps.now,
    }),
  defaultMetrics: () => simulatedMetricSpecs(),
  selectorFor: (service) => `service=${JSON.stringify(service)}`,
  variantLabel: SIMULATED_VARIANT_LABEL,
  render: (template, i) =>
    renderSimulatedQuery(template, {
      selector: i.selector,
      byVariant: i.byVariant,
      variantLabel: i.variantLabel,
      windowSec: i.windowSec,
    }),
  probeQuery: null,
  preferredFor: (c, flagConnectionId) => c.flagConnectionId === flagConnectionId,
  onlyWhenPreferred: true,
};
