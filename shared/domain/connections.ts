import { z } from 'zod';
import { KINDS, kindsWithRole, type KindsWithRole } from '../kinds';
import { FlagdConnection } from '../kinds/flagd';
import { UnleashConnection } from '../kinds/unleash';
import { FlagsmithConnection } from '../kinds/flagsmith';
import { LaunchDarklyConnection } from '../kinds/launchdarkly';
import { GrowthBookConnection } from '../kinds/growthbook';
import { SimulatedConnection } from '../kinds/simulated';
import { PrometheusConnection } from '../kinds/prometheus';
import { DatadogConnection } from '../kinds/datadog';
import { SlackConnection } from '../kinds/slack';
import { WebhookConnection } from '../kinds/webhook';
import { PagerDutyConnection } from '../kinds/pagerduty';
import { GrafanaConnection } from '../kinds/grafana';
import { AlertmanagerConnection } from '../kinds/alertmanager';

/**
 * Connections: flag stores, metrics providers and notification targets in one list, so the Connections view shows
 * them all. Each kind's schema lives in its own file under shared/kinds/ with its form fields and CLI options;
 * the union below is the contract, and shared/kinds/index.ts the registry typed against it.
 */
export {
  FlagdConnection,
  UnleashConnection,
  FlagsmithConnection,
  LaunchDarklyConnection,
  SimulatedConnection,
  PrometheusConnection,
  DatadogConnection,
  SlackConnection,
  WebhookConnection,
  PagerDutyConnection,
  GrafanaConnection,
  AlertmanagerConnection,
};

/**
 * The env-var rule (docs/security.md): a connection may name only a variable the user opted in — one starting with
 * RAMPART_, or one listed at launch (RAMPART_ALLOW_ENV=A,B or --allow-env A). Otherwise "Test" against a server that
 * echoes credentials would read out any variable of the process. null when allowed, else why not and what to do.
 */
export const ENV_VAR_PREFIX = 'RAMPART_';
export function envVarRefusal(name: string, allowlist: readonly string[]): string | null {
  if (name.startsWith(ENV_VAR_PREFIX) && name.length > ENV_VAR_PREFIX.length) return null;
  if (allowlist.includes(name)) return null;
  return (
    `Rampart reads only environment variables named ${ENV_VAR_PREFIX}… or allowed at launch, and ${name} is neither: ` +
    `rename it (e.g. ${ENV_VAR_PREFIX}${name}) or start Rampart with RAMPART_ALLOW_ENV=${name} (or --allow-env ${name})`
  );
}

export const Connection = z.discriminatedUnion('kind', [
  FlagdConnection,
  UnleashConnection,
  FlagsmithConnection,
  LaunchDarklyConnection,
  GrowthBookConnection,
  SimulatedConnection,
  PrometheusConnection,
  DatadogConnection,
  SlackConnection,
  WebhookConnection,
  PagerDutyConnection,
  GrafanaConnection,
  AlertmanagerConnection,
]);
export type Connection = z.infer<typeof Connection>;
export type ConnectionKind = Connection['kind'];
export type FlagConnection = Extract<Connection, { kind: KindsWithRole<'flags'> }>;
export type MetricsConnection = Extract<Connection, { kind: KindsWithRole<'metrics'> }>;
export type NotifyConnection = Extract<Connection, { kind: KindsWithRole<'notify'> }>;

/** The kinds of each role, in registry order (the form's kind list). */
export const FLAG_STORE_KINDS = kindsWithRole('flags');
export const METRICS_KINDS = kindsWithRole('metrics');
export const NOTIFY_KINDS = kindsWithRole('notify');

export function isFlagConnection(c: Connection): c is FlagConnection {
  return KINDS[c.kind].role === 'flags';
}
export function isMetricsConnection(c: Connection): c is MetricsConnection {
  return KINDS[c.kind].role === 'metrics';
}
export function isNotifyConnection(c: Connection): c is NotifyConnection {
  return KINDS[c.kind].role === 'notify';
}
