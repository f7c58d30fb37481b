import type { DatadogConnection } from '../../../shared/kinds/datadog';
import { requireSecret } from '../../kinds/secrets';
import type { MetricsKind } from '../../kinds/types';
import { DEFAULT_VARIANT_LABEL, defaultMetricSpecs, renderQuery } from '../templates';
import { createDatadogProvider } from './datadog-provider';

export const datadogMain: MetricsKind<DatadogConnection> = {
  createProvider: (c, deps) =>
    createDatadogProvider({
      connection: c,
      apiKey: requireSecret(c, deps, 'token'),
      appKey: requireSecret(c, deps, 'appKey'),
    }),
  defaultMetrics: (names) => defaultMetricSpecs('datadog', names),
  selectorFor: (service) => `service:${service}`,
  variantLabel: DEFAULT_VARIANT_LABEL.datadog,
  render: (template, i) =>
    renderQuery(template, { ...i, kind: 'datadog', windowSec: Math.max(1, Math.round(i.windowSec)) }),
  probeQuery: 'count:http.server.request.duration{*}.as_count().rollup(60)',
  probeWindowSec: 600,
  postsChangeEvents: (c) => c.postEvents,
};
