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
  /** The link `serve` printed: its one-time code signs in ONE page, once. For another page, use newLaunchUrl(). */
  launchUrl: string;
  /** A fresh one-time launch link (minted by the host for a holder of the token). */
  newLaunchUrl(): Promise<string>;
  /** Origin of the host, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** The per-launch token (`serve --json` prints it; never in a URL), for `Authorization: Bearer` calls from the test. */
  token: string;
  dataDir: string;
  /** Everything the host printed on stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export function requireBuiltApp(): void {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error(
      `The app is not built (${CLI} or out/renderer/index.html missing): run 'npm run build' (electron-vite build) first.`,
    );
  }
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium'.`);
}

export interface StartHostOptions {
  /** Extra environment for the host process, e.g. the variable a connection names as its token. */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Serve this data directory (a workspace an earlier host prepared) instead of a fresh one; kept on stop. */
  dataDir?: string;
}

/** `rampart serve --json` prints one JSON line: the launch URL (a one-time code in its fragment) and the token. */
export async function startHost(opts: StartHostOptions = {}): Promise<RunningHost> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  requireBuiltApp();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, ...opts.env, NODE_ENV: 'production' },
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const printed = await new Promise<{ launchUrl: string; token: string }>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`rampart serve printed no URL within ${timeoutMs} ms. stderr:\n${err}`)),
      timeoutMs,
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      try {
        const info = JSON.parse(line) as { launchUrl?: string; token?: string };
        if (!info.launchUrl || !info.token) throw new Error('no launchUrl or token');
        clearTimeout(timer);
        resolveUrl({ launchUrl: info.launchUrl, token: info.token });
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
  const origin = new URL(printed.launchUrl).origin;
  return {
    launchUrl: printed.launchUrl,
    newLaunchUrl: () => newLaunchUrl({ origin, token: printed.token }),
    origin,
    token: printed.token,
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
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One contract call through the host, as another client would make it (the CLI or a script): the result, or a
 * thrown Error carrying the envelope's code and message.
 */
export async function rpc<T = unknown>(
  host: Pick<RunningHost, 'origin' | 'token'>,
  channel: string,
  payload: unknown,
): Promise<T> {
  const res = await fetch(`${host.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(payload),
  });
  const body = (await res.json()) as { result?: T; error?: { code: string; message: string } };
  if (body.error || body.result === undefined)
    throw new Error(
      `${channel} failed: ${body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}, no result`}`,
    );
  return body.result;
}

/** Another one-time launch link, for a second page (each link signs in one page once). */
export async function newLaunchUrl(host: Pick<RunningHost, 'origin' | 'token'>): Promise<string> {
  const res = await fetch(`${host.origin}/auth/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: '{}',
  });
  const body = (await res.json().catch(() => ({}))) as { launchUrl?: string };
  if (!res.ok || !body.launchUrl) throw new Error(`the host minted no launch link (HTTP ${res.status})`);
  return body.launchUrl;
}

export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
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

/** The two layouts every view is looked at in (README: 1024×700 and 1920×1080). */
export const SCREEN_SIZES = [
  { name: '1024x700', width: 1024, height: 700 },
  { name: '1920x1080', width: 1920, height: 1080 },
] as const;

export interface DemoSession {
  host: RunningHost;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * The browser host on a fresh demo workspace with one Chromium page on it, loaded: what a view's e2e file starts
 * from. Page errors go into `pageErrors`, which the file asserts empty at its end. The page has spent the host's
 * `launchUrl`; to sign in again (or another page) use `gotoApp` / `newLaunchUrl`, which mint a fresh one.
 */
export async function openDemoSession(pageErrors: string[]): Promise<DemoSession> {
  requireChromium();
  requireBuiltApp();
  const host = await startHost();
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await host.stop();
  };
  try {
    browser = await launchChromium();
    const page = await openPage(browser, pageErrors);
    await page.goto(host.launchUrl);
    await page.waitForSelector('body[data-app-state="loaded"]', { timeout: 30_000 });
    return { host, browser, page, close };
  } catch (e) {
    // The file's afterAll has no session to close: stop what did start, so no host outlives the file.
    await close();
    throw e;
  }
}
