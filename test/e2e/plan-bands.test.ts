/**
 * Plan steps drawn as bands on the canary watch's charts (issue 12), in Chromium against the real browser host and
 * the demo workspace: a plan that takes its first step (a ramp) draws its band, labelled as the PlanStrip numbers it
 * ("plan step 1/3 · 60%"), coloured by how it ended; a plan the autopilot rolls back ends its band with a rollback
 * marker whose tooltip gives the plan's reason. Plans run without a bake floor (bakeMs 0). A second step is not
 * waited for: the decision needs a lookback (60 s) of data after a step before it can pass, past this test's budget.
 * Screenshots at 1024×700 and 1920×1080 go to test-results/screenshots/plan-bands-*.png (docs/plan-bands.png and
 * docs/plan-bands-rolled-back.png are the 1920×1080 ones, copied by hand).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PlanView } from '../../shared/domain/plans';
import {
  rpc,
  screenshotPath,
  type RunningHost,
  openDemoSession,
  SCREEN_SIZES,
  type DemoSession,
} from './support/browser-host';

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

const getPlan = (planId: string): Promise<PlanView> => rpc<PlanView>(host, 'plans:get', { planId });

async function startPlan(flagKey: string, steps: number[], comment: string): Promise<PlanView> {
  return rpc<PlanView>(host, 'plans:start', {
    connectionId: 'demo-flags',
    flagKey,
    env: 'production',
    policy: { steps: steps.map((exposure) => ({ exposure })), bakeMs: 0 },
    comment,
  });
}

async function waitForPlan(planId: string, done: (p: PlanView) => boolean, what: string): Promise<PlanView> {
  let last: PlanView | undefined;
  await expect
    .poll(async () => done((last = await getPlan(planId))), { timeout: 30_000, message: `plan never ${what}` })
    .toBe(true);
  return last!;
}

/** The canary watch zoomed onto the plan's time (and a few minutes of data before it), so short steps show. */
async function openZoomed(flagKey: string, from: number, to: number): Promise<void> {
  const url = new URL(page.url());
  url.hash = `#/canary?c=demo-flags&f=${flagKey}&e=production&from=${from}&to=${to}`;
  await page.goto(url.toString());
  await page.locator('[data-testid=plan-strip]').first().waitFor({ timeout: 20_000 });
}

const latency = () => page.locator('[data-testid=chart-latency]');

/** The band's label as drawn on the chart (SVG text), and the strip's step with the same number. */
async function labelOf(step: number): Promise<string> {
  const label = latency().locator(`[data-testid=plan-band-label][data-step="${step}"]`);
  await label.waitFor({ timeout: 20_000 });
  return label.locator('text').textContent() as Promise<string>;
}

async function stripStep(step: number): Promise<{ status: string; text: string }> {
  const s = page.locator('[data-testid=plan-strip] [data-testid=plan-step]').nth(step - 1);
  return { status: (await s.getAttribute('data-status')) ?? '', text: (await s.innerText()).replace(/[✓●○✕·\s]/g, '') };
}

/** Hovers the latency chart at the middle (or the end) of a band; returns the tooltip's text. */
async function hoverBand(step: number, where: 'middle' | 'end'): Promise<string> {
  const band = latency().locator(`[data-testid=plan-band][data-step="${step}"]`).first();
  const box = (await band.boundingBox())!;
  const x = where === 'middle' ? box.x + box.width / 2 : box.x + box.width + 1;
  await page.mouse.move(x, box.y - 40);
  const tip = page.locator('[data-testid=hover-tooltip]');
  await tip.waitFor({ timeout: 10_000 });
  return tip.innerText();
}

async function shoot(name: string): Promise<void> {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.mouse.move(2, 2);
    await latency().locator('[data-testid=plan-band-label]').first().waitFor();
    await expect
      .poll(async () => Number(await latency().getAttribute('data-points')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath(`plan-bands-${name}-${s.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
}

describe('plan steps as bands on the canary charts', () => {
  it('a plan that takes its first step draws its band, labelled as the strip numbers it; the abort before it a marker', async () => {
    // search-ranker carries the demo's own plan (15 min bakes): abort it (back to 0 %), then start one whose first
    // step is a real ramp, 0 → 60 %, written through the rollout service like any other step.
    const aborted = await rpc<PlanView>(host, 'plans:abort', {
      planId: 'plan-demo',
      comment: 'replaced by a fast plan for the bands test',
    });
    expect(aborted.state).toBe('aborted');
    const started = await startPlan('search-ranker', [60, 70, 100], 'bands: a healthy plan that takes a step');
    expect(started.expected).toEqual({ enabled: true, exposure: 60 });
    const flag = await rpc<{ flag: { envs: Record<string, { exposure: number | null }> } }>(host, 'flags:get', {
      connectionId: 'demo-flags',
      flagKey: 'search-ranker',
    });
    expect(flag.flag.envs.production.exposure).toBe(60);
    // Let the step run for a while, so its band shows at both sizes.
    await page.waitForTimeout(10_000);
    await openZoomed('search-ranker', started.startedAt - 4 * 60_000, Date.now());

    expect(await labelOf(1)).toBe('plan step 1/3 · 60%');
    expect(await stripStep(1)).toEqual({ status: 'current', text: '60%' });
    expect(await page.locator('[data-testid=plan-strip] [data-testid=plan-exposure]').innerText()).toBe('60%');
    expect(await page.locator('[data-testid=plan-strip]').innerText()).toMatch(/step 1 of 3/);
    const bands = latency().locator('[data-testid=plan-band]');
    const outcomes: Record<string, string> = {};
    for (let i = 0; i < (await bands.count()); i++)
      outcomes[(await bands.nth(i).getAttribute('data-label'))!] = (await bands.nth(i).getAttribute('data-outcome'))!;
    // The demo plan's step (4 of 6, 50 %) ended by the abort, then the new plan's first step, running.
    expect(outcomes).toEqual({ 'plan step 4/6 · 50%': 'aborted', 'plan step 1/3 · 60%': 'current' });
    expect(await latency().locator('[data-testid=plan-rollback-marker]').count()).toBe(1);
    // The same bands on the traffic chart, unlabelled there (its labels are the ramp bands').
    expect(await page.locator('[data-testid=chart-traffic] [data-testid=plan-band]').count()).toBe(2);
    expect(await page.locator('[data-testid=chart-traffic] [data-testid=plan-band-label]').count()).toBe(0);

    expect(await hoverBand(1, 'middle')).toMatch(/plan step 1\/3 · 60% running since \d\d:\d\d:\d\d/);
    await shoot('running');
  }, 60_000);

  it('a plan the autopilot rolls back ends its band with a rollback marker carrying the reason', async () => {
    // checkout-v2 is the demo's regressing flag: the plan starts on its 25 %, and the next data step says roll back
    // (a ramp above 25 % would be refused by the metrics guard already).
    const started = await startPlan('checkout-v2', [25, 50, 100], 'bands: a plan that gets rolled back');
    const rolled = await waitForPlan(started.id, (p) => p.state === 'rolled-back', 'rolled back');
    await page.waitForTimeout(3_000);
    await openZoomed('checkout-v2', started.startedAt - 4 * 60_000, Date.now());

    expect(await labelOf(1)).toBe('plan step 1/3 · 25%');
    expect(await stripStep(1)).toEqual({ status: 'rolled-back', text: '25%' });
    const band = latency().locator('[data-testid=plan-band][data-step="1"]');
    expect(await band.getAttribute('data-outcome')).toBe('rolled-back');
    const marker = latency().locator('[data-testid=plan-rollback-marker]');
    expect(await marker.count()).toBe(1);
    const events = await rpc<{ kind: string; at: number }[]>(host, 'plans:events', { planId: started.id });
    expect(Number(await marker.getAttribute('data-at'))).toBe(events.find((e) => e.kind === 'rollback')!.at);

    const tip = await hoverBand(1, 'end');
    expect(tip).toMatch(/▼ rolled back at \d\d:\d\d:\d\d/);
    expect(tip).toContain(rolled.rollback!.reason.slice(0, 60));
    await shoot('rolled-back');

    // The incident view's chart, over every flag, draws the plans that ran in its window, each naming its flag.
    await page.locator('[data-testid=nav-incident]').click();
    const incident = page.locator('[data-testid=incident-chart]');
    await incident.waitFor({ timeout: 20_000 });
    const incidentBand = incident.locator('[data-testid=plan-band][data-label="checkout-v2: plan step 1/3 · 25%"]');
    await incidentBand.waitFor({ timeout: 20_000 });
    expect(await incidentBand.getAttribute('data-outcome')).toBe('rolled-back');
  }, 60_000);

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
