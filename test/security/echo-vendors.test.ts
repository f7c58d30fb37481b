import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../main/host/http';
import { openRuntime } from '../../main/host/cli/runtime';
import type { Core } from '../../main/core/core';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../support/vendor-servers/fake-launchdarkly';
import { startFakeFlagsmith, type FakeFlagsmith } from '../support/vendor-servers/fake-flagsmith';
import { startFakeDatadog, type FakeDatadog } from '../support/vendor-servers/fake-datadog/server';
import type { FakeHttpServer } from '../support/vendor-servers/fake-http';
import { startEchoProxy, type EchoProxy } from './support/echo-proxy';
import { startFakePrometheus } from '../support/vendor-servers/fake-prometheus';
import { startFakeUnleash, type FakeUnleash } from '../support/vendor-servers/fake-unleash-strict';
import { encodingsOf, grepDir } from './support/grep-secrets';
import { VALID_EXAMPLES } from './support/payloads';

/**
 * docs/security.md: "no secret ever reaches an error, the audit table, an event or a response". Every adapter that
 * speaks HTTP (Unleash, LaunchDarkly, Flagsmith, Prometheus with bearer and with basic auth, Datadog) is pointed at
 * a vendor that ECHOES every header and the query back — into flag names, descriptions, series labels, response
 * headers and, in a second pass, into every error body. Then the real doors are driven: the browser host's RPC (and
 * its SSE stream) and the CLI as separate processes, on one data directory. Every byte that came out — responses,
 * events, CLI stdout/stderr, every database row and every file of the data dir — is searched for each secret in
 * several encodings: 0 hits. And the echo really came back (masked), so the search means something.
 */
const REPO = resolve(__dirname, '..', '..');
const SECRETS = {
  RAMPART_ECHO_UNLEASH: '*:*.echo-unleash-5b8e2d1f9a3c7e60',
  RAMPART_ECHO_LD: 'api-echo-ld-0c7d3e9f1a5b8c24',
  RAMPART_ECHO_FS: 'echo-fs-key-8f2a6c1e4d9b3a77',
  RAMPART_ECHO_PROM: 'echo-prom-bearer-3e9a1c7f5d2b8e46',
  RAMPART_ECHO_PROM_PASS: 'p@ss/echo+prom=9d1f3b7a',
  RAMPART_ECHO_DD_API: 'echoddapi4c2e8a6f0b1d3f5a7c9e1b3d',
  RAMPART_ECHO_DD_APP: 'echoddapp7a1c3e5f9b2d4f6a8c0e2b4d6f8a0c1e',
};
const BASIC_USER = 'grafana';
/** Everything that must never come out: each secret, and the Basic credential as the header carries it. */
const NEEDLES = [
  ...Object.values(SECRETS),
  Buffer.from(`${BASIC_USER}:${SECRETS.RAMPART_ECHO_PROM_PASS}`).toString('base64'),
];

let work: string;
let dataDir: string;
let cli: string;
let core: Core;
let host: HttpHost;
let unleash: FakeUnleash;
let ld: FakeLaunchDarkly;
let fs: FakeFlagsmith;
let dd: FakeDatadog;
let prom: FakeHttpServer;
const proxies: Record<string, EchoProxy> = {};
const outputs: { where: string; text: string }[] = [];
let sse = '';
let sseStop: AbortController;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rampart-echo-'));
  dataDir = join(work, 'data');
  cli = join(work, 'cli.cjs');
  buildSync({
    entryPoints: [join(REPO, 'main/host/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: cli,
    logLevel: 'warning',
  });
  const staticDir = join(work, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Rampart</title>');

  unleash = await startFakeUnleash({ tokens: [SECRETS.RAMPART_ECHO_UNLEASH] });
  ld = await startFakeLaunchDarkly({ token: SECRETS.RAMPART_ECHO_LD });
  fs = await startFakeFlagsmith({ token: SECRETS.RAMPART_ECHO_FS });
  dd = await startFakeDatadog({ apiKey: SECRETS.RAMPART_ECHO_DD_API, appKey: SECRETS.RAMPART_ECHO_DD_APP });
  prom = await startFakePrometheus();
  proxies.unleash = await startEchoProxy(unleash.url);
  proxies.ld = await startEchoProxy(ld.url);
  proxies.fs = await startEchoProxy(fs.url);
  proxies.prom = await startEchoProxy(prom.url);
  proxies.dd = await startEchoProxy(dd.url, { '/api/v1/validate': { valid: true } });

  const runtime = openRuntime(dataDir, { env: { ...process.env, ...SECRETS } });
  core = runtime.core;
  host = await startHttpHost({ registrar: runtime.registrar, bus: core.bus, staticDir, port: 0 });
  await core.start();
  sseStop = new AbortController();
  void fetch(`${origin()}/events`, { headers: { authorization: `Bearer ${host.token}` }, signal: sseStop.signal })
    .then(async (res) => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        sse += Buffer.from(chunk).toString('utf8');
    })
    .catch(() => undefined);
}, 120_000);

afterAll(async () => {
  sseStop?.abort();
  await host?.close();
  core?.close();
  for (const p of Object.values(proxies)) await p.stop();
  await unleash?.stop();
  await ld?.stop();
  await fs?.stop();
  await dd?.close();
  await prom?.stop();
  rmSync(work, { recursive: true, force: true });
});

const origin = () => host.url.replace(/\/$/, '');

/** One RPC through the browser host; the raw answer text is kept for the search. */
async function rpc(
  channel: string,
  payload: unknown,
): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`${origin()}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  outputs.push({ where: `rpc ${channel}`, text });
  return JSON.parse(text) as { result?: unknown; error?: { code: string; message: string } };
}

function rampart(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args, '--data-dir', dataDir], {
      cwd: REPO,
      env: { ...process.env, ...SECRETS, NODE_PATH: join(REPO, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', fail);
    child.on('exit', (code) => {
      outputs.push({ where: `cli ${args.join(' ')}`, text: `${stdout}\n${stderr}` });
      done({ code, stdout, stderr });
    });
  });
}

const FLAGS = [
  { connectionId: 'echo-unleash', flagKey: 'checkout-v2', env: 'production' },
  { connectionId: 'echo-ld', flagKey: 'new-checkout', env: 'production' },
  { connectionId: 'echo-fs', flagKey: 'new-checkout', env: 'prod-Hc3vN8sT1pYa' }, // Flagsmith environments by their key
];
const WATCHES = [
  { id: 'echo-w-prom', flag: FLAGS[0], metrics: 'echo-prom' },
  { id: 'echo-w-basic', flag: FLAGS[1], metrics: 'echo-prom-basic' },
  { id: 'echo-w-dd', flag: FLAGS[2], metrics: 'echo-dd' },
];

/** Every door operation on every connection; errors are expected in the second pass and searched the same way. */
async function driveEveryDoor(pass: string): Promise<void> {
  const now = Date.now();
  for (const id of ['echo-unleash', 'echo-ld', 'echo-fs', 'echo-prom', 'echo-prom-basic', 'echo-dd'])
    await rpc('connections:test', { id });
  await rpc('connections:list', {});
  for (const f of FLAGS) {
    await rpc('flags:list', { connectionId: f.connectionId });
    const got = await rpc('flags:get', { connectionId: f.connectionId, flagKey: f.flagKey });
    const exposure =
      (got.result as { flag?: { envs?: Record<string, { exposure?: number | null }> } } | undefined)?.flag?.envs?.[
        f.env
      ]?.exposure ?? 0;
    await rpc('flags:history', { ...f, from: now - 2 * 86_400_000, to: now });
    await rpc('flags:ramp', {
      ...f,
      to: Math.min(100, (exposure ?? 0) + 10),
      expected: exposure ?? 0,
      comment: `echo test ramp (${pass})`,
      override: true,
    });
    await rpc('flags:rollback', { ...f, comment: `echo test rollback (${pass})` });
  }
  for (const w of WATCHES) {
    await rpc('series:range', { watchId: w.id, from: now - 3_600_000, to: now, width: 200 });
    await rpc('verdict:get', { watchId: w.id });
    await rpc('decision:get', { watchId: w.id });
  }
  await rpc('flags:list', {});
  await rpc('audit:list', { limit: 500 });

  await rampart('connections', 'list', '--json');
  for (const id of ['echo-unleash', 'echo-prom-basic', 'echo-dd']) await rampart('connections', 'test', id);
  await rampart('flags', 'list', '--connection', 'echo-ld', '--json');
  await rampart(
    'rollback',
    'new-checkout',
    '--env',
    'prod-Hc3vN8sT1pYa',
    '--comment',
    `cli rollback (${pass})`,
    '--connection',
    'echo-fs',
  );
  await rampart('flags', 'history', 'checkout-v2', '--connection', 'echo-unleash', '--from', '2d');
  await rampart('audit', 'list', '--json');
}

describe('secrets echoed by every HTTP vendor', () => {
  it('never appear in any RPC response, SSE event, CLI output, database row or data-dir file', async () => {
    const conn = (c: Record<string, unknown>) => rpc('connections:save', { connection: c });
    for (const saved of await Promise.all([
      conn({
        id: 'echo-unleash',
        name: 'Echo Unleash',
        kind: 'unleash',
        url: proxies.unleash.url,
        tokenEnv: 'RAMPART_ECHO_UNLEASH',
      }),
      conn({
        id: 'echo-ld',
        name: 'Echo LaunchDarkly',
        kind: 'launchdarkly',
        url: proxies.ld.url,
        project: 'default',
        tokenEnv: 'RAMPART_ECHO_LD',
      }),
      conn({
        id: 'echo-fs',
        name: 'Echo Flagsmith',
        kind: 'flagsmith',
        url: proxies.fs.url,
        project: 'Rampart demo',
        tokenEnv: 'RAMPART_ECHO_FS',
      }),
      conn({
        id: 'echo-prom',
        name: 'Echo Prometheus',
        kind: 'prometheus',
        url: proxies.prom.url,
        auth: 'bearer',
        tokenEnv: 'RAMPART_ECHO_PROM',
      }),
      conn({
        id: 'echo-prom-basic',
        name: 'Echo Prometheus basic',
        kind: 'prometheus',
        url: proxies.prom.url,
        auth: 'basic',
        username: BASIC_USER,
        tokenEnv: 'RAMPART_ECHO_PROM_PASS',
      }),
      conn({
        id: 'echo-dd',
        name: 'Echo Datadog',
        kind: 'datadog',
        site: proxies.dd.url,
        tokenEnv: 'RAMPART_ECHO_DD_API',
        appKeyEnv: 'RAMPART_ECHO_DD_APP',
      }),
    ])) {
      expect(saved.error, JSON.stringify(saved.error)).toBeUndefined();
    }
    const base = VALID_EXAMPLES['watches:save'].watch;
    for (const w of WATCHES) {
      const watch = {
        ...base,
        id: w.id,
        flagConnectionId: w.flag.connectionId,
        flagKey: w.flag.flagKey,
        env: w.flag.env,
        metricsConnectionId: w.metrics,
      };
      const dd = w.metrics === 'echo-dd';
      const saved = await rpc('watches:save', {
        watch: {
          ...watch,
          selector: dd ? 'service:checkout' : 'service="checkout"',
          variantLabel: dd ? 'feature_flag.result.variant' : 'feature_flag_result_variant',
          metrics: [
            {
              ...base.metrics[0],
              query: dd
                ? 'p99:http.server.request.duration{service:checkout} by {feature_flag.result.variant}.rollup(60)'
                : base.metrics[0].query,
            },
          ],
        },
      });
      expect(saved.error, JSON.stringify(saved.error)).toBeUndefined();
    }

    await driveEveryDoor('echoing success bodies');
    for (const p of Object.values(proxies)) p.mode = 'error';
    await driveEveryDoor('echoing error bodies');
    await new Promise((r) => setTimeout(r, 200)); // the last SSE frames
    outputs.push({ where: 'sse', text: sse });

    // The secrets really travelled to the vendors, which echoed them back…
    const seen = Object.values(proxies)
      .flatMap((p) => p.seen)
      .join('\n');
    // (The Basic password travels inside its base64 header credential, which is one of the needles.)
    for (const secret of NEEDLES.filter((n) => n !== SECRETS.RAMPART_ECHO_PROM_PASS))
      expect(seen, `the vendor was sent ${secret.slice(0, 12)}…`).toContain(secret);
    expect(Object.values(proxies).every((p) => p.echoed > 0)).toBe(true);
    // …nothing, anywhere, carries a secret…
    const leaks: string[] = [];
    const db = new Database(join(dataDir, 'rampart.db'), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    for (const t of tables)
      outputs.push({ where: `db ${t}`, text: JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all()) });
    db.close();
    for (const secret of NEEDLES) {
      const forms = encodingsOf(secret).map((b) => b.toString('utf8'));
      for (const o of outputs)
        for (const f of [...forms, secret.slice(-16)])
          if (o.text.includes(f))
            leaks.push(`${o.where}: ${secret.slice(0, 12)}… as ${JSON.stringify(f.slice(0, 20))}`);
      leaks.push(...grepDir(dataDir, secret));
    }
    expect([...new Set(leaks)]).toEqual([]);
    // …and the echoes did reach the doors, masked: the 0-hit search above searched outputs that carried them.
    const rpcText = outputs
      .filter((o) => o.where.startsWith('rpc'))
      .map((o) => o.text)
      .join('\n');
    const cliText = outputs
      .filter((o) => o.where.startsWith('cli'))
      .map((o) => o.text)
      .join('\n');
    expect(rpcText).toContain('[redacted]');
    expect(cliText).toContain('[redacted]');
    const everything = outputs.map((o) => o.text).join('\n');
    expect(everything, 'the decoded Basic credential came back, masked').toContain('decoded=[redacted]');
    expect(everything, 'the Datadog keys came back, masked').toMatch(/dd-api-key=\[redacted\]/);
    expect(sse.length).toBeGreaterThan(0);

    console.log(
      `[echo-vendors] ${outputs.length} outputs searched (${outputs.filter((o) => o.where.startsWith('rpc')).length} RPC answers, ${outputs.filter((o) => o.where.startsWith('cli')).length} CLI runs, ${tables.length} tables, SSE ${sse.length} chars); ${Object.values(proxies).reduce((s, p) => s + p.echoed, 0)} echoing answers; 0 secrets found`,
    );
  }, 240_000);
});
