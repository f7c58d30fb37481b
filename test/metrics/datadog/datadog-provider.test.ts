import { rejection } from '../../support/rejection';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDatadogProvider,
  type DatadogConnection,
  type DatadogProviderDeps,
} from '../../../main/metrics/datadog/datadog-provider';
import { defaultMetricSpecs, renderQuery } from '../../../main/metrics/templates';
import { defaultHttpDeps } from '../../../main/net/http-client';
import { startFakeDatadog, type FakeDatadog } from '../../support/vendor-servers/fake-datadog/server';

const T0 = 1_700_000_040_000; // a whole minute, epoch ms
const MIN = 60_000;
const VARIANT = 'feature_flag.result.variant';
const render = (name: string, byVariant = true) => {
  const spec = defaultMetricSpecs('datadog').find((s) => s.name === name);
  if (!spec) throw new Error(name);
  return renderQuery(spec, { selector: 'service:checkout', byVariant, kind: 'datadog', windowSec: 60 });
};
const P99_A = `p99:http.server.request.duration{service:checkout} by {${VARIANT}}.rollup(60)`;
const ERR_A = `count:http.server.request.duration{http.response.status_code:5*,service:checkout} by {${VARIANT}}.as_count().rollup(60)`;
const ERR_B = `count:http.server.request.duration{service:checkout} by {${VARIANT}}.as_count().rollup(60)`;

let fake: FakeDatadog;
let sleeps: number[];

beforeEach(async () => {
  fake = await startFakeDatadog();
  sleeps = [];
  fake.define(P99_A, [
    {
      tags: [`${VARIANT}:on`],
      points: [
        [T0, 0.25],
        [T0 + MIN, null],
        [T0 + 2 * MIN, 0.4],
      ],
    },
    {
      tags: [`${VARIANT}:off`],
      points: [
        [T0, 0.2],
        [T0 + MIN, 0.21],
        [T0 + 2 * MIN, 0.19],
      ],
    },
  ]);
  fake.define(ERR_A, [
    {
      tags: [`${VARIANT}:on`],
      points: [
        [T0, 3],
        [T0 + MIN, 18],
      ],
    },
  ]);
  fake.define(ERR_B, [
    {
      tags: [`${VARIANT}:on`],
      points: [
        [T0, 600],
        [T0 + MIN, 600],
      ],
    },
    {
      tags: [`${VARIANT}:off`],
      points: [
        [T0, 1800],
        [T0 + MIN, 0],
      ],
    },
  ]);
});
afterEach(async () => {
  await fake.close();
});

const connection = (site: string): DatadogConnection => ({
  id: 'dd',
  name: 'Datadog',
  kind: 'datadog',
  site,
  postEvents: true,
});
const provider = (deps: DatadogProviderDeps = {}, keys: { apiKey?: string; appKey?: string } = {}) =>
  createDatadogProvider({
    connection: connection(fake.url),
    apiKey: keys.apiKey ?? fake.apiKey,
    appKey: keys.appKey ?? fake.appKey,
    deps: { http: { ...defaultHttpDeps, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 }, ...deps },
  });
const values = (v: Float64Array) => Array.from(v).map((x) => (Number.isNaN(x) ? 'NaN' : Math.round(x * 1e9) / 1e9));

describe('Datadog provider — v2 timeseries (main path)', () => {
  it('POSTs /api/v2/query/timeseries with from/to/interval in MILLISECONDS, both keys, and the p99 formula', async () => {
    const series = await provider().range(render('p99'), T0, T0 + 3 * MIN, MIN);
    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0];
    expect([r.method, r.path]).toEqual(['POST', '/api/v2/query/timeseries']);
    expect(r.headers['dd-api-key']).toBe(fake.apiKey);
    expect(r.headers['dd-application-key']).toBe(fake.appKey);
    expect(r.body).toEqual({
      data: {
        type: 'timeseries_request',
        attributes: {
          from: T0,
          to: T0 + 3 * MIN,
          interval: MIN,
          queries: [{ data_source: 'metrics', name: 'a', query: P99_A }],
          formulas: [{ formula: '1000 * a' }],
        },
      },
    });
    expect(series.map((s) => s.labels)).toEqual([{ [VARIANT]: 'on' }, { [VARIANT]: 'off' }]);
    expect(Array.from(series[0].t)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    expect(values(series[0].v)).toEqual([250, 'NaN', 400]); // null from Datadog → NaN, never 0
    expect(values(series[1].v)).toEqual([200, 210, 190]);
  });

  it('computes the error ratio as a server-side formula of two counts, matched per variant', async () => {
    const series = await provider().range(render('error_ratio'), T0, T0 + 2 * MIN, MIN);
    const body = fake.requests[0].body as {
      data: { attributes: { queries: Array<{ name: string; query: string }>; formulas: unknown } };
    };
    expect(body.data.attributes.queries).toEqual([
      { data_source: 'metrics', name: 'a', query: ERR_A },
      { data_source: 'metrics', name: 'b', query: ERR_B },
    ]);
    expect(body.data.attributes.formulas).toEqual([{ formula: 'a / b' }]);
    expect(series).toHaveLength(1); // "off" has no 5xx series at all: Datadog returns no ratio for it
    expect(values(series[0].v)).toEqual([0.005, 0.03]);
  });

  it('widens the interval so a series stays within 1,500 points', async () => {
    await provider().range(render('p99'), T0, T0 + 30 * 86_400_000, MIN);
    const interval = (fake.requests[0].body as { data: { attributes: { interval: number } } }).data.attributes.interval;
    expect(interval).toBe(1_730_000); // 2,592,000 s / 1,499 = 1,729.15 s → 1,730 s
    expect(provider().capabilities()).toEqual({ maxPointsPerSeries: 1500, nativePercentiles: true, timeUnit: 'ms' });
  });

  it('switches to v1 when the v2 endpoint is missing (404) and stays there', async () => {
    fake.inject({ endpoint: 'timeseries', status: 404, body: { errors: ['Not found'] } });
    const p = provider();
    await p.range(render('p99'), T0, T0 + 3 * MIN, MIN);
    await p.range(render('p99'), T0, T0 + 3 * MIN, MIN);
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/v2/query/timeseries', '/api/v1/query', '/api/v1/query']);
  });
});

describe('Datadog provider — v1 query (option / fallback)', () => {
  it('GETs /api/v1/query with from/to in SECONDS, the formula expanded to metric arithmetic, points back in ms', async () => {
    const series = await provider({ api: 'v1' }).range(render('p99'), T0 + 500, T0 + 3 * MIN, MIN);
    const r = fake.requests[0];
    expect([r.method, r.path]).toEqual(['GET', '/api/v1/query']);
    expect(r.query.get('from')).toBe(String((T0 + 500 - 500) / 1000)); // floor to the second
    expect(r.query.get('to')).toBe(String((T0 + 3 * MIN) / 1000));
    expect(r.query.get('query')).toBe(`1000 * (${P99_A})`);
    expect(Array.from(series[0].t)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    expect(values(series[0].v)).toEqual([250, 'NaN', 400]);
    expect(series[1].labels).toEqual({ [VARIANT]: 'off' });
  });

  it('sends a plain query as is and combines an error-ratio formula by arithmetic', async () => {
    await provider({ api: 'v1' }).range(P99_A, T0, T0 + MIN, MIN);
    expect(fake.requests[0].query.get('query')).toBe(P99_A);
    const ratio = await provider({ api: 'v1' }).range(render('error_ratio'), T0, T0 + 2 * MIN, MIN);
    expect(fake.requests[1].query.get('query')).toBe(`(${ERR_A}) / (${ERR_B})`);
    expect(values(ratio[0].v)).toEqual([0.005, 0.03]);
  });
});

describe('Datadog provider — failures', () => {
  it('waits at least X-RateLimit-Reset SECONDS before retrying a 429 (real clock), then succeeds', async () => {
    fake.rateLimit({ endpoint: 'timeseries', resetSec: 1 });
    const series = await provider({ http: defaultHttpDeps }).range(render('p99'), T0, T0 + 3 * MIN, MIN);
    expect(series).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1].at - fake.requests[0].at).toBeGreaterThanOrEqual(1000);
  });

  it('never sleeps less than the reset, and reports a far-away reset instead of waiting for it', async () => {
    fake.rateLimit({ endpoint: 'timeseries', resetSec: 7, times: 2 });
    await provider().range(render('p99'), T0, T0 + 3 * MIN, MIN);
    expect(sleeps).toHaveLength(2);
    expect(sleeps.every((ms) => ms >= 7000)).toBe(true);

    fake.rateLimit({ endpoint: 'timeseries', resetSec: 120 });
    const err = await rejection(provider().range(render('p99'), T0, T0 + 3 * MIN, MIN));
    expect(err.code).toBe('rate_limited');
    expect(err.message).toMatch(/Datadog: rate limited \(HTTP 429.*resets in 120 s/);
    expect(fake.requests).toHaveLength(4); // 3 for the first call, 1 for the second: no retry before the reset
  });

  it('reports bad keys (403) as unauthorized, naming both keys, without the keys in message or details', async () => {
    const err = await rejection(
      provider({}, { appKey: 'wrong-app-key-value' }).range(render('p99'), T0, T0 + MIN, MIN),
    );
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(/HTTP 403.*API key and the application key/);
    for (const secret of [fake.apiKey, 'wrong-app-key-value']) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err.details ?? {})).not.toContain(secret);
    }
    expect(fake.requests).toHaveLength(1); // not retried
  });

  it('reports a bad query (400 {"errors":[…]}) with Datadog\'s words and the query', async () => {
    const bad = 'p99:http.server.request.duration{service:checkout';
    const err = await rejection(provider().range(bad, T0, T0 + MIN, MIN));
    expect(err.code).toBe('bad_request');
    expect(err.message).toContain('Datadog rejected the query (HTTP 400): Error parsing query');
    expect(err.message).toContain(`query: ${bad}`);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 503 on a read, and gives up with a timeout when every attempt is too slow', async () => {
    fake.inject({ endpoint: 'timeseries', status: 503 });
    expect(await provider().range(render('p99'), T0, T0 + MIN, MIN)).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);

    fake.inject({ endpoint: 'timeseries', delayMs: 1500, times: 2 });
    const started = Date.now();
    const err = await rejection(provider({ timeoutMs: 200, maxAttempts: 2 }).range(render('p99'), T0, T0 + MIN, MIN));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/Datadog: timed out after 200 ms/);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(fake.requests).toHaveLength(4);
  });

  it('rejects a malformed 200 body as vendor_error', async () => {
    fake.inject({
      endpoint: 'timeseries',
      status: 200,
      body: {
        data: { type: 'timeseries_response', attributes: { series: [{ group_tags: [] }], times: [T0], values: [] } },
      },
    });
    const err = await rejection(provider().range(render('p99'), T0, T0 + MIN, MIN));
    expect(err.code).toBe('vendor_error');
    expect(err.message).toMatch(/malformed timeseries response/);
  });

  it('refuses to query without an application key, before any request', async () => {
    const err = await rejection(provider({}, { appKey: '' }).range(render('p99'), T0, T0 + MIN, MIN));
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(/no application key/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Datadog provider — events', () => {
  it('posts a v1 event tagged flag:<key> and env:<env>, with the API key only, and returns the full id', async () => {
    const posted = await provider({}, { appKey: '' }).postEvent({
      flagKey: 'new-checkout',
      env: 'prod',
      title: 'Ramp new-checkout 5% → 25%',
      text: 'by alice: looks good',
    });
    expect(posted.id).toBe('6327818702635911562'); // id_str: the numeric id does not survive a double
    expect(posted.url).toContain('6327818702635911562');
    const r = fake.requests[0];
    expect([r.method, r.path]).toEqual(['POST', '/api/v1/events']);
    expect(r.headers['dd-api-key']).toBe(fake.apiKey);
    expect(r.headers['dd-application-key']).toBeUndefined();
    expect(r.body).toEqual({
      title: 'Ramp new-checkout 5% → 25%',
      text: 'by alice: looks good',
      tags: ['flag:new-checkout', 'env:prod'],
      alert_type: 'info',
    });
  });

  it('sends an event once (a write is not retried) and reports errors clearly', async () => {
    fake.inject({ endpoint: 'events', status: 503 });
    const e1 = await rejection(provider().postEvent({ flagKey: 'f', env: 'prod', title: 't', text: 'x' }));
    expect(e1.code).toBe('vendor_error');
    expect(fake.requests).toHaveLength(1);

    const e2 = await rejection(
      provider().postEvent({ flagKey: 'f', env: 'prod', title: 't', text: 'x', at: Date.now() - 19 * 3_600_000 }),
    );
    expect(e2.code).toBe('bad_request');
    expect(e2.message).toContain('Event too far in the past');

    const e3 = await rejection(
      provider({}, { apiKey: 'bad-api-key-value' }).postEvent({ flagKey: 'f', env: 'prod', title: 't', text: 'x' }),
    );
    expect(e3.code).toBe('unauthorized');
    expect(e3.message).not.toContain('bad-api-key-value');
  });
});
