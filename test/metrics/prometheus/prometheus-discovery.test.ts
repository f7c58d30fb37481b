import { describe, expect, it } from 'vitest';
import { createPrometheusProvider } from '../../../main/metrics/prometheus/prometheus-provider';
import type { HttpDeps } from '../../../main/net/http-client';

/** A Prometheus answering by path; records what was asked. A path it does not know gets a 404 page. */
function byPath(routes: Record<string, { status?: number; body: unknown } | Error>) {
  const calls: { path: string; method: string; form: URLSearchParams }[] = [];
  const deps: HttpDeps = {
    fetch: async (input, init) => {
      const url = new URL(String(input));
      calls.push({
        path: url.pathname,
        method: init?.method ?? 'GET',
        form: new URLSearchParams(String(init?.body ?? '')),
      });
      const r = routes[url.pathname];
      if (r instanceof Error) throw r;
      if (!r)
        return new Response('<html>404 page not found</html>', {
          status: 404,
          headers: { 'content-type': 'text/html' },
        });
      return new Response(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), {
        status: r.status ?? 200,
        headers: { 'content-type': typeof r.body === 'string' ? 'text/html' : 'application/json' },
      });
    },
    sleep: async () => undefined,
    now: () => 1_700_000_000_000,
    random: () => 0.5,
  };
  return { deps, calls };
}

const connection = {
  id: 'prom',
  name: 'Prometheus',
  kind: 'prometheus' as const,
  url: 'http://prom.test:9090/',
  auth: 'none' as const,
};
const buildinfo = {
  status: 'success',
  data: { version: '2.42.0+ds', revision: 'x', branch: 'debian/sid', goVersion: 'go1.19.8' },
};

describe('Prometheus instant queries, names and the connection check', () => {
  it('an instant query POSTs query and time to /api/v1/query; vectors and scalars become samples, NaN stays NaN', async () => {
    const s = byPath({
      '/api/v1/query': {
        body: {
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { le: '0.1', v: 'on' }, value: [1_700_000_000, '12'] },
              { metric: { le: '+Inf', v: 'on' }, value: [1_700_000_000, 'NaN'] },
            ],
          },
        },
      },
    });
    const p = createPrometheusProvider({ connection, http: s.deps });
    const got = await p.instant!('sum by (le, v) (increase(x_bucket[600s]))', 1_700_000_000_000);
    expect(s.calls[0]).toMatchObject({ path: '/api/v1/query', method: 'POST' });
    expect(s.calls[0].form.get('time')).toBe('1700000000.000');
    expect(got[0]).toEqual({ labels: { le: '0.1', v: 'on' }, value: 12 });
    expect(got[1].value).toBeNaN();
    const scalar = byPath({
      '/api/v1/query': { body: { status: 'success', data: { resultType: 'scalar', result: [1_700_000_000, '3'] } } },
    });
    expect(await createPrometheusProvider({ connection, http: scalar.deps }).instant!('3', 1_700_000_000_000)).toEqual([
      { labels: {}, value: 3 },
    ]);
  });

  it('lists names from label values, with types from metadata when targets declared them (none is not an error)', async () => {
    const s = byPath({
      '/api/v1/label/__name__/values': {
        body: { status: 'success', data: ['http_server_request_duration_bucket', 'up'] },
      },
      '/api/v1/metadata': {
        body: {
          status: 'success',
          data: {
            http_server_request_duration: [{ type: 'histogram', help: 'Duration of HTTP server requests.', unit: '' }],
          },
        },
      },
    });
    const names = await createPrometheusProvider({ connection, http: s.deps }).listMetrics!();
    expect(names).toEqual([
      {
        name: 'http_server_request_duration_bucket',
        type: 'histogram',
        unit: null,
        help: 'Duration of HTTP server requests.',
      },
      { name: 'up', type: null, unit: null, help: null },
    ]);
    const bare = byPath({ '/api/v1/label/__name__/values': { body: { status: 'success', data: ['up'] } } });
    expect(await createPrometheusProvider({ connection, http: bare.deps }).listMetrics!()).toEqual([
      { name: 'up', type: null, unit: null, help: null },
    ]);
  });

  it('check: buildinfo proves it is Prometheus, then the probe query must match series', async () => {
    const ok = byPath({
      '/api/v1/status/buildinfo': { body: buildinfo },
      '/api/v1/query': {
        body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }] } },
      },
    });
    expect(await createPrometheusProvider({ connection, http: ok.deps }).check!('up')).toEqual([
      { name: 'Prometheus API', ok: true, detail: 'Prometheus 2.42.0+ds answers /api/v1/status/buildinfo' },
      { name: 'probe query', ok: true, detail: '1 series match up' },
    ]);
    const empty = byPath({
      '/api/v1/status/buildinfo': { body: buildinfo },
      '/api/v1/query': { body: { status: 'success', data: { resultType: 'vector', result: [] } } },
    });
    expect((await createPrometheusProvider({ connection, http: empty.deps }).check!('nothing_here'))[1]).toEqual({
      name: 'probe query',
      ok: false,
      detail: 'no series match nothing_here',
    });
  });

  it('check fails in plain words for a web server that is not Prometheus, a JSON API that is not, a closed port and a typo in the host', async () => {
    const notProm = await createPrometheusProvider({ connection, http: byPath({}).deps }).check!('up');
    expect(notProm).toEqual([
      {
        name: 'Prometheus API',
        ok: false,
        detail: expect.stringMatching(/HTTP 404 for \/api\/v1\/status\/buildinfo: this URL is not a Prometheus API/),
      },
    ]);
    const otherJson = await createPrometheusProvider({
      connection,
      http: byPath({ '/api/v1/status/buildinfo': { body: { hello: 'world' } } }).deps,
    }).check!('up');
    expect(otherJson[0].detail).toMatch(/not as Prometheus does/);
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const closed = await createPrometheusProvider({
      connection,
      http: byPath({ '/api/v1/status/buildinfo': refused }).deps,
    }).check!('up');
    expect(closed[0].detail).toBe(
      'nothing listens at prom.test:9090 (connection refused): check the port, or whether the server runs',
    );
    const dns = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    const typo = await createPrometheusProvider({ connection, http: byPath({ '/api/v1/status/buildinfo': dns }).deps })
      .check!('up');
    expect(typo[0].detail).toBe('host prom.test not found (DNS lookup failed): check the spelling of the URL');
    // The check never throws, and a 401 says the credentials were refused.
    const denied = await createPrometheusProvider({
      connection,
      http: byPath({ '/api/v1/status/buildinfo': { status: 401, body: 'Unauthorized' } }).deps,
    }).check!('up');
    expect(denied[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/refused the credentials/) });
  });
});
