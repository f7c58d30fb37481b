import { z } from 'zod';
import type { HttpDeps } from '../../net/http-client';
import { createVendorClient, type Query } from '../../net/vendor-client';

/** Per-attempt deadlines (docs/security.md: reads ≤ 10 s, writes ≤ 15 s). */
export const UNLEASH_READ_TIMEOUT_MS = 10_000;
export const UNLEASH_WRITE_TIMEOUT_MS = 15_000;
/** Reads are idempotent: up to 3 attempts with httpJson's capped, jittered backoff (≈0.25 s, ≈0.5 s). */
const READ_ATTEMPTS = 3;

export interface UnleashApiOptions {
  /** Base URL of the Unleash server, with any base path (https://unleash.example.com/unleash). */
  url: string;
  /** Admin API token or personal access token; sent raw in `Authorization` (Unleash takes no `Bearer`). */
  token: string;
  http?: HttpDeps;
}

export type { Query };

/** Per-call read limits, for reads on a latency budget (a rollback's pre-read must not delay its write). */
export interface ReadLimits {
  timeoutMs?: number;
  attempts?: number;
}

/**
 * The admin API as path → parsed body, on the one vendor client (main/net/vendor-client.ts). Only this file
 * touches the token, which the client masks in every error (a server may echo the Authorization header back).
 */
export function createUnleashApi(opts: UnleashApiOptions) {
  const client = createVendorClient({
    vendor: 'Unleash',
    baseUrl: opts.url,
    auth: { authorization: opts.token },
    secrets: [opts.token],
    http: opts.http,
    timeouts: { readMs: UNLEASH_READ_TIMEOUT_MS, writeMs: UNLEASH_WRITE_TIMEOUT_MS },
    readAttempts: READ_ATTEMPTS,
  });

  /** A read that also returns the server's clock (its `Date` header, whole seconds), to place its event times. */
  async function getDated<S extends z.ZodType>(
    path: string,
    schema: S,
    query?: Query,
    limits?: ReadLimits,
  ): Promise<{ body: z.infer<S>; serverDate?: number }> {
    const res = await client.readAnswer(path, schema as z.ZodType<z.infer<S>>, {
      query,
      timeoutMs: limits?.timeoutMs,
      attempts: limits?.attempts,
    });
    const date = Date.parse(res.headers.get('date') ?? '');
    return { body: res.body, ...(Number.isNaN(date) ? {} : { serverDate: date }) };
  }

  return {
    urlOf: client.url,
    getDated,
    /** The local clock the HTTP client uses (a fake one in tests). */
    now: client.now,

    async get<S extends z.ZodType>(path: string, schema: S, query?: Query, limits?: ReadLimits): Promise<z.infer<S>> {
      return (await getDated(path, schema, query, limits)).body;
    },

    /**
     * One write. `attempts` > 1 only for calls whose effect is absolute and which Unleash records once however
     * often they arrive (environment on/off); everything else is sent exactly once.
     */
    write: (method: 'POST' | 'PATCH', path: string, body: unknown, attempts = 1): Promise<unknown> =>
      client.write(method, path, body, z.unknown(), { attempts }),
  };
}

export type UnleashApi = ReturnType<typeof createUnleashApi>;

/** `/api/admin/projects/:p/features/:f[/environments/:e]`, each segment encoded. */
export function featurePath(project: string, flagKey: string, env?: string): string {
  const p = `/api/admin/projects/${encodeURIComponent(project)}/features/${encodeURIComponent(flagKey)}`;
  return env === undefined ? p : `${p}/environments/${encodeURIComponent(env)}`;
}
