import { rejection } from '../../support/rejection';
import { describe, expect, it } from 'vitest';
import {
  createPrometheusProvider,
  type PrometheusConnection,
} from '../../../main/metrics/prometheus/prometheus-provider';
import type { HttpDeps } from '../../../main/net/http-client';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  form: URLSearchParams;
}

/** A scripted Prometheus: each call takes the next answer; records what was asked. */
function scripted(answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }>) {
  const calls: Call[] = [];
  const sleeps: number[] = [];
  const deps: HttpDeps = {
    fetch: async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      calls.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers,
        form: new URLSearchParams(String(init?.body ?? '')),
      });
      const a = answers[Math.min(calls.length - 1, answers.length - 1)];
      return new Response(JSON.stringify(a.body), {
        status: a.status,
        headers: { 'content-type': 'application/json', ...a.headers },
      });
    },
    sleep: async (ms) => void sleeps.push(ms),
    now: () => 1_700_000_000_000,
    random: () => 0.5,
  };
  return { deps, calls, sleeps };
}

const connection = (over: Partial<PrometheusConnection> = {}): PrometheusConnection => ({
  id: 'prom',
  name: 'Prometheus',
  kind: 'prometheus',
  url: 'http://prom.test:9090/',
  auth: 'none',
  ...over,
});

const matrix = (result: unknown[], warnings?: string[]) => ({
  status: 'success',
  data: { resultType: 'matrix', result },
  ...(warnings ? { warnings } : {}),
});

describe('Prometheus provider', () => {
  it('POSTs the query as a form to /api/v1/query_range with start aligned to the step, end and step in seconds', async () => {
    const s = scripted([{ status: 200, body: matrix([]) }]);
    const p = createPrometheusProvider({
      connection: connection({ url: 'http://prom.test:9090/prefix' }),
      http: s.deps,
    });
    await p.range('up', 1_700_000_010_500, 1_700_000_600_000, 60_000);
    expect(s.calls).toHaveLength(1);
    const [c] = s.calls;
    expect(c.method).toBe('POST');
    expect(c.url).toBe('http://prom.test:9090/prefix/api/v1/query_range');
    expect(c.form.get('query')).toBe('up');
    expect(c.form.get('start')).toBe('1700000040.000'); // first multiple of 60 s at or after `from`
    expect(c.form.get('end')).toBe('1700000600.000');
    expect(c.form.get('step')).toBe('60');
    expect(c.form.get('timeout')).toBe('10s');
    expect(c.headers.authorization).toBeUndefined();
    expect(p.capabilities()).toEqual({ maxPointsPerSeries: 11_000, nativePercentiles: true, timeUnit: 's' });
  });

  it('widens the step for a long range so Prometheus does not refuse it', async () => {
    const s = scripted([{ status: 200, body: matrix([]) }]);
    const p = createPrometheusProvider({ connection: connection(), http: s.deps });
    await p.range('up', 0, 7 * 86_400_000, 1000);
    const step = Number(s.calls[0].form.get('step'));
    expect(step).toBe(55); // 7 d / 10,999 = 54.99 s → 55 s
    expect((7 * 86_400) / step).toBeLessThanOrEqual(11_000);
  });

  it('turns string samples into numbers; NaN, +Inf and -Inf become NaN (never 0); gaps on the grid are NaN', async () => {
    const t0 = 1_700_000_040; // seconds, a multiple of 60
    const s = scripted([
      {
        status: 200,
        body: matrix([
          {
            metric: { feature_flag_result_variant: 'on' },
            values: [
              [t0, '1.5'],
              [t0 + 60, 'NaN'],
              [t0 + 120, '+Inf'],
              [t0 + 180, '-Inf'],
              [t0 + 300, '2e-3'],
            ],
          },
          { metric: { feature_flag_result_variant: 'off' }, values: [[t0 + 60, '0']] },
        ]),
      },
    ]);
    const p = createPrometheusProvider({ connection: connection(), http: s.deps });
    const series = await p.range('q', t0 * 1000, (t0 + 300) * 1000, 60_000);
    expect(series).toHaveLength(2);
    const [on, off] = series;
    expect(on.labels).toEqual({ feature_flag_result_variant: 'on' });
    expect(Array.from(on.t)).toEqual([0, 60, 120, 180, 240, 300].map((d) => (t0 + d) * 1000));
    expect(on.v[0]).toBe(1.5);
    expect(on.v[1]).toBeNaN();
    expect(on.v[2]).toBeNaN();
    expect(on.v[3]).toBeNaN();
    expect(on.v[4]).toBeNaN(); // no sample at t0+240: a gap, not a zero
    expect(on.v[5]).toBeCloseTo(0.002, 12);
    expect(on.v).toBeInstanceOf(Float64Array);
    expect(Array.from(off.v).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(['NaN', 0, 'NaN', 'NaN', 'NaN', 'NaN']);
  });

  it('sends bearer or basic auth, and never puts the secret in an error message', async () => {
    const secret = 's3cr3t-token-value';
    const bearer = scripted([{ status: 200, body: matrix([]) }]);
    await createPrometheusProvider({ connection: connection({ auth: 'bearer' }), secret, http: bearer.deps }).range(
      'up',
      0,
      60_000,
      60_000,
    );
    expect(bearer.calls[0].headers.authorization).toBe(`Bearer ${secret}`);

    const basic = scripted([{ status: 401, body: 'Unauthorized' }]);
    const p = createPrometheusProvider({
      connection: connection({ auth: 'basic', username: 'rampart' }),
      secret,
      http: basic.deps,
    });
    const err = await rejection(p.range('up', 0, 60_000, 60_000));
    expect(basic.calls[0].headers.authorization).toBe(`Basic ${Buffer.from(`rampart:${secret}`).toString('base64')}`);
    expect(err.code).toBe('unauthorized');
    expect(err.message).toContain('Prometheus');
    expect(err.message).not.toContain(secret);
    expect(JSON.stringify(err.details ?? {})).not.toContain(secret);
  });

  it('refuses a URL with credentials in it (fetch would echo them in its error)', () => {
    const s = scripted([{ status: 200, body: matrix([]) }]);
    expect(() =>
      createPrometheusProvider({
        connection: connection({ url: 'http://admin:hunter2@prom.test:9090' }),
        http: s.deps,
      }),
    ).toThrow(/credentials in its URL/);
    try {
      createPrometheusProvider({
        connection: connection({ url: 'http://admin:hunter2@prom.test:9090' }),
        http: s.deps,
      });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('refuses to call without the secret its auth mode needs', async () => {
    const s = scripted([{ status: 200, body: matrix([]) }]);
    const err = await rejection(
      createPrometheusProvider({ connection: connection({ auth: 'bearer' }), http: s.deps }).range(
        'up',
        0,
        60_000,
        60_000,
      ),
    );
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(/bearer auth but no secret/);
    expect(s.calls).toHaveLength(0);
  });

  it('turns the bad_data error envelope into a clear bad_request naming the error and showing the PromQL', async () => {
    const query = 'rate(http_server_request_duration_seconds_count)';
    const s = scripted([
      {
        status: 400,
        body: {
          status: 'error',
          errorType: 'bad_data',
          error: '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
        },
      },
    ]);
    const err = await rejection(
      createPrometheusProvider({ connection: connection(), http: s.deps }).range(query, 0, 60_000, 60_000),
    );
    expect(err.code).toBe('bad_request');
    expect(err.message).toContain('bad_data');
    expect(err.message).toContain('expected type range vector');
    expect(err.message).toContain(`PromQL: ${query}`);
    expect(s.calls).toHaveLength(1); // a bad query is not retried
  });

  it('maps execution (422) to bad_request and a server-side timeout (503) to timeout after retrying', async () => {
    const exec = scripted([
      {
        status: 422,
        body: { status: 'error', errorType: 'execution', error: 'found duplicate series for the match group' },
      },
    ]);
    const e1 = await rejection(
      createPrometheusProvider({ connection: connection(), http: exec.deps }).range('a / on() b', 0, 60_000, 60_000),
    );
    expect(e1.code).toBe('bad_request');
    expect(e1.message).toMatch(/execution.*duplicate series.*PromQL: a \/ on\(\) b/);

    const slow = scripted([
      {
        status: 503,
        body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' },
        headers: { 'retry-after': '2' },
      },
    ]);
    const e2 = await rejection(
      createPrometheusProvider({ connection: connection(), http: slow.deps, maxAttempts: 3 }).range(
        'up',
        0,
        60_000,
        60_000,
      ),
    );
    expect(e2.code).toBe('timeout');
    expect(e2.message).toContain('query timed out');
    expect(slow.calls).toHaveLength(3);
    expect(slow.sleeps.every((ms) => ms >= 2000)).toBe(true); // Retry-After honoured
  });

  it('retries a transient 502 and then returns the data', async () => {
    const s = scripted([
      { status: 502, body: 'Bad Gateway' },
      { status: 200, body: matrix([{ metric: {}, values: [[60, '1']] }]) },
    ]);
    const series = await createPrometheusProvider({ connection: connection(), http: s.deps }).range(
      'vector(1)',
      60_000,
      60_000,
      60_000,
    );
    expect(s.calls).toHaveLength(2);
    expect(Array.from(series[0].v)).toEqual([1]);
  });

  it('rejects a malformed success body with vendor_error instead of guessing', async () => {
    const numbersNotStrings = scripted([{ status: 200, body: matrix([{ metric: {}, values: [[60, 1]] }]) }]);
    const e1 = await rejection(
      createPrometheusProvider({ connection: connection(), http: numbersNotStrings.deps }).range(
        'up',
        60_000,
        60_000,
        60_000,
      ),
    );
    expect(e1.code).toBe('vendor_error');
    expect(e1.message).toMatch(/malformed query_range response/);

    const vector = scripted([{ status: 200, body: { status: 'success', data: { resultType: 'vector', result: [] } } }]);
    const e2 = await rejection(
      createPrometheusProvider({ connection: connection(), http: vector.deps }).range('up', 60_000, 60_000, 60_000),
    );
    expect(e2.code).toBe('vendor_error');

    const garbage = scripted([{ status: 200, body: matrix([{ metric: {}, values: [[60, 'twelve']] }]) }]);
    const e3 = await rejection(
      createPrometheusProvider({ connection: connection(), http: garbage.deps }).range('up', 60_000, 60_000, 60_000),
    );
    expect(e3.code).toBe('vendor_error');
  });

  it('surfaces Prometheus warnings to the caller', async () => {
    const s = scripted([{ status: 200, body: matrix([], ['remote read: partial data']) }]);
    const seen: Array<[string[], string]> = [];
    await createPrometheusProvider({
      connection: connection(),
      http: s.deps,
      onWarnings: (w, q) => void seen.push([w, q]),
    }).range('up', 0, 60_000, 60_000);
    expect(seen).toEqual([[['remote read: partial data'], 'up']]);
  });

  it('rejects an empty query and a reversed range before calling', async () => {
    const s = scripted([{ status: 200, body: matrix([]) }]);
    const p = createPrometheusProvider({ connection: connection(), http: s.deps });
    expect((await rejection(p.range('  ', 0, 1, 1000))).code).toBe('bad_request');
    expect((await rejection(p.range('up', 10, 0, 1000))).code).toBe('bad_request');
    expect(s.calls).toHaveLength(0);
  });
});
