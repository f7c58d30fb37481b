import type * as DatadogClient from '@datadog/datadog-api-client';

let loading: Promise<typeof DatadogClient> | undefined;

/**
 * Datadog's official client takes about a second to load. Only a Datadog connection in use pays for it, so
 * Rampart's cold start (the demo, Prometheus-only teams) does not.
 */
export function datadogClient(): Promise<typeof DatadogClient> {
  loading ??= import('@datadog/datadog-api-client');
  return loading;
}
