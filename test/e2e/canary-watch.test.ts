/**
 * The release captain's loop, end to end, against the real browser host and the demo workspace: the canary watch
 * draws the charts with the flag's changes on them, a ramp (with a comment) adds a marker at once, a rollback adds
 * another, and both are in the Audit view. Screenshots of every view go to test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, requireChromium, screenshotPath, startHost, type RunningHost, openPage } from './support/browser-host';

interface SeriesCall {
  width: number;
  maxPoints: number;
}

describe('canary watch in the browser host', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const seriesCalls: SeriesCall[] = [];
  let rampComment = '';

  beforeAll(async () => {
    requireChromium();
    host = await startHost();
    browser = await launchChromium();
    page = await openPage(browser, pageErrors);
    // Watch the series calls: the chart must ask for its pixel width and get at most 4 × width points per series.
    page.on('response', async (res) => {
      if (!res.url().endsWith('/rpc/series:range')) return;
      try {
        const req = JSON.parse(res.request().postData() ?? '{}') as { width?: number };
        const body = (await res.json()) as { result?: { series: { points: unknown[] }[] } };
        if (body.result && req.width) seriesCalls.push({ width: req.width, maxPoints: Math.max(0, ...body.result.series.map((s) => s.points.length)) });
      } catch {
        // the page navigated away mid-response; nothing to check
      }
    });
  });

  /** A failed step may leave a dialog open; the next step starts from a clean page. */
  async function closeDialogs(): Promise<void> {
    for (let i = 0; i < 3 && (await page.locator('.modal-backdrop').count()) > 0; i++) await page.keyboard.press('Escape');
  }

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('opens on the canary watch: charts drawn with data, change markers, verdict, DEMO badge', async () => {
    await page.goto(host.launchUrl);
    await page.waitForSelector('body[data-app-state="loaded"]', { timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid=demo-badge]').count()).toBe(1);
    for (const id of ['chart-traffic', 'chart-latency']) {
      const points = Number(await page.locator(`[data-testid=${id}]`).getAttribute('data-points'));
      expect(points, `${id} draws data`).toBeGreaterThan(0);
      expect(await page.locator(`[data-testid=${id}] svg [data-testid=series-line]`).count(), `${id} has lines`).toBeGreaterThan(0);
    }
    expect(await page.locator('[data-testid=change-marker]').count()).toBeGreaterThanOrEqual(1);
    await page.locator('[data-testid=verdict-overall]').waitFor({ timeout: 20_000 });
    expect(['pass', 'marginal', 'fail', 'inconclusive']).toContain(await page.locator('[data-testid=verdict-overall]').getAttribute('data-verdict'));
    expect(await page.locator('[data-testid=verdict-metric]').count()).toBeGreaterThan(0);
    expect(seriesCalls.length).toBeGreaterThan(0);
    for (const c of seriesCalls) expect(c.maxPoints, `points per series for width ${c.width}`).toBeLessThanOrEqual(4 * c.width);
    await page.screenshot({ path: screenshotPath('canary-watch.png'), fullPage: true });
  });

  it('draws each series as one path (control dashed, treatment solid); the legend hides and shows a line', async () => {
    const lines = page.locator('[data-testid=chart-latency] svg [data-testid=series-line]');
    const drawn: { series: string; dash: string | null; d: string }[] = [];
    for (const line of await lines.all()) {
      drawn.push({ series: (await line.getAttribute('data-series')) ?? '', dash: await line.getAttribute('stroke-dasharray'), d: (await line.getAttribute('d')) ?? '' });
    }
    expect(drawn.length).toBeGreaterThanOrEqual(2);
    for (const l of drawn) {
      expect(l.series).toMatch(/^[^:]+:.+$/);
      expect(l.d.startsWith('M'), `${l.series} path starts with M`).toBe(true);
    }
    expect(drawn.some((l) => l.dash === '6 4'), 'a dashed control line').toBe(true);
    expect(drawn.some((l) => l.dash === null), 'a solid treatment line').toBe(true);

    const shownButton = page.locator('[data-testid=chart-latency] .legend-item[aria-pressed=true]').first();
    const name = await shownButton.innerText();
    await shownButton.click();
    await expect.poll(() => lines.count()).toBe(drawn.length - 1); // the hidden series' path is gone
    await page.locator('[data-testid=chart-latency] .legend-item', { hasText: name }).first().click();
    await expect.poll(() => lines.count()).toBe(drawn.length);
  });

  it('shows one crosshair and tooltip across the charts on hover', async () => {
    const overlay = page.locator('[data-testid=chart-latency] .chart-overlay');
    const box = await overlay.boundingBox();
    if (!box) throw new Error('latency chart overlay has no box');
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.locator('[data-testid=hover-tooltip]').waitFor();
    expect(await page.locator('.crosshair').count()).toBe(2); // one per chart, same time
    await page.screenshot({ path: screenshotPath('canary-hover.png') });
    await page.mouse.move(5, 5);
  });

  it('ramps with a required comment and draws the new marker at once', async () => {
    const markersBefore = await page.locator('[data-testid=change-marker]').count();
    await page.locator('[data-testid=ramp-button]').click();
    const ok = page.locator('[data-testid=confirm-ok]');
    await page.locator('[data-testid=confirm-dialog]').waitFor();
    expect(await ok.isDisabled(), 'confirm is disabled without a comment').toBe(true);
    // The comment field has focus: typing goes straight into it.
    rampComment = `e2e ramp ${Date.now()}`;
    await page.keyboard.type(rampComment.slice(0, 2));
    expect(await ok.isDisabled(), 'two characters are not enough').toBe(true);
    await page.keyboard.type(rampComment.slice(2));
    expect(await page.locator('[data-testid=confirm-comment]').inputValue()).toBe(rampComment);
    expect(await ok.isEnabled()).toBe(true);
    const change = await page.locator('[data-testid=confirm-change]').innerText();
    await page.screenshot({ path: screenshotPath('ramp-dialog.png') });
    await page.keyboard.press('Enter');

    // Either confirmed, or blocked by the verdict (the demo's unhealthy flag) — then override, which is audited.
    const toast = page.locator('[data-testid=toast]', { hasText: 'confirmed by read-back' });
    const blocked = page.locator('[data-testid=ramp-anyway]');
    await toast.or(blocked).first().waitFor({ timeout: 20_000 });
    if (await blocked.isVisible()) {
      await page.screenshot({ path: screenshotPath('ramp-blocked.png') });
      await blocked.click();
    }
    await toast.first().waitFor({ timeout: 20_000 });
    const toastText = await toast.first().innerText();
    const label = toastText.replace(/^confirmed by read-back:\s*/, '').replace(/\s*×\s*$/, '').trim();
    expect(change).toContain(label.split('→')[1].trim()); // the dialog announced the state that was confirmed
    await expect.poll(() => page.locator('[data-testid=change-marker]').count(), { timeout: 5_000 }).toBe(markersBefore + 1);
    expect(await page.locator(`[data-testid=change-marker][data-label="${label}"]`).count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('after-ramp.png'), fullPage: true });
  });

  it('rolls back with a comment, confirmed by read-back, with its own marker', async () => {
    await closeDialogs();
    const markersBefore = await page.locator('[data-testid=change-marker]').count();
    await page.locator('[data-testid=rollback-button]').click();
    await page.locator('[data-testid=confirm-dialog]').waitFor();
    await page.keyboard.type('e2e rollback: error rate rising');
    await page.keyboard.press('Escape'); // Escape cancels…
    await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'detached' });
    await page.locator('[data-testid=rollback-button]').click(); // …and the dialog starts empty again
    expect(await page.locator('[data-testid=confirm-comment]').inputValue()).toBe('');
    await page.keyboard.type('e2e rollback: error rate rising');
    await page.locator('[data-testid=confirm-ok]').click();
    await page.locator('[data-testid=toast]', { hasText: /confirmed by read-back: .*→ (0%|off)/ }).first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid=change-marker]').count(), { timeout: 5_000 }).toBe(markersBefore + 1);
    expect(await page.locator('[data-testid=flag-exposure]').innerText()).toBe('0%');
    await page.screenshot({ path: screenshotPath('after-rollback.png'), fullPage: true });
  });

  it('lists both actions in the Audit view, newest first, with comments and results', async () => {
    await closeDialogs();
    await page.locator('[data-testid=nav-audit]').click();
    const rows = page.locator('[data-testid=audit-row]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const first = rows.nth(0);
    const second = rows.nth(1);
    expect(await first.getAttribute('data-action')).toBe('rollback');
    expect(await first.getAttribute('data-result')).toBe('done');
    expect(await first.innerText()).toContain('e2e rollback: error rate rising');
    expect(await second.getAttribute('data-action')).toBe('ramp');
    expect(await second.getAttribute('data-result')).toBe('done');
    expect(await second.innerText()).toContain(rampComment);
    await page.screenshot({ path: screenshotPath('audit.png'), fullPage: true });
  });

  it('lists and tests connections without ever showing a secret', async () => {
    await closeDialogs();
    await page.locator('[data-testid=nav-connections]').click();
    const rows = page.locator('[data-testid=connection-row]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await rows.first().locator('[data-testid=connection-test]').click();
    const result = rows.first().locator('[data-testid=connection-test-result]');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toMatch(/^✓/);
    await page.screenshot({ path: screenshotPath('connections.png'), fullPage: true });
    await page.locator('[data-testid=connection-add]').click();
    await page.locator('[data-testid=connection-form]').waitFor();
    await page.screenshot({ path: screenshotPath('connection-form.png') });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=connection-form]').waitFor({ state: 'detached' });
  });

  it('refuses a ramp over a change made elsewhere (conflict), shows the live state and reloads it', async () => {
    await closeDialogs();
    await page.locator('[data-testid=nav-canary]').click();
    const selected = page.locator('[data-testid=flag-row][aria-selected=true]');
    await selected.waitFor();
    const ids = {
      connectionId: (await selected.getAttribute('data-connection-id')) ?? '',
      flagKey: (await selected.getAttribute('data-flag-key')) ?? '',
      env: (await selected.getAttribute('data-env')) ?? '',
    };
    expect(await page.locator('[data-testid=flag-exposure]').innerText()).toBe('0%'); // after the rollback above
    await page.locator('[data-testid=ramp-button]').click();
    await page.locator('[data-testid=confirm-dialog]').waitFor();

    // Someone else ramps the flag to 5% through the same core while the dialog is open.
    const url = new URL(host.launchUrl);
    const token = url.searchParams.get('token') ?? '';
    const res = await fetch(`${url.origin}/rpc/flags:ramp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...ids, to: 5, expected: 0, comment: 'changed elsewhere (e2e)', override: true }),
    });
    const envelope = (await res.json()) as { result?: unknown; error?: { code: string; message: string } };
    expect(envelope.error, JSON.stringify(envelope.error)).toBeUndefined();

    await page.locator('[data-testid=moved-elsewhere]').waitFor({ timeout: 15_000 });
    // The change made elsewhere is on the chart too, without waiting for a metrics tick.
    await page.locator('[data-testid=change-marker][data-label="rollout 0% → 5%"]').first().waitFor({ state: 'attached', timeout: 5_000 });
    await page.keyboard.type('e2e ramp over a stale view');
    await page.keyboard.press('Enter');
    const conflict = page.locator('[data-testid=error-notice][data-error-code=conflict]');
    await conflict.waitFor({ timeout: 15_000 });
    expect(await conflict.innerText()).toContain('changed since you looked');
    await page.screenshot({ path: screenshotPath('ramp-conflict.png') });
    await page.locator('[data-testid=conflict-reload]').click();
    await expect.poll(() => page.locator('[data-testid=confirm-change]').innerText(), { timeout: 10_000 }).toMatch(/^rollout 5% →/);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=flag-exposure]').innerText()).toBe('5%');
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
