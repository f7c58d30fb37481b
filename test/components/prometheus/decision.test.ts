import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core/core';
import { createJudgeInputs } from '../../../main/core/decision-inputs';
import { runJudge } from '../../../main/core/decision-judge';
import { createHandlers } from '../../../main/core/handlers';
import { createRegistrar } from '../../../main/host/registrar';
import { defaultMetricSpecs } from '../../../main/metrics/templates';
import type { Watch } from '../../../shared/domain/metrics';
import type { MetricVerdict } from '../../../shared/domain/verdict';
import { BUCKETS } from './history';
import { startPrometheusWithHistory, type PrometheusWithHistory } from './harness';

/**
 * The decision pipeline against a real Prometheus 2.x with history loaded by promtool, named as the OpenTelemetry JS
 * Prometheus exporter names it (`http_server_request_duration_bucket`, no unit suffix). Variants: "on" gets 5 % of
 * the traffic and, from a known minute, a p99-only regression (its slowest 2 % are 25 % slower; p50/p95 untouched);
 * "off" and "ctl" behave identically (an A/A pair of equal size).
 *
 * The history ends now (connections:test probes the present) but its daily traffic cycle is pinned to that end:
 * with the cycle at the hour of day, every run drew different data, and a verdict near the margin (per-minute p99
 * over the whole window: fail in 9 of 13 draws tried, 3 seeds × 4 hours + one) passed or failed with the clock.
 */
const MIN = 60_000;
const HISTORY_END = Math.floor(Date.now() / MIN) * MIN;
/** Minutes after the canary's start at which (a) compares the two ways of judging p99 on the same minutes. */
const EARLY_MIN = 20;
const TAIL_BUCKETS = Array.from({ length: 57 }, (_, i) => Math.round(0.1 * 1.05 ** i * 10_000) / 10_000); // 0.1 … 1.5 s by 5 %
const buckets = [...BUCKETS.filter((b) => b < 0.1), ...TAIL_BUCKETS, ...BUCKETS.filter((b) => b > 1.5)];
let prom: PrometheusWithHistory;
let core: Core;
let dir: string;
let r: ReturnType<typeof createRegistrar>;
const call = <C extends Parameters<typeof r.call>[0]>(c: C, p: Parameters<typeof r.call<C>>[1]) =>
  r.call(c, p, { door: 'cli' });

const watchBase = (): Watch => ({
  id: 'w-checkout',
  flagConnectionId: 'flags',
  flagKey: 'checkout-v2',
  env: 'production',
  metricsConnectionId: 'prom',
  selector: 'job="checkout"',
  variantLabel: 'feature_flag_result_variant',
  metrics: defaultMetricSpecs('prometheus'),
  stepSec: 60,
  thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
});

beforeAll(async () => {
  prom = await startPrometheusWithHistory({
    hours: 12,
    stepSec: 60,
    regressionMinutesBeforeEnd: 90,
    endMs: HISTORY_END,
    seed: 11,
    profile: {
      rps: { on: 2, off: 19, ctl: 19 },
      medianSec: 0.12,
      sigma: 0.5,
      errorRatio: 0.005,
      regressedErrorRatio: 0.005,
      latencyFactor: 1.25,
      tailShare: 0.02,
      metric: 'http_server_request_duration',
      buckets,
      dayOriginMs: HISTORY_END,
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'rampart-prom-decision-'));
  const flagsFile = join(dir, 'flags.json');
  writeFileSync(
    flagsFile,
    JSON.stringify({
      flags: {
        'checkout-v2': {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: {
            fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] }, ['on', 5], ['off', 95]],
          },
        },
      },
    }),
  );
  core = createCore({
    dataDir: dir,
    resourcesDir: join(__dirname, '..', '..', '..', 'resources'),
    secrets: () => undefined,
    version: 'test',
    demo: false,
    now: () => prom.end + 40_000,
  });
  r = createRegistrar(createHandlers(core));
  await call('connections:save', {
    connection: { id: 'flags', name: 'Flags', kind: 'flagd', file: flagsFile, environment: 'production' },
  });
  await call('connections:save', {
    connection: { id: 'prom', name: 'Prometheus', kind: 'prometheus', url: prom.url, auth: 'none' },
  });
  core.store.changes.add([
    {
      id: 'flags:created',
      connectionId: 'flags',
      flagKey: 'checkout-v2',
      env: 'production',
      at: prom.start - MIN,
      kind: 'created',
      from: null,
      to: { enabled: false, exposure: 0 },
      label: 'created',
      source: 'vendor',
    },
    {
      id: 'flags:ramp',
      connectionId: 'flags',
      flagKey: 'checkout-v2',
      env: 'production',
      at: prom.regressionAt,
      kind: 'enabled',
      from: { enabled: false, exposure: 0 },
      to: { enabled: true, exposure: 5 },
      label: 'off → on',
      source: 'vendor',
    },
  ]);
}, 240_000);

afterAll(async () => {
  core?.close();
  await prom?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const p99Of = (metrics: MetricVerdict[]) => metrics.find((m) => m.name === 'p99')!;

describe('the decision against a real Prometheus', () => {
  it('(a) a p99-only regression at 5 % exposure FAILS from merged buckets within 20 minutes, where per-minute p99 values of the same minutes cannot tell yet', async () => {
    const watch = { ...watchBase(), arms: { treatment: ['on'], control: ['off', 'ctl'] } };
    await call('watches:save', { watch });
    const d = await call('decision:get', { watchId: watch.id });
    expect(d.baseline).toBe('control');
    expect(d.verdict.canary.from).toBeGreaterThanOrEqual(prom.regressionAt + MIN); // one lookback after the change
    const p99 = p99Of(d.verdict.metrics);
    expect(p99).toMatchObject({ kind: 'histogram', verdict: 'fail' });
    expect(p99.relativeCi![0]).toBeGreaterThan(0.1);
    expect(d.verdict.metrics.find((m) => m.name === 'p50')?.verdict).not.toBe('fail'); // only the tail moved
    expect(d.verdict.queries['p99 (buckets)']).toMatch(
      /^sum by \(le, feature_flag_result_variant\) \(increase\(\{__name__=~"http_server_request_duration\(_seconds\)\?_bucket",job="checkout"\}\[\d+s\]\)\)$/,
    );

    // The same watch without a bucket template is judged from per-minute p99 values, labelled as the fallback.
    // Over the whole 90 minutes these may or may not reach the margin (the tie-aware Brunner–Munzel interval of
    // 89 per-minute values from ~120 requests each; docs/statistics.md "Samples"): that is not the point.
    const perMinute = { ...watch, metrics: watch.metrics.map(({ buckets: _b, ...m }) => m) };
    const v = await core.verdicts.compute(perMinute, 'control');
    const fallback = p99Of(v.metrics);
    expect(fallback.kind).toBe('latency');
    expect(fallback.method).toMatch(/per-step values \(fallback: no bucket query for this metric\)/);

    // The point: on the first 20 minutes of the canary, merged buckets already fail while the same minutes' p99
    // values cannot decide yet — in 10 of the 13 draws tried (merged buckets failed in all 13); this one is pinned.
    const inputs = createJudgeInputs({
      series: core.series,
      provider: (id) => core.connections.metrics(id),
      render: core.render,
      now: core.now,
    });
    const mapping = { ...watch.arms, source: 'test' };
    const spec = watch.metrics.find((m) => m.name === 'p99')!;
    const t = { from: d.verdict.canary.from, to: d.verdict.canary.from + EARLY_MIN * MIN, arm: 'treatment' as const };
    const c = { ...t, arm: 'control' as const };
    const early = runJudge({
      confidence: watch.thresholds.confidence,
      metrics: [
        { ...(await inputs.latency(watch, spec, t, c, mapping)).input, name: 'buckets' },
        { ...(await inputs.latency(watch, { ...spec, buckets: undefined }, t, c, mapping)).input, name: 'perMinute' },
      ],
    });
    const [earlyBuckets, earlyPerMinute] = early.metrics;
    expect(earlyBuckets).toMatchObject({ kind: 'histogram', verdict: 'fail' });
    expect(earlyPerMinute).toMatchObject({ kind: 'latency', verdict: 'inconclusive', canaryN: EARLY_MIN });
    expect(earlyPerMinute.relativeCi![0]).toBeLessThan(0.1);
    expect(earlyPerMinute.relativeCi![1]).toBeGreaterThan(0.1);
    const ci = (m: MetricVerdict) => JSON.stringify(m.relativeCi?.map((x) => Number(x.toFixed(3))));
    console.log(
      `(a) p99 at 5 %, ${EARLY_MIN} min: merged buckets ${earlyBuckets.verdict} ${ci(earlyBuckets)}, per-minute ${earlyPerMinute.verdict} ${ci(earlyPerMinute)}; whole window: merged buckets ${p99.verdict} ${ci(p99)}, per-minute ${fallback.verdict} ${ci(fallback)}`,
    );
  });

  it('(b) identical arms: the intervals cover "no difference" at about their nominal level over many windows', async () => {
    const watch = { ...watchBase(), arms: { treatment: ['ctl'], control: ['off'] } };
    const inputs = createJudgeInputs({
      series: core.series,
      provider: (id) => core.connections.metrics(id),
      render: core.render,
      now: core.now,
    });
    const mapping = { treatment: ['ctl'], control: ['off'], source: 'test' };
    const [errors, p99] = [watch.metrics[1], watch.metrics[4]];
    const perMinuteP99 = { ...p99, buckets: undefined };
    const covered = { histogram: 0, perMinute: 0, errors: 0 };
    let windows = 0;
    for (let to = prom.start + 30 * MIN; to + 10 * MIN <= prom.end; to += 10 * MIN) {
      const t = { from: to - 10 * MIN, to, arm: 'treatment' as const };
      const c = { ...t, arm: 'control' as const };
      const got = [
        await inputs.latency(watch, p99, t, c, mapping),
        await inputs.latency(watch, perMinuteP99, t, c, mapping),
        await inputs.errorCounts(watch, errors, watch.metrics[0], t, c, mapping),
      ];
      const out = runJudge({ confidence: 0.98, metrics: got.map((g, i) => ({ ...g.input, name: `m${i}` })) });
      const contains0 = (m: MetricVerdict) => m.relativeCi !== null && m.relativeCi[0] <= 0 && m.relativeCi[1] >= 0;
      if (contains0(out.metrics[0])) covered.histogram++;
      if (contains0(out.metrics[1])) covered.perMinute++;
      if (contains0(out.metrics[2])) covered.errors++;
      windows++;
    }
    const rate = (n: number) => n / windows;
    console.log(
      `(b) coverage of two-sided 98 % intervals over ${windows} disjoint 10-min windows, A/A arms: merged-bucket p99 ${rate(covered.histogram).toFixed(3)}, per-minute p99 ${rate(covered.perMinute).toFixed(3)}, errors ${rate(covered.errors).toFixed(3)}`,
    );
    expect(windows).toBeGreaterThanOrEqual(60);
    // Nominal 0.98; with ~65 windows one standard error is ~0.017.
    expect(rate(covered.histogram)).toBeGreaterThanOrEqual(0.92);
    expect(rate(covered.errors)).toBeGreaterThanOrEqual(0.92);
    expect(rate(covered.perMinute)).toBeGreaterThanOrEqual(0.9);
  });

  it('(c) discovery finds http_server_request_duration_bucket, proposes it, and suggests it for a misspelt name', async () => {
    const found = await call('metrics:discover', { connectionId: 'prom', like: 'request_duration' });
    expect(found.names.map((n) => n.name)).toEqual(
      expect.arrayContaining(['http_server_request_duration_bucket', 'http_server_request_duration_count']),
    );
    expect(found.conventions[0]).toMatchObject({
      base: 'http_server_request_duration',
      unit: 's',
      form: expect.stringMatching(/no unit suffix/),
    });
    const typo = await call('metrics:discover', { connectionId: 'prom', like: 'http_server_request_duraton' });
    expect(typo.names).toEqual([]);
    expect(typo.message).toMatch(
      /^no metric matches http_server_request_duraton; did you mean http_server_request_duration_bucket/,
    );

    // A new watch reads the exact name the provider has.
    await call('flags:list', {});
    const proposed = await call('watches:forFlag', { connectionId: 'flags', flagKey: 'checkout-v2', env: 'staging' });
    expect(proposed.watch.metrics.find((m) => m.name === 'p99')?.buckets).toContain(
      'http_server_request_duration_bucket{',
    );

    // A misspelt template: the preview and the series say what is there instead of an empty answer.
    const typoWatch = {
      ...watchBase(),
      id: '',
      metrics: [
        {
          name: 'p99',
          kind: 'latency' as const,
          unit: 'ms' as const,
          critical: true,
          query:
            '1000 * histogram_quantile(0.99, sum by (le) (rate(http_server_request_duraton_bucket{{{selector}}}[{{window}}])))',
        },
      ],
    };
    const preview = await call('watches:preview', { watch: typoWatch });
    expect(preview.ok).toBe(false);
    expect(preview.parts[0]).toMatchObject({ matched: 0, suggestions: ['http_server_request_duration_bucket'] });
    expect(preview.parts[0].message).toBe(
      'no series match http_server_request_duraton_bucket; did you mean http_server_request_duration_bucket?',
    );
    const good = await call('watches:preview', { watch: { ...watchBase(), id: '' } });
    expect(good.parts.filter((p) => p.matched === 0).map((p) => `${p.metric}/${p.part}`)).toEqual([]);
    expect(good.parts.find((p) => p.part === 'byVariant')?.variants).toEqual(
      expect.arrayContaining([
        { value: 'on', arm: 'treatment' },
        { value: 'off', arm: 'control' },
        { value: 'ctl', arm: null },
      ]),
    );
  });

  it('(d) connections:test contacts the server: a closed port, a web server that is not Prometheus and a misspelt host each fail, saying what', async () => {
    const web: Server = createServer((req, res) => {
      res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html' });
      res.end('<html><body>It works!</body></html>');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    try {
      const cases = [
        {
          id: 'closed',
          url: `http://127.0.0.1:${closedPort}`,
          expect: new RegExp(`nothing listens at 127\\.0\\.0\\.1:${closedPort} \\(connection refused\\)`),
        },
        {
          id: 'web',
          url: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
          expect: /HTTP 404 for \/api\/v1\/status\/buildinfo: this URL is not a Prometheus API/,
        },
        {
          id: 'typo',
          url: 'http://prometheus.invalid:9090',
          expect: /host prometheus\.invalid not found \(DNS lookup failed\)/,
        },
      ];
      for (const c of cases) {
        await call('connections:save', {
          connection: { id: c.id, name: c.id, kind: 'prometheus', url: c.url, auth: 'none' },
        });
        const t = await call('connections:test', { id: c.id });
        expect(t.ok, c.id).toBe(false);
        expect(t.checks?.[0]).toMatchObject({ name: 'Prometheus API', ok: false });
        expect(t.message, c.id).toMatch(c.expect);
      }
      const real = await call('connections:test', { id: 'prom' });
      expect(real.ok, real.message).toBe(true);
      expect(real.checks?.map((k) => k.name)).toEqual(['Prometheus API', 'probe query']);
      expect(real.message).toMatch(/Prometheus 2\.\d+\.\d+\S* answers \/api\/v1\/status\/buildinfo/);
    } finally {
      await new Promise<void>((r) => web.close(() => r()));
    }
  });
});
