import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_PROFILE, writeHistory, type HistoryProfile } from './history';

/**
 * A real Prometheus 2.x (the Debian package) with a day of known history, for tests:
 *   1. write OpenMetrics history (./history.ts) with a regression of the "on" variant at a known minute,
 *   2. `promtool tsdb create-blocks-from openmetrics <file> <tmp>/data`,
 *   3. `prometheus --config.file=<tmp>/p.yml --storage.tsdb.path=<tmp>/data --web.listen-address=127.0.0.1:<free>`,
 *   4. wait for /-/ready; `stop()` ends the process and removes the temp dir.
 * Missing binaries fail loudly with the install command — never a silent skip.
 */
export interface PrometheusHistoryOptions {
  /** Last sample, epoch ms (rounded down to the step); default: now. */
  endMs?: number;
  hours?: number;
  stepSec?: number;
  /** The regression starts this many minutes before the end (default 120), unless `regressionAtMs` is given. */
  regressionMinutesBeforeEnd?: number;
  regressionAtMs?: number;
  job?: string;
  variantLabel?: string;
  seed?: number;
  profile?: HistoryProfile;
  /** `--query.lookback-delta`, seconds (Prometheus' default is 300). */
  lookbackDeltaSec?: number;
  prometheusBin?: string;
  promtoolBin?: string;
}

export interface PrometheusWithHistory {
  url: string;
  stop(): Promise<void>;
  /** First sample of the regressed "on" variant, epoch ms. */
  regressionAt: number;
  /** First and last sample, epoch ms. */
  start: number;
  end: number;
  stepSec: number;
  job: string;
  variantLabel: string;
  /** Selector for the history's service, for templates: `job="checkout"`. */
  selector: string;
  profile: HistoryProfile;
  series: number;
  samples: number;
  dataDir: string;
}

const INSTALL_HINT = 'apt-get install -y prometheus';

function requireBinary(path: string, name: string): void {
  if (!existsSync(path)) {
    throw new Error(`${name} not found at ${path}: Prometheus 2.x is required for these tests — ${INSTALL_HINT}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with code ${child.exitCode}: ${stderr().slice(-2000)}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus did not become ready within ${timeoutMs} ms: ${stderr().slice(-2000)}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startPrometheusWithHistory(opts: PrometheusHistoryOptions = {}): Promise<PrometheusWithHistory> {
  const prometheusBin = opts.prometheusBin ?? process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
  const promtoolBin = opts.promtoolBin ?? process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
  requireBinary(prometheusBin, 'prometheus');
  requireBinary(promtoolBin, 'promtool');

  const stepSec = opts.stepSec ?? 60;
  const stepMs = stepSec * 1000;
  const end = Math.floor((opts.endMs ?? Date.now()) / stepMs) * stepMs;
  const start = end - (opts.hours ?? 24) * 3_600_000;
  const regressionAt =
    opts.regressionAtMs !== undefined
      ? Math.ceil(opts.regressionAtMs / stepMs) * stepMs
      : end - (opts.regressionMinutesBeforeEnd ?? 120) * 60_000;
  const job = opts.job ?? 'checkout';
  const variantLabel = opts.variantLabel ?? 'feature_flag_result_variant';
  const profile = opts.profile ?? DEFAULT_PROFILE;

  const dir = await mkdtemp(join(tmpdir(), 'rampart-prom-'));
  const dataDir = join(dir, 'data');
  let child: ChildProcess | undefined;
  try {
    const file = join(dir, 'history.om');
    const stats = await writeHistory(file, {
      startMs: start,
      endMs: end,
      stepSec,
      regressionAtMs: regressionAt,
      job,
      variantLabel,
      seed: opts.seed ?? 42,
      profile,
    });
    await promisify(execFile)(promtoolBin, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], {
      maxBuffer: 16 * 1024 * 1024,
    });
    await rm(file);
    await writeFile(join(dir, 'p.yml'), 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      let stderr = '';
      child = spawn(
        prometheusBin,
        [
          `--config.file=${join(dir, 'p.yml')}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // Retention counts back from the newest block: keep history of any age the test asks for.
          '--storage.tsdb.retention.time=10y',
          `--query.lookback-delta=${opts.lookbackDeltaSec ?? 300}s`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString('utf8')).slice(-8000);
      });
      try {
        await waitReady(url, child, () => stderr, 60_000);
      } catch (e) {
        await stopProcess(child);
        // Another process may take the port between our probe and Prometheus' bind: try another one.
        if (attempt < 3 && /address already in use/.test(stderr)) continue;
        throw e;
      }
      const running = child;
      return {
        url,
        stop: async () => {
          await stopProcess(running);
          await rm(dir, { recursive: true, force: true });
        },
        regressionAt,
        start,
        end,
        stepSec,
        job,
        variantLabel,
        selector: `job="${job}"`,
        profile,
        series: stats.series,
        samples: stats.samples,
        dataDir,
      };
    }
  } catch (e) {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
