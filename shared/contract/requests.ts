import { z } from 'zod';
import { Connection } from '../domain/connections';
import { Environment, FlagChange, FlagState, FlagStoreCapabilities } from '../domain/flags';
import { Staleness, Watch, WireSeries } from '../domain/metrics';
import { BASELINE_KINDS, JudgeInput, JudgeOutput, VerdictExtras, WatchVerdict } from '../domain/verdict';
import { AuditEntry } from '../domain/audit';

const key = z.string().min(1).max(200);
const env = z.string().min(1).max(100);
const epochMs = z.number().int().min(0).max(8.64e15);
/** Every write carries a comment (SECURITY.md): Rampart enforces it where vendors do not. */
const comment = z.string().trim().min(3, 'a comment of at least 3 characters is required').max(1000);
const none = z.object({}).strict();

/** A flag in the one searchable list: one row per connection × flag × environment. */
export const FlagRow = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  connectionKind: z.string(),
  demo: z.boolean(),
  flagKey: z.string(),
  name: z.string(),
  env: z.string(),
  enabled: z.boolean(),
  exposure: z.number().nullable(),
  lastChange: FlagChange.nullable(),
  /** Set when the store could not be reached and the row comes from the last known state. */
  stale: Staleness.nullable(),
});
export type FlagRow = z.infer<typeof FlagRow>;

export const RolloutResult = z.object({
  actionId: z.string(),
  /** The state read back from the store after the write: the confirmation. */
  readBack: z.object({ enabled: z.boolean(), exposure: z.number().nullable() }),
  change: FlagChange,
});
export type RolloutResult = z.infer<typeof RolloutResult>;

export const ConnectionInfo = z.object({
  connection: Connection,
  role: z.enum(['flags', 'metrics']),
  /** Whether the secret it names is available to the core right now (never the secret). */
  secretAvailable: z.boolean(),
});

/**
 * Every request channel: `'<domain>:<verb>'` → { input schema, output schema }.
 * Inputs are validated once, in the registrar, before any handler runs. Outputs are typed, not re-validated.
 */
export const requests = {
  /** Facts about the running core: version, whether the demo workspace is active, the OS user. */
  'app:info': {
    input: none,
    output: z.object({ version: z.string(), user: z.string(), demo: z.boolean(), dataDir: z.string(), door: z.enum(['electron', 'http', 'cli']) }),
  },

  'connections:list': { input: none, output: z.array(ConnectionInfo) },
  /** Add or replace a connection. Secrets are never part of this payload. */
  'connections:save': { input: z.object({ connection: Connection }), output: ConnectionInfo },
  'connections:remove': { input: z.object({ id: z.string() }), output: z.object({ removed: z.boolean() }) },
  /**
   * Hand a token to the core for storage in the OS keychain (Electron only). The secret travels renderer → main
   * once and is never sent back. The browser host and CLI refuse: there a connection names an environment variable.
   */
  'connections:setSecret': {
    input: z.object({
      id: z.string(),
      which: z.enum(['token', 'appKey']),
      secret: z.string().min(1).max(10_000),
      /** Required when the only backend is plaintext (Linux without a keyring). */
      allowPlaintext: z.boolean().default(false),
    }),
    output: z.object({ stored: z.boolean(), backend: z.string() }),
  },
  /** Test a connection by listing its environments (flag stores) or running a probe query (metrics). */
  'connections:test': {
    input: z.object({ id: z.string() }),
    output: z.object({ ok: z.boolean(), message: z.string(), environments: z.array(Environment), capabilities: FlagStoreCapabilities.nullable() }),
  },

  'flags:list': { input: z.object({ connectionId: z.string().optional(), search: z.string().max(200).optional() }), output: z.array(FlagRow) },
  'flags:get': {
    input: z.object({ connectionId: z.string(), flagKey: key }),
    output: z.object({ flag: FlagState, capabilities: FlagStoreCapabilities, stale: Staleness.nullable() }),
  },
  'flags:history': {
    input: z.object({ connectionId: z.string().optional(), flagKey: key.optional(), env: env.optional(), from: epochMs, to: epochMs }),
    output: z.array(FlagChange),
  },
  /** Move exposure to `to` percent. `expected` is the exposure the user saw; a different live value is refused. */
  'flags:ramp': {
    input: z.object({
      connectionId: z.string(),
      flagKey: key,
      env,
      to: z.number().min(0).max(100),
      expected: z.number().min(0).max(100).nullable(),
      comment,
      /** Ramp although the metrics have no data or the verdict fails: explicit, and audited. */
      override: z.boolean().default(false),
    }),
    output: RolloutResult,
  },
  /** Roll back: exposure 0 or flag off in the environment (per connection setting). Never blocked by metrics. */
  'flags:rollback': { input: z.object({ connectionId: z.string(), flagKey: key, env, comment }), output: RolloutResult },

  'watches:list': { input: none, output: z.array(Watch) },
  /** The watch for a flag in an environment, or a proposed default (id '') when none exists yet. */
  'watches:forFlag': {
    input: z.object({ connectionId: z.string(), flagKey: key, env }),
    output: z.object({ watch: Watch, saved: z.boolean() }),
  },
  'watches:save': { input: z.object({ watch: Watch }), output: Watch },
  'watches:remove': { input: z.object({ id: z.string() }), output: z.object({ removed: z.boolean() }) },

  /** Series of a watch over [from, to], downsampled (M4) to at most 4 × width points per series. */
  'series:range': {
    input: z.object({
      watchId: z.string(),
      from: epochMs,
      to: epochMs,
      width: z.number().int().min(10).max(8000),
      metrics: z.array(z.string()).optional(),
    }),
    output: z.object({
      series: z.array(WireSeries),
      stepMs: z.number(),
      stale: Staleness.nullable(),
      errors: z.array(z.object({ metric: z.string(), message: z.string() })),
    }),
  },

  'verdict:get': {
    input: z.object({ watchId: z.string(), baseline: z.enum(BASELINE_KINDS).default('pre'), at: epochMs.optional() }),
    output: WatchVerdict,
  },

  /**
   * "p99 jumped — what changed?": over a window, where a watch's metric shifted (onset), and every flag change from
   * every connection ranked as a suspect by time distance and by the metric's shift around it.
   */
  'incident:analyze': {
    input: z.object({ watchId: z.string(), metric: z.string().default('p99'), from: epochMs, to: epochMs }),
    output: z.object({
      onset: VerdictExtras.shape.onset,
      suspects: VerdictExtras.shape.suspects,
      changes: z.array(FlagChange),
      series: WireSeries,
    }),
  },

  'audit:list': {
    input: z.object({ limit: z.number().int().min(1).max(5000).default(200), flagKey: key.optional(), connectionId: z.string().optional() }),
    output: z.array(AuditEntry),
  },

  /** The pipeline judge (STATISTICS.md), exposed to the UI too. */
  'judge:run': { input: JudgeInput, output: JudgeOutput },
} as const;

export type RequestMap = typeof requests;
export type Channel = keyof RequestMap;
export type RequestOf<C extends Channel> = z.input<RequestMap[C]['input']>;
export type ParsedRequestOf<C extends Channel> = z.output<RequestMap[C]['input']>;
export type ResponseOf<C extends Channel> = z.output<RequestMap[C]['output']>;
