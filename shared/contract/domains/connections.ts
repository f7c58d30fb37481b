import { z } from 'zod';
import { Connection } from '../../domain/connections';
import { Environment, FlagStoreCapabilities } from '../../domain/flags';

export const ConnectionInfo = z.object({
  connection: Connection,
  role: z.enum(['flags', 'metrics', 'notify']),
  /** Whether the secret it names is available to the core right now (never the secret). */
  secretAvailable: z.boolean(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export const connectionRequests = {
  'connections:list': { input: z.object({}).strict(), output: z.array(ConnectionInfo) },
  /**
   * Add a connection, or replace one with `replace: true` — an existing id is never overwritten silently (a typo'd
   * `connections add` must not swap a production store for another). Secrets are never part of this payload.
   */
  'connections:save': {
    input: z.object({ connection: Connection, replace: z.boolean().default(false) }),
    output: ConnectionInfo,
  },
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
  /**
   * Test a connection by contacting it: a flag store lists its environments with the token; Prometheus answers
   * buildinfo and a probe query; Datadog validates the key and answers a probe query. Failure is ok: false.
   */
  'connections:test': {
    input: z.object({ id: z.string() }),
    output: z.object({
      ok: z.boolean(),
      message: z.string(),
      environments: z.array(Environment),
      capabilities: FlagStoreCapabilities.nullable(),
      /** Each thing proved or not, in order; the first failing one says what to fix. */
      checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })).optional(),
    }),
  },
} as const;
