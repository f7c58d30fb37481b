/**
 * One measured session of the shipped app: `rampart serve` (the built CLI, a fresh data directory, the demo) opened
 * in headless Chromium with the probe installed (bench/app/probe.ts) and the DevTools protocol counting what
 * crosses the wire (requests, bytes of answers and of pushed events) and what the renderer's main thread does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { REPO_ROOT } from '../bench-page';
import { launchBrowser, type LaunchedBrowser } from '../browser';
import { PROBE_SCRIPT, type ProbeFetch, type ProbeState } from './probe';

/** The CLI measured: the build of this tree, or another build (RAMPART_BENCH_CLI, e.g. the commit before a change). */
export function benchCli(): string {
  return process.env.RAMPART_BENCH_CLI ?? join(REPO_ROOT, 'out', 'main', 'cli.js');
}

export interface WireCounters {
  requests: number;
  /** Bytes of answers (encoded, as received) plus bytes of pushed events. */
  bytes: number;
  pushedBytes: number;
  pushedEvents: number;
  byChannel: Record<string, { requests: number; bytes: number }>;
}

export interface AppSession {
  page: Page;
  browser: LaunchedBrowser;
  cdp: CDPSession;
  origin: string;
  token: string;
  /** The host's fresh data directory (the demo workspace is installed in it). */
  dataDir: string;
  probe(): Promise<ProbeState>;
  /** Counters since `reset()`. */
  wire(): WireCounters;
  resetWire(): void;
  /** Bodies of the answers of these channels, in order, captured as they finished. */
  answers(channel: string): { body: string; at: number }[];
  /** The renderer's main thread busy time (DevTools TaskDuration, seconds) and the renderer processes' CPU (s). */
  cpu(): Promise<{ mainThreadS: number; processS: number }>;
  close(): Promise<void>;
}

function spawnHost(cli: string, dataDir: string): Promise<{ child: ChildProcess; launchUrl: string; token: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, '--port', '0', '--json'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`rampart serve printed no URL in 30 s: ${err.slice(-300)}`)),
      30_000,
    );
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line || !out.includes('\n')) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as { launchUrl: string; token: string };
      resolve({ child, launchUrl: info.launchUrl, token: info.token });
    });
    child.once('exit', (code) =>
      reject(new Error(`rampart serve exited (${code}) before printing its URL: ${err.slice(-300)}`)),
    );
  });
}

/** clock ticks → seconds of utime + stime of a process (Linux /proc). */
function processCpuS(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export async function openAppSession(viewport = { width: 1440, height: 900 }): Promise<AppSession> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-bench-app-'));
  const host = await spawnHost(benchCli(), dataDir);
  const browser = await launchBrowser(viewport);
  const { page } = browser;
  await page.addInitScript(PROBE_SCRIPT);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Performance.enable');

  const requests = new Map<string, { channel: string; bytes: number; sse: boolean }>();
  const bodies = new Map<string, { body: string; at: number }[]>();
  let wire: WireCounters = { requests: 0, bytes: 0, pushedBytes: 0, pushedEvents: 0, byChannel: {} };
  const charge = (channel: string, bytes: number, request: boolean): void => {
    const c = (wire.byChannel[channel] ??= { requests: 0, bytes: 0 });
    c.bytes += bytes;
    wire.bytes += bytes;
    if (request) {
      c.requests++;
      wire.requests++;
    }
  };
  cdp.on('Network.requestWillBeSent', (e) => {
    const m = /\/(rpc\/[^?#]+|events)/.exec(e.request.url);
    if (!m) return;
    const channel = m[1] === 'events' ? 'events' : decodeURIComponent(m[1].slice(4));
    requests.set(e.requestId, { channel, bytes: 0, sse: channel === 'events' });
    charge(channel, (e.request.postData ?? '').length, true);
  });
  cdp.on('Network.dataReceived', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.bytes += e.encodedDataLength;
    if (r.sse) charge('events', e.encodedDataLength, false);
  });
  cdp.on('Network.eventSourceMessageReceived', (e) => {
    wire.pushedEvents++;
    wire.pushedBytes += e.data.length + e.eventName.length + 14; // "event: …\ndata: …\n\n"
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (!r || r.sse) return;
    charge(r.channel, Math.max(r.bytes, e.encodedDataLength), false);
    if (r.channel.startsWith('series:')) {
      const at = Date.now();
      void cdp.send('Network.getResponseBody', { requestId: e.requestId }).then(
        (b) =>
          bodies.set(r.channel, [
            ...(bodies.get(r.channel) ?? []),
            { body: b.base64Encoded ? Buffer.from(b.body, 'base64').toString('utf8') : b.body, at },
          ]),
        () => undefined,
      );
    }
  });

  await page.goto(host.launchUrl);
  const origin = new URL(host.launchUrl).origin;
  return {
    page,
    browser,
    cdp,
    origin,
    token: host.token,
    dataDir,
    probe: () =>
      page.evaluate(() => {
        const p = (globalThis as unknown as { __rampartProbe: ProbeState }).__rampartProbe;
        return {
          fetches: p.fetches,
          inputs: p.inputs,
          longTasks: p.longTasks,
          paints: p.paints,
          longTaskError: p.longTaskError,
        };
      }),
    wire: () => ({
      ...wire,
      byChannel: Object.fromEntries(Object.entries(wire.byChannel).map(([k, c]) => [k, { ...c }])),
    }),
    resetWire: () => {
      wire = { requests: 0, bytes: 0, pushedBytes: 0, pushedEvents: 0, byChannel: {} };
    },
    answers: (channel) => bodies.get(channel) ?? [],
    async cpu() {
      const m = (await cdp.send('Performance.getMetrics')).metrics;
      const task = m.find((x) => x.name === 'TaskDuration')?.value ?? 0;
      const processS = browser
        .processes()
        .filter((p) => p.type === 'renderer')
        .reduce((a, p) => a + processCpuS(p.pid), 0);
      return { mainThreadS: task, processS };
    },
    async close() {
      await browser.close();
      if (host.child.exitCode === null) {
        const exited = new Promise<void>((r) => host.child.once('exit', () => r()));
        host.child.kill('SIGTERM');
        const kill = setTimeout(() => host.child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(kill);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Settled {
  /** input → the first frame that painted a change in a chart's plot (ms); NaN when nothing was drawn. */
  firstPaint: number;
  /** input → the frame that painted the last change, once the calls it caused were answered (ms). */
  lastPaint: number;
  /** The contract calls started after the input, with their times relative to it. */
  calls: { channel: string; start: number; end: number }[];
}

/**
 * Waits until what an input caused is drawn: every call started after it was answered and read, and the plot has
 * not changed for `quietMs`. Times are relative to the input's own event timestamp.
 */
export async function settleAfter(
  s: AppSession,
  input: number,
  o: { quietMs?: number; timeoutMs?: number; needCall?: (f: ProbeFetch) => boolean } = {},
): Promise<Settled> {
  const quiet = o.quietMs ?? 400;
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  for (;;) {
    const p = await s.probe();
    const calls = p.fetches.filter((f) => f.start >= input - 2);
    const open = calls.some((f) => f.end === 0);
    const needed = o.needCall ? calls.some((f) => o.needCall?.(f) && f.end > 0) : true;
    const paints = p.paints.filter((x) => x.mutation >= input);
    const lastChange = paints.length ? paints[paints.length - 1].mutation : input;
    const nowMs = (await s.page.evaluate(() => performance.now())) as number;
    if (
      !open &&
      needed &&
      nowMs - lastChange >= quiet &&
      (paints.length === 0 || paints[paints.length - 1].painted > 0)
    ) {
      const lastCallEnd = Math.max(input, ...calls.map((f) => f.end));
      const after = paints.filter((x) => x.mutation >= lastCallEnd - 1);
      const last = (after.length ? after : paints)[(after.length ? after : paints).length - 1];
      return {
        firstPaint: paints.length ? paints[0].painted - input : Number.NaN,
        lastPaint: last ? last.painted - input : Number.NaN,
        calls: calls.map((f) => ({ channel: f.channel, start: f.start - input, end: f.end - input })),
      };
    }
    if (Date.now() > deadline)
      throw new Error(
        `app bench: the view did not settle within ${o.timeoutMs ?? 20_000} ms after the input (open calls: ${
          calls
            .filter((f) => f.end === 0)
            .map((f) => f.channel)
            .join(', ') || 'none'
        })`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The event timestamp of the newest input of a type (the probe records them in capture phase). */
export async function lastInput(s: AppSession, type: string): Promise<number> {
  const p = await s.probe();
  const hit = [...p.inputs].reverse().find((i) => i.type === type);
  if (!hit) throw new Error(`app bench: no ${type} input was seen by the page`);
  return hit.at;
}
