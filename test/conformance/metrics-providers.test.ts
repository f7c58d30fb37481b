import { DATADOG_TRAITS, datadogFixture } from './fixtures/datadog';
import { SIMULATED_TRAITS, simulatedFixture } from './fixtures/simulated';
import { describeMetricsProvider } from './metrics-provider-suite';

/**
 * The MetricsProvider conformance suite (issue 13) against the providers whose backend runs in-process or as a
 * documented-shape fake. The real Prometheus runs in test/components/conformance (e2e project).
 */
describeMetricsProvider('Datadog (official client, documented-shape fake)', datadogFixture, {
  traits: DATADOG_TRAITS,
});
describeMetricsProvider("the demo's simulated service", simulatedFixture, {
  traits: SIMULATED_TRAITS,
});
