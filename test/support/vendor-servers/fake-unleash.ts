import type { HttpDeps } from '../../../main/net/http-client';
import { UnleashConnection } from '../../../shared/domain/connections';

/** A scripted Unleash for unit tests: each request is matched by `METHOD path` (no query) against handlers in order. */
export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'reset';
type Handler = (call: RecordedCall) => Reply;

export const TOKEN = '*:*.0123456789abcdef0123456789abcdef';
export const connection = UnleashConnection.parse({
  id: 'unleash-test',
  name: 'Unleash test',
  kind: 'unleash',
  url: 'http://unleash.test:4242/',
});

export function fakeUnleash() {
  const routes: { key: string; handler: Handler }[] = [];
  const calls: RecordedCall[] = [];

  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    // The latest handler for a route wins, so a test can override one of a prepared fake's routes.
    const route = routes.findLast((r) => r.key === `${call.method} ${call.path}`);
    const reply: Reply = route
      ? route.handler(call)
      : { status: 404, body: { name: 'NotFoundError', message: `no route ${call.method} ${call.path}` } };
    if (reply === 'reset') throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return new Response(text, {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  };

  const http: HttpDeps = { fetch: fetchImpl as typeof fetch, sleep: async () => {}, now: () => 0, random: () => 0 };

  return {
    http,
    calls,
    on(method: string, path: string, handler: Handler | Reply) {
      routes.push({ key: `${method} ${path}`, handler: typeof handler === 'function' ? handler : () => handler });
    },
    writes: () => calls.filter((c) => c.method !== 'GET'),
  };
}
