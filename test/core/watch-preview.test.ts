import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewWatch } from '../../main/core/watch-preview';
import { createMetricDiscovery } from '../../main/core/metric-discovery';
import { createPrometheusProvider } from '../../main/metrics/prometheus/prometheus-provider';
import type { MetricsProvider } from '../../main/metrics/metrics-provider';
import { watchRequests } from '../../shared/contract/domains/watches';
import { PrometheusConnection } from '../../shared/kinds/prometheus';
import { Watch } from '../../shared/domain/metrics';
import { startFakePrometheus } from '../support/vendor-servers/fake-prometheus';
import type { FakeHttpServer } from '../support/vendor-servers/fake-http';

/**
 * `watches:preview` reports a query that could not be tried as a partial failure `{code, message}` (issue 13): the
 * real Prometheus adapter against a fake that wants a token, a closed port and a server that never answers, so the
 * code is the one the adapter's RampartError carries — unauthorized, unreachable, timeout — never parsed from text.
 */
const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
const SECRET = 'preview-test-bearer-71c3e9a5';
const watch = Watch.parse({
  id: '',
  flagConnectionId: 'flags',
  flagKey: 'checkout-v2',
  env: 'production',
  metricsConnectionId: 'prom',
  selector: 'job="checkout"',
  metrics: [
    {
      name: 'error_ratio',
      kind: 'errors',
      unit: 'ratio',
      query: 'sum(rate(http_errors_total{{{selector}}}[{{window}}]))',
      counts: {
        errors: 'sum(increase(e{{{selector}}}[{{window}}]))',
        total: 'sum(increase(t{{{selector}}}[{{window}}]))',
      },
    },
  ],
});

let prom: FakeHttpServer;
let silent: Server;
const silentSockets = new Set<Socket>();
let silentUrl: string;
let silentRequests = 0;
let closedUrl: string;

beforeAll(async () => {
  prom = await startFakePrometheus();
  // Accepts the connection and never answers: the adapter's deadline is the only way out.
  silent = createServer((socket) => {
    socket.on('data', (d) => (silentRequests += String(d).match(/^(GET|POST) /gm)?.length ?? 0));
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((r) => closed.close(() => r()));
});

afterAll(async () => {
  await prom.stop();
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

async function preview(url: string, secret: string | undefined, strip?: (p: MetricsProvider) => MetricsProvider) {
  const connection = PrometheusConnection.parse({
    id: 'prom',
    name: 'Prometheus',
    kind: 'prometheus',
    url,
    auth: 'bearer',
  });
  const real = createPrometheusProvider({ connection, secret, timeoutMs: 300, maxAttempts: 1 });
  const provider = strip ? strip(real) : real;
  const discovery = createMetricDiscovery({ provider: () => provider, now: () => NOW });
  const got = await previewWatch(
    { connection, provider, discovery, arms: { treatment: ['on'], control: ['off'], source: 'test' }, now: NOW },
    watch,
  );
  // What the core sends is the contract's shape: a plain-string error would fail here.
  return watchRequests['watches:preview'].output.parse(got);
}

describe('watches:preview: a query that cannot be tried carries the provider\u2019s code and message', () => {
  it('answers with series and no error when the provider answers', async () => {
    const p = await preview(prom.url, SECRET);
    expect(p.parts.map((x) => [x.part, x.error])).toEqual([
      ['series', null],
      ['byVariant', null],
      ['errors', null],
      ['total', null],
    ]);
    expect(p.parts.find((x) => x.part === 'byVariant')?.variants).toEqual([
      { value: 'on', arm: 'treatment' },
      { value: 'off', arm: 'control' },
    ]);
    expect(p.ok).toBe(true);
  });

  it.each([
    { name: 'a token the server refuses', url: () => prom.url, secret: undefined, code: 'unauthorized' },
    { name: 'a closed port', url: () => closedUrl, secret: SECRET, code: 'unreachable' },
    { name: 'a server that never answers', url: () => silentUrl, secret: SECRET, code: 'timeout' },
  ] as const)(
    '$name: every part fails with code $code, its message shown as the part\u2019s line',
    async ({ url, secret, code }) => {
      const p = await preview(url(), secret);
      expect(p.parts).toHaveLength(4);
      for (const part of p.parts) {
        expect(part.error?.code).toBe(code);
        expect(part.error?.message).toMatch(/Prometheus/);
        expect(part.message).toBe(part.error?.message);
        expect(part.matched).toBe(0);
      }
      expect(p.ok).toBe(false);
      expect(p.message).toContain(p.parts[0].error?.message);
      expect(JSON.stringify(p)).not.toContain(SECRET);
    },
  );

  it('a provider that refuses the credential is asked once: the later parts say they were not sent', async () => {
    let requests = 0;
    const refusing = createHttpServer((_req, res) => {
      requests++;
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":"error","error":"unauthorized"}');
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    try {
      const p = await preview(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, SECRET);
      expect(requests).toBe(1); // four parts, one query sent (the test's provider makes 1 attempt)
      expect(p.parts.map((x) => x.error?.code)).toEqual([
        'unauthorized',
        'unauthorized',
        'unauthorized',
        'unauthorized',
      ]);
      for (const part of p.parts.slice(1))
        expect(part.message).toBe('not sent: Prometheus failed the query before it (unauthorized); fix that first');
    } finally {
      await new Promise<void>((r) => refusing.close(() => r()));
    }
  });

  it('a timeout of one heavy query is that query\u2019s error only: the others are still sent', async () => {
    const before = silentRequests;
    await preview(silentUrl, SECRET);
    expect(silentRequests - before).toBe(4);
  });

  it('a provider without instant queries: the instant parts are bad_request naming the connection, the rest answer', async () => {
    const p = await preview(prom.url, SECRET, ({ instant: _instant, ...rest }) => rest);
    expect(p.parts.map((x) => [x.part, x.error?.code ?? null])).toEqual([
      ['series', null],
      ['byVariant', null],
      ['errors', 'bad_request'],
      ['total', 'bad_request'],
    ]);
    expect(p.parts[2].error?.message).toBe(
      'Prometheus has no instant queries: this part is judged from per-step values instead',
    );
  });
});
