/**
 * The product manager's cohort review, end to end on the demo workspace through the browser host: Cohorts view,
 * checkout-v2 / production, the configured 25% / 75% split, observed exposures for both variants, the SRM status,
 * and p99 worse for the treatment. Screenshot: test-results/screenshots/cohorts.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoSession, rpc, screenshotPath, type DemoSession, type RunningHost } from './support/browser-host';

describe('cohorts view in the browser host', () => {
  let session: DemoSession;
  let host: RunningHost;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await openDemoSession(pageErrors);
    ({ host, page } = session);
  });

  afterAll(() => session?.close());

  it('shows who is in checkout-v2 / production, how many are exposed, and that p99 is worse for the treatment', async () => {
    await page.locator('[data-testid=nav-cohorts]').click();
    const view = page.locator('[data-testid=cohorts-view]');
    await view.waitFor();
    const picker = page.locator('[data-testid=cohort-flag]');
    await picker.locator('option[data-flag-key="checkout-v2"][data-env="production"]').waitFor({ state: 'attached' });
    const value = await picker
      .locator('option[data-flag-key="checkout-v2"][data-env="production"]')
      .getAttribute('value');
    if (value === null) throw new Error('checkout-v2 / production has no option value');
    await picker.selectOption(value);
    await page.locator('[data-testid=cohorts-view][data-state="loaded"]').waitFor({ timeout: 30_000 });

    // Who is in it: the configured split and the variants.
    const arms = page.locator('[data-testid=configured-arm]');
    expect(await arms.count()).toBe(2);
    expect(await arms.nth(0).getAttribute('data-variant')).toBe('on');
    expect(await arms.nth(0).getAttribute('data-percent')).toBe('25');
    expect(await arms.nth(1).getAttribute('data-variant')).toBe('off');
    expect(await arms.nth(1).getAttribute('data-percent')).toBe('75');
    const configured = await page.locator('[data-testid=cohort-configured]').innerText();
    expect(configured).toMatch(/25%\s*on\s*on/);
    expect(configured).toMatch(/75%\s*on\s*off/);
    expect((await page.locator('[data-testid=cohort-targeting]').innerText()).length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=cohort-enabled]').getAttribute('data-enabled')).toBe('true');

    // How many are exposed: counts for both variants, SRM status in words.
    const exposure = page.locator('[data-testid=exposure-row]');
    await expect.poll(() => exposure.count(), { timeout: 20_000 }).toBe(2);
    for (const variant of ['on', 'off']) {
      const count = Number(
        await page.locator(`[data-testid=exposure-row][data-variant="${variant}"]`).getAttribute('data-count'),
      );
      expect(count, `exposures of ${variant}`).toBeGreaterThan(0);
    }
    const srm = page.locator('[data-testid=srm-status]');
    expect(['ok', 'warn', 'alert', 'nodata']).toContain(await srm.getAttribute('data-status'));
    expect(await srm.innerText()).toMatch(/^SRM (ok|warning|ALERT|no data)$/);
    expect(await page.locator('[data-testid=srm-p]').innerText()).toMatch(/p (=|<) /);

    // The same numbers as the Canary watch: the watch's one decision when it compares the arms, else said why not.
    const decision = await rpc<{ baseline: string; verdict: { metrics: { name: string; ratio: number | null }[] } }>(
      host,
      'decision:get',
      { watchId: 'demo-checkout-v2' },
    );
    const source = page.locator('[data-testid=cohort-source]');
    await source.waitFor();
    expect(await source.getAttribute('data-decision')).toBe(String(decision.baseline === 'control'));
    expect(await source.innerText()).toMatch(
      decision.baseline === 'control'
        ? /the same numbers as the Canary watch/
        : /Not the decision's numbers: the decision .* uses the \w+ baseline/,
    );

    // Is their experience worse: p99 treatment / control > 1.
    const p99 = page.locator('[data-testid=cohort-metric][data-metric="p99"]');
    await p99.waitFor();
    expect(Number(await p99.getAttribute('data-ratio'))).toBeGreaterThan(1);
    expect(await p99.innerText()).toMatch(/×1\.\d{3}/);

    // Sparklines: two lines (treatment, control) each, with data.
    const sparks = page.locator('[data-testid=cohort-spark]');
    await expect.poll(() => sparks.count()).toBe(2);
    await expect
      .poll(async () => Number(await sparks.first().getAttribute('data-points')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    for (const metric of ['p99', 'error_ratio']) {
      const spark = page.locator(`[data-testid=cohort-spark][data-metric="${metric}"]`);
      expect(await spark.getAttribute('data-lines')).toBe('2');
      expect(await spark.locator('path.recharts-curve').count()).toBe(2);
    }

    await page.screenshot({ path: screenshotPath('cohorts.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
