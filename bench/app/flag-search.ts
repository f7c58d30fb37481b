/**
 * 1,000 flags listed and searchable, and a rollback while verdicts compute — on the shipped app (bench/app/session.ts).
 *
 * Flags: a flagd file of 1,000 flags (the demo's own definitions, repeated) added as a connection through the
 * contract, the page reloaded until every row is listed, then a search typed key by key. A keystroke's cost is
 * what the user waits for beyond the display's own refresh: keydown → the end of the input's handling (React's
 * render of the filtered list included), plus the main-thread rendering of the frame that shows it (rAF → the next
 * task: style, layout, paint) — the idle wait for that frame's vsync is not work and is left out.
 *
 * Rollback: flags:rollback through the HTTP door, each sent while three verdicts of past moments are computing
 * (each queries the simulated service, reads and writes the series cache and runs the judge), next to the same
 * rollback on the idle host.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rpc } from './answers';
import { openAppSession, type AppSession } from './session';

export const FLAG_COUNT = 1_000;
const CONNECTION = 'bench-1000';
const SEARCHES = ['bench-flag-07', 'zz', 'dark'];

export interface FlagSearchRun {
  rows: number;
  /** Reload → every row listed (ms). */
  listedMs: number;
  keystrokes: { handling: number; frame: number }[];
  rollbackIdle: number[];
  rollbackBusy: number[];
  /** How many verdicts were still computing when each busy rollback was answered. */
  verdictsInFlight: number[];
}

const KEY_PROBE = String.raw`(() => {
  const K = { last: 0, costs: [] };
  window.__keyProbe = K;
  addEventListener('keydown', (e) => { K.last = e.timeStamp; }, true);
  addEventListener('input', () => {
    const t0 = K.last;
    let handled = 0;
    const a = new MessageChannel();
    a.port1.onmessage = () => { a.port1.close(); handled = performance.now(); };
    a.port2.postMessage(0);
    requestAnimationFrame(() => {
      const f0 = performance.now();
      const b = new MessageChannel();
      b.port1.onmessage = () => { b.port1.close(); K.costs.push({ handling: (handled || f0) - t0, frame: performance.now() - f0 }); };
      b.port2.postMessage(0);
    });
  }, true);
})();`;

/** A flagd file of FLAG_COUNT flags (the demo's definitions, repeated) added as a connection; the page reloaded until every row is listed. Returns ms from the reload. */
export async function addThousandFlags(s: AppSession): Promise<number> {
  const demo = JSON.parse(readFileSync(join(s.dataDir, 'demo', 'flags.json'), 'utf8')) as {
    flags: Record<string, unknown>;
  };
  const defs = Object.values(demo.flags);
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < FLAG_COUNT; i++) flags[`bench-flag-${String(i).padStart(4, '0')}`] = defs[i % defs.length];
  const file = join(s.dataDir, 'bench-1000-flags.json');
  writeFileSync(file, JSON.stringify({ ...demo, flags }, null, 2));
  await rpc(s.origin, s.token, 'connections:save', {
    connection: { id: CONNECTION, kind: 'flagd', name: 'Bench 1,000 flags', file, environment: 'production' },
  });
  const t0 = Date.now();
  await s.page.reload();
  // Polled from here: a predicate evaluated in the page would be a string eval, which the app's CSP forbids.
  while ((await listedRows(s)) < FLAG_COUNT) {
    if (Date.now() - t0 > 60_000)
      throw new Error(`flag bench: ${await listedRows(s)} of ${FLAG_COUNT} flags listed after 60 s`);
    await s.page.waitForTimeout(50);
  }
  return Date.now() - t0;
}

/** Rows in the flag list: the list renders those on screen, each saying how many there are (aria-setsize). */
export async function listedRows(s: AppSession): Promise<number> {
  const first = s.page.locator('[data-testid=flag-row]').first();
  if ((await first.count()) === 0) return 0;
  return Number((await first.getAttribute('aria-setsize')) ?? 0);
}

async function rollback(s: AppSession, flagKey: string): Promise<number> {
  const t0 = performance.now();
  await rpc(s.origin, s.token, 'flags:rollback', {
    connectionId: CONNECTION,
    flagKey,
    env: 'production',
    comment: 'benchmark rollback',
  });
  return performance.now() - t0;
}

export async function runFlagSearch(log: (m: string) => void): Promise<FlagSearchRun> {
  const s = await openAppSession();
  try {
    await s.page.waitForSelector('[data-app-state="loaded"]', { state: 'attached', timeout: 30_000 });
    await s.page.addInitScript(KEY_PROBE);
    const listedMs = await addThousandFlags(s);
    const rows = await listedRows(s);
    const rendered = await s.page.locator('[data-testid=flag-row]').count();
    log(`flags: ${rows} rows listed (${rendered} rendered) ${listedMs} ms after the reload`);

    const search = s.page.locator('[data-testid=flag-search]').first();
    for (const text of SEARCHES) {
      await search.click();
      await search.fill('');
      await s.page.keyboard.type(text, { delay: 120 });
      await s.page.waitForTimeout(200);
    }
    await search.fill('');
    const keystrokes = (await s.page.evaluate('window.__keyProbe.costs')) as FlagSearchRun['keystrokes'];
    log(
      `flags: keystrokes ${keystrokes.map((k) => (k.handling + k.frame).toFixed(0)).join(', ')} ms (handling ${keystrokes.map((k) => k.handling.toFixed(0)).join(', ')}; frame ${keystrokes.map((k) => k.frame.toFixed(0)).join(', ')})`,
    );

    const rollbackIdle: number[] = [];
    for (let i = 0; i < 8; i++) rollbackIdle.push(await rollback(s, `bench-flag-${String(100 + i).padStart(4, '0')}`));
    const rollbackBusy: number[] = [];
    const verdictsInFlight: number[] = [];
    const now = Date.now();
    for (let i = 0; i < 8; i++) {
      let open = 0;
      const verdicts = [1, 2, 3].map((k) => {
        open++;
        return rpc(s.origin, s.token, 'verdict:get', {
          watchId: 'demo-checkout-v2',
          baseline: 'pre',
          at: now - (i * 3 + k) * 1_800_000,
        }).finally(() => open--);
      });
      await new Promise((r) => setTimeout(r, 30));
      rollbackBusy.push(await rollback(s, `bench-flag-${String(200 + i).padStart(4, '0')}`));
      verdictsInFlight.push(open);
      await Promise.all(verdicts);
    }
    log(
      `rollback: idle ${rollbackIdle.map((x) => x.toFixed(0)).join(', ')} ms; with verdicts computing ${rollbackBusy.map((x) => x.toFixed(0)).join(', ')} ms (${verdictsInFlight.join(', ')} in flight)`,
    );
    return { rows, listedMs, keystrokes, rollbackIdle, rollbackBusy, verdictsInFlight };
  } finally {
    await s.close();
  }
}
