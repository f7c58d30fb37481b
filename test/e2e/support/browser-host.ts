/**
 * Starts the real browser host (`node out/main/cli.js serve`) on a fresh data directory and a free port, and
 * headless Chromium (Debian's, via playwright-core). Missing pieces fail loudly with the command that fixes them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const CLI = join(ROOT, 'out', 'main', 'cli.js');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface RunningHost {
  launchUrl: string;
  /** Origin of the host, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** The per-launch token (also in launchUrl), for `Authorization: Bearer` calls from the test itself. */
  token: string;
  dataDir: string;
  /** Everything the host printed on stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export function requireBuiltApp(): void {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error(`The app is not built (${CLI} or out/renderer/index.html missing): run 'npm run build' (electron-vite build) first.`);
  }
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium'.`);
}

export interface StartHostOptions {
  /** Extra environment for the host process, e.g. the variable a connection names as its token. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** `rampart serve --json` prints one JSON line with the launch URL (it carries the per-launch token). */
export async function startHost(opts: StartHostOptions = {}): Promise<RunningHost> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  requireBuiltApp();
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, NODE_ENV: 'production' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const launchUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`rampart serve printed no URL within ${timeoutMs} ms. stderr:\n${err}`)), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      try {
        const info = JSON.parse(line) as { launchUrl?: string };
        if (!info.launchUrl) throw new Error('no launchUrl');
        clearTimeout(timer);
        resolveUrl(info.launchUrl);
      } catch (e) {
        if (out.includes('\n')) {
          clearTimeout(timer);
          reject(new Error(`rampart serve --json printed an unexpected line: ${line} (${(e as Error).message})`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rampart serve exited with code ${code} before printing its URL. stderr:\n${err}`));
    });
  });
  const parsed = new URL(launchUrl);
  return {
    launchUrl,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killTimer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One contract call through the host, as another client would make it (the CLI or a script): the result, or a
 * thrown Error carrying the envelope's code and message.
 */
export async function rpc<T = unknown>(host: Pick<RunningHost, 'origin' | 'token'>, channel: string, payload: unknown): Promise<T> {
  const res = await fetch(`${host.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(payload),
  });
  const body = (await res.json()) as { result?: T; error?: { code: string; message: string } };
  if (body.error || body.result === undefined) throw new Error(`${channel} failed: ${body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}, no result`}`);
  return body.result;
}

export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page at the size the screenshots use, collecting uncaught errors and console errors into `errors`. */
export async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}
