/**
 * A small HTTP "checkout" service for Rampart's plan end-to-end tests, instrumented the way a team would: the
 * official OpenTelemetry JS metrics SDK (2.x) with the Prometheus exporter (its `/metrics` is what Prometheus
 * scrapes), and the Unleash Node SDK deciding each request's variant. It records `http.server.request.duration`
 * (seconds, semantic-convention attributes) with `feature_flag.key` and `feature_flag.result.variant`; the exporter
 * names the histogram `http_server_request_duration_bucket` and the label `feature_flag_result_variant`.
 *
 * It drives its own load (RATE requests per second from random users) through the same handler a real request
 * uses, so a test only starts it. The treatment path can be made slower and more error-prone at start or at run time
 * (POST /config) — a regressing rollout — or left as fast as the control — a healthy one. GET /stats tells the test
 * how much traffic each variant got recently, so it can see the treatment traffic vanish after a rollback.
 *
 * Config: one JSON argument {unleashUrl, clientToken, flag, appPort, metricsPort, rate, baseMs, treatmentExtraMs,
 * treatmentErrorRate, baseErrorRate}. Prints one JSON line {appPort, metricsPort} when it is serving.
 */
import { createServer } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { initialize } from 'unleash-client';

const cfg = JSON.parse(process.argv[2] ?? '{}');
const state = {
  treatmentExtraMs: cfg.treatmentExtraMs ?? 0,
  treatmentErrorRate: cfg.treatmentErrorRate ?? cfg.baseErrorRate ?? 0.01,
  baseErrorRate: cfg.baseErrorRate ?? 0.01,
  baseMs: cfg.baseMs ?? 20,
  rate: cfg.rate ?? 200,
};

const exporter = new PrometheusExporter({ host: '127.0.0.1', port: cfg.metricsPort ?? 0, preventServerStart: true });
const provider = new MeterProvider({
  resource: resourceFromAttributes({ 'service.name': 'checkout' }),
  readers: [exporter],
});
metrics.setGlobalMeterProvider(provider);
const meter = metrics.getMeter('rampart-e2e-checkout', '1.0.0');
// Boundaries a team would pick for a ~20–60 ms endpoint (the semantic conventions' default ones jump from 25 to
// 50 to 75 ms, too coarse to see a tail move by 10 %); still seconds, as the conventions require.
const BOUNDARIES = [
  0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.125, 0.15, 0.2, 0.25,
  0.5, 1, 2.5, 5, 10,
];
const duration = meter.createHistogram('http.server.request.duration', {
  unit: 's',
  description: 'Duration of HTTP server requests.',
  advice: { explicitBucketBoundaries: BOUNDARIES },
});

const unleash = initialize({
  url: `${cfg.unleashUrl}/api/`,
  appName: 'checkout',
  environment: 'production',
  customHeaders: { Authorization: cfg.clientToken },
  refreshInterval: cfg.refreshMs ?? 1000,
  disableMetrics: true,
});
unleash.on('error', () => undefined); // a refresh failure keeps the last known toggles, as the SDK does

/** Request counts per variant per second, for /stats. */
const perSecond = new Map();
function count(variant) {
  const s = Math.floor(Date.now() / 1000);
  const row = perSecond.get(s) ?? {};
  row[variant] = (row[variant] ?? 0) + 1;
  perSecond.set(s, row);
  for (const k of perSecond.keys()) if (k < s - 600) perSecond.delete(k);
}

/** Lognormal-ish service time around baseMs, plus the treatment's extra. */
function serviceMs(treatment) {
  const u = Math.max(1e-9, Math.random());
  const v = Math.random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return state.baseMs * Math.exp(0.35 * z) + (treatment ? state.treatmentExtraMs * (0.8 + 0.4 * Math.random()) : 0);
}

/** One checkout request: the SDK picks the variant for this user, the handler does its (simulated) work. */
async function checkout(userId) {
  const started = performance.now();
  const variant = unleash.getVariant(cfg.flag, { userId });
  const name = variant.enabled ? variant.name : 'disabled';
  const treatment = name !== 'disabled';
  await new Promise((r) => setTimeout(r, serviceMs(treatment)));
  const failed = Math.random() < (treatment ? state.treatmentErrorRate : state.baseErrorRate);
  const status = failed ? 500 : 200;
  duration.record((performance.now() - started) / 1000, {
    'http.request.method': 'GET',
    'http.route': '/checkout',
    'http.response.status_code': status,
    'feature_flag.key': cfg.flag,
    'feature_flag.provider.name': 'Unleash',
    'feature_flag.result.variant': name,
  });
  count(name);
  return { status, variant: name };
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const app = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/checkout')
    return void checkout(url.searchParams.get('user') ?? 'anon').then((r) => json(res, r.status, r));
  if (url.pathname === '/stats') {
    const seconds = Number(url.searchParams.get('seconds') ?? 5);
    const now = Math.floor(Date.now() / 1000);
    const out = {};
    for (let s = now - seconds; s < now; s++)
      for (const [k, v] of Object.entries(perSecond.get(s) ?? {})) out[k] = (out[k] ?? 0) + v;
    return json(res, 200, { seconds, variants: out, config: state });
  }
  if (url.pathname === '/config' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      Object.assign(state, JSON.parse(body || '{}'));
      json(res, 200, state);
    });
    return;
  }
  json(res, 404, { error: 'not found' });
});

// Self-driven load: `rate` requests per second, spread over 10 ms ticks, from 100,000 users.
let carry = 0;
function load() {
  carry += state.rate / 100;
  const n = Math.floor(carry);
  carry -= n;
  for (let i = 0; i < n; i++) void checkout(`user-${Math.floor(Math.random() * 100_000)}`);
}

const metricsServer = createServer((req, res) => {
  if (req.url?.startsWith('/metrics')) return exporter.getMetricsRequestHandler(req, res);
  res.writeHead(404).end();
});

await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('unleash-client did not synchronize within 30 s')), 30_000);
  unleash.once('synchronized', () => {
    clearTimeout(timer);
    resolve();
  });
});
await new Promise((r) => app.listen(cfg.appPort ?? 0, '127.0.0.1', r));
await new Promise((r) => metricsServer.listen(cfg.metricsPort ?? 0, '127.0.0.1', r));
setInterval(load, 10);
process.stdout.write(`${JSON.stringify({ appPort: app.address().port, metricsPort: metricsServer.address().port })}\n`);

const stop = () => {
  unleash.destroy();
  app.close();
  metricsServer.close();
  void provider.shutdown().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
