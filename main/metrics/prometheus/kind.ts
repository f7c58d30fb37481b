import type { PrometheusConnection } from '../../../shared/kinds/prometheus';
import { requireSecret } from '../../kinds/secrets';
import type { MetricsKind } from '../../kinds/types';
import { findRequestHistograms } from '../discovery';
import { DEFAULT_PROM_HISTOGRAM, DEFAULT_VARIANT_LABEL, defaultMetricSpecs, renderQuery } from '../templates';
import { createPrometheusProvider } from './prometheus-provider';

export const prometheusMain: MetricsKind<PrometheusConnection> = {
  createProvider: (c, deps) =>
    createPrometheusProvider({
      connection: c,
      secret: c.auth === 'none' ? undefined : requireSecret(c, deps, 'token'),
    }),
  defaultMetrics: (names) => defaultMetricSpecs('prometheus', names),
  discoverNames: (names) => {
    const found = findRequestHistograms(names)[0];
    return found ? { prometheus: { base: found.base, regex: false, unit: found.unit } } : {};
  },
  selectorFor: (service) => `service=${JSON.stringify(service)}`,
  variantLabel: DEFAULT_VARIANT_LABEL.prometheus,
  render: (template, i) =>
    renderQuery(template, { ...i, kind: 'prometheus', windowSec: Math.max(1, Math.round(i.windowSec)) }),
  // An instant query: does the default request histogram exist at all?
  probeQuery: `count by (__name__) ({__name__=~"${DEFAULT_PROM_HISTOGRAM.base}_count"})`,
  probeWindowSec: 600,
};
