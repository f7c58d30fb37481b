import { describe } from 'vitest';
import { caseRegistrar, useFixture } from './cases';
import { createErrorRecorder } from './error-recorder';
import { metricsCases } from './metrics-provider-cases';
import type { MetricsContext, MetricsProviderFixture, MetricsSuiteOptions } from './metrics-provider-fixture';

export type { MetricsProviderFixture, MetricsProviderTraits } from './metrics-provider-fixture';

/**
 * The one conformance suite every MetricsProvider passes (issue 13), against main/metrics/metrics-provider.ts:
 * capabilities that match the methods offered, range answers on the asked step, a coarser step instead of an error
 * when more than maxPointsPerSeries points are asked, NaN/±Inf/missing points as NaN gaps exactly where the data has
 * them, refused queries and ranges as bad_request naming the provider and the query, instant queries and discovery
 * (names, suggestions) where supported, malformed answers as vendor_error, and no credential in any error.
 */
export function describeMetricsProvider(
  name: string,
  makeFixture: () => Promise<MetricsProviderFixture>,
  options: MetricsSuiteOptions,
): void {
  describe(`MetricsProvider conformance: ${name}`, () => {
    const recorder = createErrorRecorder();
    const c = { errors: recorder.errors, traits: options.traits } as MetricsContext;
    useFixture(makeFixture, (fx) => {
      c.fx = fx;
      c.provider = recorder.wrap(fx.provider);
    });

    const r = caseRegistrar(name, options.defects, options.timeoutMs);
    metricsCases(r, c);
    r.checkDefects();
  });
}
