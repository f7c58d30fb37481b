import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningUnleash } from '../unleash/harness';

/**
 * The instrumented checkout service (service.mjs: OpenTelemetry JS SDK 2.x + the Prometheus exporter + the
 * Unleash Node SDK) and a real Prometheus scraping it every second, for the plan end-to-end tests. Missing pieces
 * fail with the command that installs them — never a silent skip.
 */
const DIR = dirname(fileURLToPath(import.meta.url));
export const OTEL_SERVICE_INSTALL_HINT = 'npm ci --prefix test/components/otel-service';

export function assertOtelServiceInstalled(): void {
  for (const pkg of ['unleash-client', '@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus']) {
    if (!existsSync(join(DIR, 'node_modules', pkg, 'package.json'))) {
      throw new Error(
        `${pkg} is not installed for the instrumented test service: run \`${OTEL_SERVICE_INSTALL_HINT}\` (from the repository root)`,
      );
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/** An Unleash client token for the SDK (the admin token is not accepted on the client API). */
export async function clientToken(unleash: RunningUnleash): Promise<string> {
  const res = await fetch(`${unleash.url}/api/admin/api-tokens`, {
    method: 'POST',
    headers: { authorization: unleash.token, 'content-type': 'application/json' },
    body: JSON.stringify({
      tokenName: `e2e-checkout-${Date.now()}`,
      type: 'client',
      environment: 'production',
      projects: ['*'],
    }),
  });
  const body = (await res.json()) as { secret?: string };
  if (!res.ok || !body.secret)
    throw new Error(`Unleash refused a client token: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.secret;
}

export interface ServiceConfig {
  treatmentExtraMs?: number;
  treatmentErrorRate?: number;
  baseErrorRate?: number;
  baseMs?: number;
  rate?: number;
}

export interface CheckoutService {
  metricsTarget: string;
  appUrl: string;
  /** Requests per variant over the last `seconds`. */
  stats(seconds?: number): Promise<Record<string, number>>;
  configure(c: ServiceConfig): Promise<void>;
  stop(): Promise<void>;
}

export async function startCheckoutService(
  unleash: RunningUnleash,
  o: ServiceConfig & { flag: string },
): Promise<CheckoutService> {
  assertOtelServiceInstalled();
  const cfg = { unleashUrl: unleash.url, clientToken: await clientToken(unleash), rate: 200, baseMs: 20, ...o };
  const child = spawn(process.execPath, [join(DIR, 'service.mjs'), JSON.stringify(cfg)], {
    cwd: DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const ports = await new Promise<{ appPort: number; metricsPort: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the checkout service did not start in 40 s: ${err}`)), 40_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the checkout service exited (${code}): ${err}`));
    });
  });
  const appUrl = `http://127.0.0.1:${ports.appPort}`;
  return {
    appUrl,
    metricsTarget: `127.0.0.1:${ports.metricsPort}`,
    async stats(seconds = 5) {
      const res = await fetch(`${appUrl}/stats?seconds=${seconds}`);
      return ((await res.json()) as { variants: Record<string, number> }).variants;
    },
    async configure(c) {
      await fetch(`${appUrl}/config`, { method: 'POST', body: JSON.stringify(c) });
    },
    stop: () => stopChild(child),
  };
}

export interface ScrapingPrometheus {
  url: string;
  /** Stops Prometheus (SIGSTOP-like outage for "provider down" tests: pause() / resume()). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** A real Prometheus 2.x scraping `targets` every `scrapeSec` seconds, with an empty temporary TSDB. */
export async function startScrapingPrometheus(targets: string[], scrapeSec = 1): Promise<ScrapingPrometheus> {
  const bin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
  if (!existsSync(bin)) throw new Error(`prometheus not found at ${bin}: apt-get install -y prometheus`);
  const dir = await mkdtemp(join(tmpdir(), 'rampart-prom-scrape-'));
  await writeFile(
    join(dir, 'p.yml'),
    `global:\n  scrape_interval: ${scrapeSec}s\n  evaluation_interval: ${scrapeSec}s\nscrape_configs:\n  - job_name: checkout\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let err = '';
  const child = spawn(
    bin,
    [
      `--config.file=${join(dir, 'p.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      '--query.lookback-delta=30s',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${err}`);
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus not ready in 60 s: ${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      child.kill('SIGCONT');
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
