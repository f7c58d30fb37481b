import type { Connection, FlagConnection, MetricsConnection } from '../../shared/domain/connections';
import { RampartError } from '../../shared/errors';
import type { FlagStore, SecretResolver } from '../flags/flag-store';
import type { MetricsProvider } from '../metrics/metrics-provider';
import { createFlagdStore } from '../flags/flagd';
import { createUnleashStore } from '../flags/unleash';
import { createFlagsmithStore } from '../flags/flagsmith';
import { createLaunchDarklyStore } from '../flags/launchdarkly';
import { createSimulatedProvider } from '../demo';
import { createPrometheusProvider } from '../metrics/prometheus/prometheus-provider';
import { createDatadogProvider } from '../metrics/datadog/datadog-provider';

export interface AdapterDeps {
  secrets: SecretResolver;
  /** Exposure timeline of a flag, for the demo's simulated service: oldest first. */
  timeline: (flagConnectionId: string, flagKey: string) => { at: number; enabled: boolean; exposure: number | null }[];
  now: () => number;
}

function requireSecret(c: Connection, deps: AdapterDeps, which: 'token' | 'appKey', vendor: string): string {
  const s = deps.secrets(c.id, which);
  if (!s) {
    const where = which === 'token' ? c.tokenEnv : c.appKeyEnv;
    throw new RampartError(
      'unauthorized',
      where
        ? `${vendor}: the environment variable ${where} named by connection '${c.name}' is not set`
        : `${vendor}: connection '${c.name}' has no ${which === 'token' ? 'token' : 'application key'} configured`,
    );
  }
  return s;
}

/** Builds the FlagStore for a flag connection. The only place that knows every vendor adapter. */
export function createFlagStoreFor(c: FlagConnection, deps: AdapterDeps): FlagStore {
  switch (c.kind) {
    case 'flagd':
      return createFlagdStore({ connection: c, now: deps.now });
    case 'unleash':
      return createUnleashStore({ connection: c, token: requireSecret(c, deps, 'token', 'Unleash') });
    case 'flagsmith':
      return createFlagsmithStore({ connection: c, token: requireSecret(c, deps, 'token', 'Flagsmith') });
    case 'launchdarkly':
      return createLaunchDarklyStore({ connection: c, token: requireSecret(c, deps, 'token', 'LaunchDarkly') });
  }
}

export function createMetricsProviderFor(c: MetricsConnection, deps: AdapterDeps): MetricsProvider {
  switch (c.kind) {
    case 'simulated':
      return createSimulatedProvider({
        connectionId: c.id,
        timeline: (flagKey: string) => deps.timeline(c.flagConnectionId, flagKey),
        now: deps.now,
      });
    case 'prometheus':
      // Auth is optional for Prometheus: only bearer/basic need the secret.
      return createPrometheusProvider({ connection: c, secret: c.auth === 'none' ? undefined : requireSecret(c, deps, 'token', 'Prometheus') });
    case 'datadog':
      return createDatadogProvider({ connection: c, apiKey: requireSecret(c, deps, 'token', 'Datadog'), appKey: requireSecret(c, deps, 'appKey', 'Datadog') });
  }
}

