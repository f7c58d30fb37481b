/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): a fresh profile per launch, and the
 * browser's processes found through /proc so a renderer's peak memory can be read and a hung browser killed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Fails (never skips) with how to install Chromium when it is missing. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: apt-get install -y chromium`);
}

export interface ChromiumProcess {
  pid: number;
  ppid: number;
  type: string;
  /** Peak resident set size (VmHWM) in bytes. */
  peakRss: number;
  rss: number;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  /** Chromium's processes (browser, zygotes, renderers, GPU/utility), read from /proc now. */
  processes(): ChromiumProcess[];
  /** Closes the browser; a browser that does not close in time (a renderer stuck in a huge render) is killed. */
  close(): Promise<void>;
}

function procStatus(pid: number): { ppid: number; peakRss: number; rss: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) * 1024;
    return { ppid: Number(/^PPid:\s+(\d+)/m.exec(s)?.[1] ?? 0), peakRss: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return null; // exited meanwhile
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The processes of the Chromium started with this profile directory: its browser process and all descendants. */
export function chromiumProcesses(userDataDir: string): ChromiumProcess[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .map((pid) => ({ pid, status: procStatus(pid) }))
    .filter((p): p is { pid: number; status: NonNullable<ReturnType<typeof procStatus>> } => p.status !== null);
  const roots = all
    .filter((p) => cmdline(p.pid).includes(`--user-data-dir=${userDataDir}`) && !cmdline(p.pid).includes('--type='))
    .map((p) => p.pid);
  const inTree = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.status.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all
    .filter((p) => inTree.has(p.pid))
    .map((p) => ({
      pid: p.pid,
      ppid: p.status.ppid,
      type: /--type=(\S+)/.exec(cmdline(p.pid))?.[1] ?? 'browser',
      peakRss: p.status.peakRss,
      rss: p.status.rss,
    }));
}

export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<LaunchedBrowser> {
  assertChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'rampart-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
    viewport,
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const processes = (): ChromiumProcess[] => chromiumProcesses(userDataDir);
  return {
    context,
    page,
    processes,
    async close() {
      const pids = processes().map((p) => p.pid);
      const closed = context.close().then(() => true);
      const timedOut = new Promise<boolean>((r) => setTimeout(() => r(false), 5_000));
      if (!(await Promise.race([closed, timedOut]))) {
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        await closed.catch(() => undefined);
      }
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
