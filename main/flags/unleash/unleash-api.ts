import type { z } from 'zod';
import { defaultHttpDeps, httpJson, safeTarget, type HttpDeps } from '../../net/http-client';
import { parseUnleash } from './unleash-schemas';

/** Per-attempt deadlines (SECURITY.md: reads ≤ 10 s, writes ≤ 15 s). */
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

export type Query = Record<string, string | number | undefined>;

/** The admin API as path → parsed body. Only this file touches the token. */
export function createUnleashApi(opts: UnleashApiOptions) {
  const base = opts.url.replace(/\/+$/, '');
  const http = opts.http ?? defaultHttpDeps;
  const headers = { authorization: opts.token };

  function urlOf(path: string, query?: Query): string {
    const u = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  return {
    urlOf,

    async get<S extends z.ZodType>(path: string, schema: S, query?: Query): Promise<z.infer<S>> {
      const url = urlOf(path, query);
      const res = await httpJson(
        { vendor: 'Unleash', method: 'GET', url, headers, timeoutMs: UNLEASH_READ_TIMEOUT_MS, idempotent: true, maxAttempts: READ_ATTEMPTS },
        http,
      );
      return parseUnleash(schema, res.body, safeTarget('GET', url));
    },

    /**
     * One write. `attempts` > 1 only for calls whose effect is absolute and which Unleash records once however
     * often they arrive (environment on/off); everything else is sent exactly once.
     */
    async write(method: 'POST' | 'PATCH', path: string, body: unknown, attempts = 1): Promise<unknown> {
      const url = urlOf(path);
      const res = await httpJson(
        { vendor: 'Unleash', method, url, headers, body, timeoutMs: UNLEASH_WRITE_TIMEOUT_MS, idempotent: attempts > 1, maxAttempts: attempts },
        http,
      );
      return res.body;
    },
  };
}

export type UnleashApi = ReturnType<typeof createUnleashApi>;

/** `/api/admin/projects/:p/features/:f[/environments/:e]`, each segment encoded. */
export function featurePath(project: string, flagKey: string, env?: string): string {
  const p = `/api/admin/projects/${encodeURIComponent(project)}/features/${encodeURIComponent(flagKey)}`;
  return env === undefined ? p : `${p}/environments/${encodeURIComponent(env)}`;
}
