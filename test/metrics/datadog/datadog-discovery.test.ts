import { describe, expect, it } from 'vitest';
import { createDatadogProvider } from '../../../main/metrics/datadog/datadog-provider';
import type { HttpDeps } from '../../../main/net/http-client';

/** A Datadog API answering by path with the documented shapes; records what was asked. */
function byPath(routes: Record<string, { status?: number; body: unknown }>) {
  const asked: { path: string; query: string; headers: Record<string, string> }[] = [];
  const http: HttpDeps = {
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      asked.push({ path: url.pathname, query: url.searchParams.toString(), headers });
      const r = routes[url.pathname] ?? { status: 404, body: { errors: ['Not found'] } };
      return new Response(JSON.stringify(r.body), {
        status: r.status ?? 200,
        headers: { 'content-type': 'application/json' },
      });
    },
    sleep: async () => undefined,
    now: () => 1_700_000_000_000,
    random: () => 0.5,
  };
  const provider = createDatadogProvider({
    connection: { id: 'dd', name: 'DD', kind: 'datadog', site: 'datadoghq.eu', postEvents: false },
    apiKey: 'api-key-0123',
    appKey: 'app-key-4567',
    deps: { http },
  });
  return { provider, asked };
}

const series = (n: number) => ({
  data: {
    type: 'timeseries_response',
    attributes: {
      series: Array.from({ length: n }, () => ({
        group_tags: ['feature_flag.result.variant:on'],
        query_index: 0,
        unit: null,
      })),
      times: [1_700_000_000_000],
      values: Array.from({ length: n }, () => [1]),
    },
  },
});

describe('Datadog metric search and the connection check', () => {
  it('searches metric names (GET /api/v1/search?q=metrics:…) — the HTTP conventions by default', async () => {
    const s = byPath({
      '/api/v1/search': { body: { results: { metrics: ['http.server.request.duration', 'http.server.duration'] } } },
    });
    const names = await s.provider.listMetrics(undefined, undefined);
    expect(names.map((n) => n.name)).toEqual(['http.server.request.duration', 'http.server.duration']);
    expect(s.asked[0]).toMatchObject({ path: '/api/v1/search', query: 'q=metrics%3Ahttp.server' });
    await s.provider.listMetrics(undefined, 'checkout.latency');
    expect(s.asked[1].query).toBe('q=metrics%3Acheckout.latency');
  });

  it('check: the API key validates, then the probe query returns series with data', async () => {
    const s = byPath({
      '/api/v1/validate': { body: { valid: true } },
      '/api/v2/query/timeseries': { body: series(2) },
    });
    const checks = await s.provider.check!(
      'p99:http.server.request.duration{service:checkout} by {feature_flag.result.variant}',
    );
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['API key', true],
      ['probe query', true],
    ]);
    expect(s.asked[0].headers['dd-api-key']).toBe('api-key-0123');
    expect(JSON.stringify(checks)).not.toMatch(/api-key-0123|app-key-4567/);
  });

  it('check fails with what failed: a rejected key, or a probe query with nothing in it', async () => {
    const bad = byPath({ '/api/v1/validate': { status: 403, body: { errors: ['Forbidden'] } } });
    expect(await bad.provider.check!('p99:x{*}')).toEqual([
      { name: 'API key', ok: false, detail: expect.stringMatching(/Datadog rejected the API key \(HTTP 403/) },
    ]);
    const empty = byPath({
      '/api/v1/validate': { body: { valid: true } },
      '/api/v2/query/timeseries': { body: series(0) },
    });
    expect((await empty.provider.check!('p99:nothing{*}'))[1]).toEqual({
      name: 'probe query',
      ok: false,
      detail: 'no series match p99:nothing{*} in the last 15 min',
    });
  });
});
