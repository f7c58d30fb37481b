/**
 * The live judge's extras and the incident timeline, end to end against the real browser host and the demo
 * workspace. The demo's checkout-v2 regresses (its slower new path shows from the 5% → 25% ramp on), so the
 * canary watch must mark an onset on its charts and spell out the guard, the sample-ratio check, the always-valid
 * intervals and the bake time; the incident timeline must find the onset near that ramp, rank it first among the
 * suspects, and open it in the canary watch. Screenshots: verdict-extras.png, incident.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, requireChromium, rpc, screenshotPath, startHost, type RunningHost, openPage } from './support/browser-host';

const FLAG = 'checkout-v2';
const WATCH = 'demo-checkout-v2';

describe('verdict extras and incident timeline (demo)', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const analyzeCalls: { from: number; to: number; metric: string }[] = [];

  beforeAll(async () => {
    requireChromium();
    host = await startHost();
    browser = await launchChromium();
    page = await openPage(browser, pageErrors);
    page.on('request', (req) => {
      if (req.url().endsWith('/rpc/incident:analyze')) analyzeCalls.push(JSON.parse(req.postData() ?? '{}') as { from: number; to: number; metric: string });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('marks the onset on the regressing flag’s charts and explains the live judge in the verdict panel', async () => {
    await page.goto(host.launchUrl);
    await page.waitForSelector('body[data-app-state="loaded"]', { timeout: 30_000 });
    await page.locator(`[data-testid=flag-row][data-flag-key=${FLAG}]`).click();
    await page.locator('[data-testid=verdict-guard]').waitFor({ timeout: 30_000 });

    // The core's own answer is what the page must show: same onset, same guard, same bake time.
    const verdict = await rpc<{ extras?: { onset: { at: number; metric: string } | null; guard: { act: boolean; consecutiveFixedFails: number; sustain: number }; bakeTime: { text: string } | null; srm: { status: string } | null; sequential: unknown[] } }>(
      host,
      'verdict:get',
      { watchId: WATCH, baseline: 'pre' },
    );
    const extras = verdict.extras;
    expect(extras, 'the core fills the verdict extras').toBeDefined();
    if (!extras) return;
    expect(extras.onset, 'the regressing demo flag has an onset').not.toBeNull();

    const onsetMarker = page.locator('[data-testid=chart-latency] [data-testid=onset-marker]');
    await expect.poll(() => onsetMarker.count(), { timeout: 15_000 }).toBe(1);
    expect(await onsetMarker.getAttribute('data-label')).toMatch(new RegExp(`^onset: ${extras.onset?.metric} [+−±]\\d+(\\.\\d)?%$`));
    expect(await onsetMarker.innerHTML()).toContain('onset: p99');

    const guard = page.locator('[data-testid=verdict-guard]');
    expect(await guard.getAttribute('data-act')).toBe(String(extras.guard.act));
    expect(await guard.innerText()).toContain(extras.guard.act ? 'WOULD ACT NOW' : 'would not act');
    // Each verdict:get is a look of the live guard, so the streak may have moved on by one since the page's look.
    expect(await page.locator('[data-testid=guard-streak]').innerText()).toMatch(new RegExp(`^fixed-horizon fail \\d+ of ${extras.guard.sustain} needed`));

    const srm = page.locator('[data-testid=verdict-srm]');
    expect(await srm.getAttribute('data-status')).toBe(extras.srm?.status ?? 'none');
    if (extras.srm?.status === 'alert') {
      expect(await srm.getAttribute('role')).toBe('alert');
      expect(await srm.innerText()).toMatch(/ALERT — sample ratio mismatch/);
      expect(await srm.innerText()).toMatch(/observed[\s\S]*expected/);
    }

    // An always-valid interval beside each metric's fixed-horizon interval.
    const metricRows = await page.locator('[data-testid=verdict-metric]').count();
    expect(metricRows).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=verdict-metric] [data-testid=always-valid]').count()).toBe(Math.min(metricRows, extras.sequential.length));

    // The bake time sits by the Ramp button, in the core's words.
    expect(await page.locator('[data-testid=bake-time]').innerText()).toBe(`bake: ${extras.bakeTime?.text}`);
    expect(await page.locator('[data-testid=verdict-onset]').innerText()).toContain('onset: p99');
    await page.screenshot({ path: screenshotPath('verdict-extras.png'), fullPage: true });
  });

  it('finds the onset over every flag change in the incident timeline and ranks the 5% → 25% ramp first', async () => {
    await page.locator('[data-testid=nav-incident]').click();
    await page.locator('[data-testid=incident-view]').waitFor();
    await page.selectOption('[data-testid=incident-watch]', WATCH);
    await page.locator('[data-testid=incident-range-6h]').click();
    const onset = page.locator('[data-testid=incident-onset]');
    await expect.poll(async () => (await onset.count()) > 0 && (await onset.getAttribute('data-at')) !== '', { timeout: 30_000 }).toBe(true);

    const call = analyzeCalls.at(-1);
    expect(call?.metric).toBe('p99');
    expect((call?.to ?? 0) - (call?.from ?? 0)).toBe(6 * 3_600_000);
    const core = await rpc<{ onset: { at: number } | null; suspects: { changeId: string; label: string; at: number }[]; changes: { id: string; flagKey: string }[] }>(host, 'incident:analyze', {
      watchId: WATCH,
      metric: 'p99',
      from: call?.from,
      to: call?.to,
    });
    expect(Number(await onset.getAttribute('data-at'))).toBe(core.onset?.at);

    const chart = page.locator('[data-testid=incident-chart]');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    // Every change of every flag in the window is a marker, not just the watched flag's.
    expect(Number(await chart.getAttribute('data-markers'))).toBe(core.changes.length);
    expect(new Set(core.changes.map((c) => c.flagKey)).size).toBeGreaterThan(1);
    expect(await chart.locator('[data-testid=onset-marker]').count()).toBe(1);

    const rows = page.locator('[data-testid=suspect-row]');
    expect(await rows.count()).toBe(core.suspects.length);
    expect(core.suspects.length).toBeGreaterThan(0);
    const first = rows.first();
    expect(await first.getAttribute('data-change-id')).toBe(core.suspects[0].changeId);
    expect(await first.innerText()).toContain(`${FLAG} rollout 5% → 25%`);
    // A change point on noisy per-minute p99 lands near the true one, on either side: a few minutes usually, up to
    // ~12 min when the baseline itself trends (the demo's early-morning traffic pulls the split earlier).
    expect(await first.innerText()).toMatch(/before the onset|at the onset|\b([1-9]|1[0-9]|20) min after the onset/);
    expect(Math.abs(core.suspects[0].at - core.onset!.at)).toBeLessThan(20 * 60_000);
    expect(await first.innerText()).toMatch(/\+\d+(\.\d)?%/); // the shift across the change
    await page.screenshot({ path: screenshotPath('incident.png'), fullPage: true });
  });

  it('re-analyses a window dragged on the chart, and double-click returns to the preset', async () => {
    const before = analyzeCalls.length;
    const box = await page.locator('[data-testid=incident-chart] .chart-overlay').boundingBox();
    if (!box) throw new Error('incident chart overlay has no box');
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => analyzeCalls.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const zoomed = analyzeCalls.at(-1);
    expect((zoomed?.to ?? 0) - (zoomed?.from ?? 0)).toBeLessThan(6 * 3_600_000 * 0.6);
    await page.locator('[data-testid=incident-reset-zoom]').waitFor();
    await page.locator('[data-testid=incident-chart] .chart-overlay').dblclick();
    await page.locator('[data-testid=incident-reset-zoom]').waitFor({ state: 'detached' });
  });

  it('opens the top suspect’s flag in the canary watch, zoomed so its change is on screen', async () => {
    await page.locator('[data-testid=suspect-row]').first().waitFor();
    await page.locator('[data-testid=suspect-row]').first().click();
    await page.locator('[data-testid=chart-latency]').waitFor();
    expect(await page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key')).toBe(FLAG);
    await page.locator('[data-testid=reset-zoom]').waitFor();
    await page.locator('[data-testid=change-marker][data-label="rollout 5% → 25%"]').first().waitFor({ state: 'attached', timeout: 10_000 });
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
