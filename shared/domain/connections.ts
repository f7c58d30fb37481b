import { z } from 'zod';

/** Connection kinds. Flag stores and metrics providers share one list so the Connections view shows both. */
export const FLAG_STORE_KINDS = ['flagd', 'unleash', 'flagsmith', 'launchdarkly'] as const;
export const METRICS_KINDS = ['simulated', 'prometheus', 'datadog'] as const;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, up to 63 characters');
const name = z.string().trim().min(1).max(100);
/** Name of an environment variable holding a secret (browser host and CLI); never the secret itself. */
const envVar = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');
const httpUrl = z
  .string()
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'an http(s) URL');

const base = {
  id,
  name,
  /** Secrets are referenced, never stored in the database: an env var name, or a safeStorage entry in Electron. */
  tokenEnv: envVar.optional(),
  /** A second secret where the vendor needs two (Datadog application key). */
  appKeyEnv: envVar.optional(),
  /** True when a secret is held in the OS keychain (Electron safeStorage) for this connection. */
  hasStoredSecret: z.boolean().optional(),
  demo: z.boolean().optional(),
};

/** A flagd file has no environments; one file serves one environment, named here. */
export const FlagdConnection = z.object({
  ...base,
  kind: z.literal('flagd'),
  file: z.string().min(1),
  environment: z.string().min(1).default('production'),
});
export const UnleashConnection = z.object({
  ...base,
  kind: z.literal('unleash'),
  url: httpUrl,
  project: z.string().min(1).default('default'),
  /** Rollback turns the environment off (default) or sets the rollout to 0. */
  rollbackMode: z.enum(['off', 'zero']).default('off'),
});
export const FlagsmithConnection = z.object({
  ...base,
  kind: z.literal('flagsmith'),
  url: httpUrl.default('https://api.flagsmith.com'),
  project: z.string().min(1),
});
export const LaunchDarklyConnection = z.object({
  ...base,
  kind: z.literal('launchdarkly'),
  url: httpUrl.default('https://app.launchdarkly.com'),
  project: z.string().min(1),
});
export const SimulatedConnection = z.object({ ...base, kind: z.literal('simulated'), flagConnectionId: z.string() });
export const PrometheusConnection = z.object({
  ...base,
  kind: z.literal('prometheus'),
  url: httpUrl,
  auth: z.enum(['none', 'bearer', 'basic']).default('none'),
  username: z.string().optional(),
});
export const DatadogConnection = z.object({
  ...base,
  kind: z.literal('datadog'),
  /** e.g. datadoghq.com, datadoghq.eu, us3.datadoghq.com; or a full URL for a local test server. */
  site: z.string().min(1).default('datadoghq.com'),
  /** Post Rampart's ramps and rollbacks as Datadog events. Off by default. */
  postEvents: z.boolean().default(false),
});

export const Connection = z.discriminatedUnion('kind', [
  FlagdConnection,
  UnleashConnection,
  FlagsmithConnection,
  LaunchDarklyConnection,
  SimulatedConnection,
  PrometheusConnection,
  DatadogConnection,
]);
export type Connection = z.infer<typeof Connection>;
export type ConnectionKind = Connection['kind'];
export type FlagConnection = Extract<Connection, { kind: (typeof FLAG_STORE_KINDS)[number] }>;
export type MetricsConnection = Extract<Connection, { kind: (typeof METRICS_KINDS)[number] }>;

export function isFlagConnection(c: Connection): c is FlagConnection {
  return (FLAG_STORE_KINDS as readonly string[]).includes(c.kind);
}
export function isMetricsConnection(c: Connection): c is MetricsConnection {
  return (METRICS_KINDS as readonly string[]).includes(c.kind);
}
