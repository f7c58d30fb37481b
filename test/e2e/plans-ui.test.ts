/**
 * The plan UI in Chromium against the real browser host (issue 12): the demo starts with one plan running on its
 * healthy flag; the canary watch shows it as a strip of steps with bake progress, the next decision and when, and
 * Pause / Resume / Abort; a plan started from the strip climbs from the store's state; Abort rolls back, confirmed;
 * the Plans view lists every plan across stores. Screenshots of every state at 1024×700 and 1920×1080 go to
 * test-results/screenshots/plans-*.png (docs/plans.png is the Plans view's, copied by hand when it changes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WatchDecision } from '../../shared/domain/decision';
import type { PlanView } from '../../shared/domain/plans';
import { snapshotOf } from '../../main/plans/step-rules';
import {
  rpc,
  screenshotPath,
  type RunningHost,
  openDemoSession,
  SCREEN_SIZES,
  type DemoSession,
} from './support/browser-host';
import { FIXTURES, FIXTURE_CONNECTION, fixtureStore, writeFixturePlans } from '../plans/support/ui-fixtures';

const SIZES = SCREEN_SIZES;

let session: DemoSession;
let host: RunningHost;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  session = await openDemoSession(pageErrors);
  ({ host, page } = session);
}, 120_000);

afterAll(() => session?.close());

async function openFlag(connectionId: string, flagKey: string): Promise<void> {
  // A deep link, as pasted into the address bar of the open page (the UI follows hashchange).
  const url = new URL(page.url());
  url.hash = `#/canary?c=${encodeURIComponent(connectionId)}&f=${encodeURIComponent(flagKey)}&e=production&r=6h`;
  await page.goto(url.toString());
  // The workspace of THIS flag (the previous flag's strip is still on screen until the switch lands).
  const key = new RegExp(`^${flagKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.locator('[data-testid=decision-bar] code').filter({ hasText: key }).waitFor({ timeout: 20_000 });
  await page.locator(`[data-testid=plan-strip]`).first().waitFor({ timeout: 20_000 });
}

/**
 * Each state at both sizes. `stripOnly` for the fixture states: their plan is written, not lived, so the rest of the
 * page (the live decision of a fixture watch) would tell another story than the strip.
 */
async function shoot(name: string, stripOnly = false): Promise<void> {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(300);
    const path = screenshotPath(`plans-${name}-${s.name}.png`);
    if (stripOnly) await page.locator('[data-testid=plan-strip]').screenshot({ path });
    else await page.screenshot({ path });
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
}

async function act(verb: 'pause' | 'resume' | 'abort' | 'approve', comment: string): Promise<void> {
  await page.locator(`[data-testid=plan-strip] [data-testid=plan-${verb}]`).click();
  await page.locator('[data-testid=plan-action-dialog]').waitFor();
  await page.keyboard.type(comment);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=plan-action-dialog]').waitFor({ state: 'detached', timeout: 20_000 });
}

const stripState = () => page.locator('[data-testid=plan-strip]').getAttribute('data-state');

describe('plans in the browser host', () => {
  it('the demo’s plan runs on search-ranker: a strip of steps, bake progress, the next decision and when', async () => {
    await openFlag('demo-flags', 'search-ranker');
    const strip = page.locator('[data-testid=plan-strip]');
    await expect.poll(stripState, { timeout: 20_000 }).toMatch(/^(running|holding)$/);
    const steps = strip.locator('[data-testid=plan-step]');
    expect(await steps.count()).toBe(6);
    expect(await steps.nth(3).getAttribute('data-status')).toBe('current');
    expect(await steps.nth(2).getAttribute('data-status')).toBe('before'); // the demo plan started at 50 %: it never drove 1–25 %
    expect(await strip.locator('[data-testid=plan-exposure]').innerText()).toBe('50%');
    expect(await strip.locator('[data-testid=plan-bake]').innerText()).toMatch(/of 15 min/);
    expect(await strip.locator('[data-testid=plan-next]').innerText()).toMatch(
      /^next: (advance to 75%|hold until the decision passes)/,
    );
    await shoot('running');
  });

  it('Pause and Resume from the strip, each with a comment, audited', async () => {
    await act('pause', 'holding for the search team sync');
    await expect.poll(stripState, { timeout: 10_000 }).toBe('paused');
    expect(await page.locator('[data-testid=plan-reason]').innerText()).toMatch(
      /paused by .*: holding for the search team sync/,
    );
    await shoot('paused');
    await act('resume', 'sync done, carry on');
    await expect.poll(stripState, { timeout: 10_000 }).toMatch(/^(running|holding)$/);
    const audit = await rpc<{ action: string; comment: string; door: string }[]>(host, 'audit:list', {
      flagKey: 'search-ranker',
    });
    expect(audit.filter((a) => a.action.startsWith('plan-')).map((a) => `${a.action} ${a.door}`)).toEqual(
      expect.arrayContaining(['plan-pause http', 'plan-resume http']),
    );
  });

  it('starts a plan on checkout-v2 from its strip (it is at 25 %), then Abort rolls it back, confirmed', async () => {
    await openFlag('demo-flags', 'checkout-v2');
    await page.locator('[data-testid=plan-start]').click();
    await page.locator('[data-testid=start-plan-dialog]').waitFor();
    await page.locator('[data-testid=plan-steps-input]').fill('5, 25, 50, 100');
    await page.locator('[data-testid=plan-start-comment]').fill('guarded rollout of the new checkout');
    await page.locator('[data-testid=plan-start-confirm]').click();
    await page.locator('[data-testid=start-plan-dialog]').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(stripState, { timeout: 10_000 }).toMatch(/^(running|holding|rolled-back)$/);
    expect(await page.locator('[data-testid=plan-step]').nth(1).getAttribute('data-status')).toMatch(
      /current|rolled-back/,
    );
    // checkout-v2 is the demo's regressing flag: the autopilot may roll it back on its own before the click lands.
    if ((await stripState()) !== 'rolled-back') {
      await page.locator('[data-testid=plan-strip] [data-testid=plan-abort]').click();
      await page.keyboard.type('p99 of the payment call is climbing');
      await page.keyboard.press('Enter');
      await expect.poll(stripState, { timeout: 20_000 }).toMatch(/^(aborted|rolled-back)$/);
      if ((await page.locator('[data-testid=plan-action-dialog]').count()) > 0) await page.keyboard.press('Escape');
    }
    const flag = await rpc<{ flag: { envs: Record<string, { exposure: number | null; enabled: boolean }> } }>(
      host,
      'flags:get',
      { connectionId: 'demo-flags', flagKey: 'checkout-v2' },
    );
    const s = flag.flag.envs.production;
    expect(s.enabled === false || s.exposure === 0).toBe(true);
    await shoot((await stripState()) as string);
  });

  it('shows every other state, across stores, in the strip and in the Plans view', async () => {
    const fx = fixtureStore(host.dataDir);
    await rpc(host, 'connections:save', { connection: fx.connection });
    const demoWatch = (await rpc<{ id: string; metrics: unknown[] }[]>(host, 'watches:list', {})).find(
      (w) => w.id === 'demo-search-ranker',
    )!;
    for (const w of fx.watches) await rpc(host, 'watches:save', { watch: { ...w, metrics: demoWatch.metrics } });
    const decision = await rpc<WatchDecision>(host, 'decision:get', { watchId: 'demo-search-ranker' });
    writeFixturePlans(host.dataDir, snapshotOf(decision), Date.now());
    // A new store's flags reach the flag list on its next fetch: reload (the session survives a reload).
    await page.reload();
    await page.waitForSelector('body[data-app-state="loaded"]', { timeout: 30_000 }).catch(async (e: Error) => {
      // Seen once under load and not reproduced since: say what the page showed and what the host printed.
      const state = await page.evaluate(
        'document.body.dataset.appState + " | " + document.body.innerText.slice(0, 600)',
      );
      throw new Error(`${e.message}\npage: ${String(state)}\nhost stderr: ${host.stderr().slice(-1500)}`);
    });
    for (const f of FIXTURES) {
      await openFlag(FIXTURE_CONNECTION, f.flag);
      await expect.poll(stripState, { timeout: 10_000 }).toBe(f.state);
      expect(await page.locator('[data-testid=plan-reason]').innerText()).toContain(f.reason.slice(0, 40));
      if (f.state === 'awaiting-approval') expect(await page.locator('[data-testid=plan-approve]').count()).toBe(1);
      if (f.recovery)
        expect(await page.locator('[data-testid=plan-recovery]').innerText()).toContain(
          f.recovery.message.slice(0, 30),
        );
      await shoot(f.state, true);
    }
    await page.locator('[data-testid=nav-plans]').click();
    await page.locator('[data-testid=plans-view]').waitFor();
    await expect
      .poll(() => page.locator('[data-testid=plan-row]').count(), { timeout: 10_000 })
      .toBe(FIXTURES.length + 2);
    const rows = page.locator('[data-testid=plan-row]');
    const states: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) states.push((await rows.nth(i).getAttribute('data-state')) ?? '');
    const plans = await rpc<PlanView[]>(host, 'plans:list', {});
    expect(states.sort()).toEqual(plans.map((p) => p.state).sort());
    for (const state of FIXTURES.map((f) => f.state)) expect(states).toContain(state);
    expect(new Set(plans.map((p) => p.connectionId))).toEqual(new Set(['demo-flags', FIXTURE_CONNECTION]));
    await shoot('view');
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
