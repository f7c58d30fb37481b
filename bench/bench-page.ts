/**
 * Builds the bench page (bench/page, Vite) and opens it in Chromium behind a loopback static server; `call`
 * invokes its `window.rampartBench` API. Used by the chart/memory benchmarks and the pixel-check test.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './browser';
import type { BenchApi } from './page/main';
import { serveStatic, type StaticServer } from './static-server';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const REPO_ROOT = resolve(HERE, '..');
export const DEFAULT_PAGE_OUT = join(REPO_ROOT, 'bench', 'out', 'tmp', 'page');

/** Builds the page into `outDir` with the Vite CLI (≈2 s; a child process, so it runs the same under tsx and vitest). */
export async function buildBenchPage(outDir = DEFAULT_PAGE_OUT): Promise<string> {
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = join(REPO_ROOT, 'bench', 'page', 'vite.config.mts');
  const args = [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (c) => done({ code: c, output }));
  });
  if (code !== 0 || !existsSync(join(outDir, 'index.html')))
    throw new Error(`bench page build failed (vite exit ${code}): ${output.slice(-2000)}`);
  return outDir;
}

type ApiArg<K extends keyof BenchApi> = Parameters<BenchApi[K]>[0];
type ApiResult<K extends keyof BenchApi> = Awaited<ReturnType<BenchApi[K]>>;

export interface OpenBenchPage {
  browser: LaunchedBrowser;
  page: Page;
  call<K extends keyof BenchApi>(name: K, arg: ApiArg<K>): Promise<ApiResult<K>>;
  close(): Promise<void>;
}

export async function callBench<K extends keyof BenchApi>(page: Page, name: K, arg: ApiArg<K>): Promise<ApiResult<K>> {
  type Callable = Record<string, (a: unknown) => unknown>;
  const result = await page.evaluate(
    ({ n, a }) => (globalThis as unknown as { rampartBench: Callable }).rampartBench[n](a),
    { n: String(name), a: arg as unknown },
  );
  return result as ApiResult<K>;
}

/** A fresh Chromium (own profile) showing the built page; the server may be shared between launches. */
export async function openBenchPage(
  server: StaticServer,
  viewport = { width: 1440, height: 900 },
): Promise<OpenBenchPage> {
  const browser = await launchBrowser(viewport);
  const errors: string[] = [];
  browser.page.on('pageerror', (e) => errors.push(e.message));
  browser.page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await browser.page.goto(server.url);
  try {
    await browser.page.waitForSelector('body[data-bench-ready="true"]', { state: 'attached', timeout: 15_000 });
  } catch (e) {
    await browser.close();
    throw new Error(`bench page did not start: ${errors.join('; ') || (e as Error).message}`);
  }
  return {
    browser,
    page: browser.page,
    call: (name, arg) => callBench(browser.page, name, arg),
    close: () => browser.close(),
  };
}

export { serveStatic };
