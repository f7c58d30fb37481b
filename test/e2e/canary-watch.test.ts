/**
 * The release captain's loop, end to end, against the real browser host and the demo workspace (issue 11): the
 * decision leads the screen (header, buttons, guard card, rows tell one story); a keyboard-only rollback and ramp
 * with focus trapped in the dialog; a blocked attempt says why once and is audited; the decision and the actions
 * stay on screen together from 1024×700 to 2560×1440; arrow keys walk the flag list; a deep link restores flag,
 * range and baseline; one display zone, units on the axes; decision record and audit export. Screenshots go to
 * test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoSession, rpc, screenshotPath, type DemoSession, type RunningHost } from './support/browser-host';
import {
  download,
  flagLink,
  focusInside,
  focused,
  gotoApp,
  inViewport,
  pageHash,
  scrollTo,
  setHash,
  tabTo,
} from './support/ui';

interface Decision {
  action: 'advance' | 'hold' | 'rollback';
  reason: string;
  verdict: {
    verdict: string;
    metrics: { name: string; verdict: string }[];
    extras?: { sequential: { metric: string; fails: boolean }[] };
  };
}

describe('canary watch in the browser host', () => {
  let session: DemoSession;
  let host: RunningHost;
  let page: Page;
  const pageErrors: string[] = [];
  const bar = () => page.locator('[data-testid=decision-bar]');

  beforeAll(async () => {
    session = await openDemoSession(pageErrors);
    ({ host, page } = session);
  });
  afterAll(() => session?.close());

  async function closeDialogs(): Promise<void> {
    for (let i = 0; i < 3 && (await page.locator('.modal-backdrop').count()) > 0; i++)
      await page.keyboard.press('Escape');
  }

  it('leads with the one decision: roll back primary, "Ramp anyway…" as an override, guard says "alert"', async () => {
    await gotoApp(page, host, flagLink('checkout-v2'));
    await expect.poll(() => bar().getAttribute('data-action'), { timeout: 30_000 }).not.toBe('');
    const d = await rpc<Decision>(host, 'decision:get', { watchId: 'demo-checkout-v2' });
    expect(await bar().getAttribute('data-action')).toBe(d.action);
    expect(d.action, 'the demo’s regressing flag').toBe('rollback');
    expect(await page.locator('[data-testid=decision-headline]').innerText()).toBe(
      `ROLL BACK · ${d.verdict.verdict.toUpperCase()}`,
    );
    expect(await page.locator('[data-testid=rollback-button]').getAttribute('data-primary')).toBe('true');
    expect(await page.locator('[data-testid=rollback-button]').innerText()).toBe('Roll back now');
    expect(await page.locator('[data-testid=ramp-button]').innerText()).toBe('Ramp anyway…');
    expect(await page.locator('[data-testid=ramp-button]').getAttribute('data-override')).toBe('true');
    // The guard card describes what will happen: an alert, no plan runs on this flag, nothing rolls back by itself.
    const guard = page.locator('[data-testid=verdict-guard]');
    await guard.waitFor();
    expect(await guard.innerText()).not.toMatch(/auto-rollback/i);
    expect(await page.locator('[data-testid=guard-actor]').innerText()).toMatch(
      /No plan is running: nothing rolls back automatically/,
    );
    // Rows and the always-valid cells tell the decision's story: never "pass" beside an always-valid "beyond".
    for (const row of await page.locator('[data-testid=verdict-metric]').all()) {
      const av = row.locator('[data-testid=always-valid]');
      if ((await av.count()) && (await av.getAttribute('data-fails')) === 'true')
        expect(await row.getAttribute('data-verdict')).not.toBe('pass');
    }
    expect(await page.locator('[data-testid=verdict-overall]').getAttribute('data-verdict')).toBe(d.verdict.verdict);
    // Units on the axes, and the zone under the time axis.
    expect(await page.locator('[data-testid=chart-traffic] [data-testid=axis-unit-left]').textContent()).toBe('req/s');
    expect(await page.locator('[data-testid=chart-traffic] [data-testid=axis-unit-right]').textContent()).toBe(
      '% of requests',
    );
    expect(await page.locator('[data-testid=chart-latency] [data-testid=axis-unit-left]').textContent()).toBe('ms');
    expect(await page.locator('[data-testid=chart-latency] [data-testid=axis-zone]').textContent()).toMatch(
      /^UTC([+−]\d{2}:\d{2})?$/,
    );
    await page.screenshot({ path: screenshotPath('canary-watch.png') });
  });

  it('keeps the decision and both actions on screen together at 1024×700, 1920×1080 and 2560×1440', async () => {
    for (const [width, height] of [
      [1024, 700],
      [1920, 1080],
      [2560, 1440],
    ] as const) {
      await page.setViewportSize({ width, height });
      await scrollTo(page, 'top');
      await page.waitForTimeout(300);
      await page.screenshot({ path: screenshotPath(`canary-watch-${width}.png`) });
      await scrollTo(page, 'bottom');
      await page.waitForTimeout(300);
      for (const id of ['decision-headline', 'decision-reason', 'rollback-button', 'ramp-button']) {
        expect(
          await inViewport(page, page.locator(`[data-testid=${id}]`)),
          `${id} on screen at ${width}×${height} after scrolling`,
        ).toBe(true);
      }
      const title = page.locator('[data-testid=decision-bar] h1');
      expect((await title.boundingBox())?.width ?? 0, `the flag name shows at ${width}`).toBeGreaterThan(60);
      // The verdict table fits its panel (no clipped columns).
      const fits = await page
        .locator('.verdict-table')
        .evaluate(
          (t) =>
            (t as unknown as { scrollWidth: number }).scrollWidth <=
            ((t as unknown as { parentElement: { clientWidth: number } | null }).parentElement?.clientWidth ?? 0) + 1,
        );
      expect(fits, `verdict table fits at ${width}`).toBe(true);
      await page.screenshot({ path: screenshotPath(`canary-watch-${width}-scrolled.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
    await scrollTo(page, 'top');
  });

  it('rolls back with the keyboard alone: Tab to the button, Enter, a comment, Enter; focus stays in the dialog', async () => {
    await page.locator('body').focus();
    await tabTo(page, 'rollback-button');
    await page.keyboard.press('Enter');
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor();
    expect(await page.locator('[data-testid=dialog-decision]').innerText()).toMatch(/^Decision: ROLL BACK/);
    // The focus trap: Tab and Shift+Tab never leave the dialog.
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focusInside(page, '[data-testid=confirm-dialog]'), `focus inside after ${key}`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await tabTo(page, 'rollback-button', { back: true });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=confirm-comment]').waitFor();
    await page.keyboard.type('e2e rollback: error rate rising');
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid=toast]', { hasText: /confirmed by read-back: .*→ (0%|off)/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid=flag-exposure]').innerText(), { timeout: 10_000 }).toBe('0%');
  });

  it('starts the canary again from 0% with the keyboard — the first step is never blocked for lack of data', async () => {
    await closeDialogs();
    await expect
      .poll(() => page.locator('[data-testid=ramp-button]').innerText(), { timeout: 30_000 })
      .toMatch(/0% → 1%/);
    await page.locator('body').focus();
    await tabTo(page, 'ramp-button');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=confirm-comment]').waitFor();
    await page.keyboard.type('e2e restart the canary at 1%');
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid=toast]', { hasText: 'confirmed by read-back: rollout 0% → 1%' })
      .first()
      .waitFor({ timeout: 20_000 });
    await page
      .locator('[data-testid=change-marker][data-label="rollout 0% → 1%"]')
      .first()
      .waitFor({ state: 'attached', timeout: 10_000 });
  });

  it('says a blocked ramp once, audits it, and ramps anyway only as an audited override', async () => {
    await closeDialogs();
    // The decision about 1 % comes with the step's first data (one data step, 60 s in the demo); until then the bar
    // says "deciding" — and the button already says what the core's guard will do.
    const headline = page.locator('[data-testid=decision-headline]');
    await expect.poll(() => headline.innerText(), { timeout: 120_000, interval: 2_000 }).not.toBe('DECIDING…');
    const ramp = page.locator('[data-testid=ramp-button]');
    const override = (await ramp.getAttribute('data-override')) === 'true';
    await ramp.click();
    await page.locator('[data-testid=confirm-comment]').waitFor(); // typed before it opened, the comment went nowhere
    await page.keyboard.type('e2e next step right away');
    await page.keyboard.press('Enter');
    const toast = page.locator('[data-testid=toast]', { hasText: 'confirmed by read-back: rollout 1% → 5%' });
    const blocked = page.locator('[data-testid=blocked-message]');
    await toast.or(blocked).first().waitFor({ timeout: 20_000 });
    if (await blocked.isVisible()) {
      expect(override, 'an override is never blocked').toBe(false);
      // One clear message: no "Ramp blocked: Ramp blocked: …".
      const text = await blocked.innerText();
      expect(text).toMatch(/^Not ramped: /);
      expect(text.match(/blocked/gi)?.length ?? 0).toBeLessThanOrEqual(1);
      await page.screenshot({ path: screenshotPath('ramp-blocked.png') });
      const audit = await rpc<{ action: string; result: string; door: string | null; override: boolean }[]>(
        host,
        'audit:list',
        { limit: 5, flagKey: 'checkout-v2' },
      );
      expect(audit[0]).toMatchObject({ action: 'ramp', result: 'refused', door: 'http', override: false });
      await page.locator('[data-testid=ramp-anyway]').click();
      await toast.first().waitFor({ timeout: 20_000 });
    }
    const audit = await rpc<{ action: string; result: string; override: boolean }[]>(host, 'audit:list', {
      limit: 1,
      flagKey: 'checkout-v2',
    });
    expect(audit[0]).toMatchObject({ action: 'ramp', result: 'done' });
  });

  it('walks the flag list with the arrow keys, and the address follows', async () => {
    await closeDialogs();
    await page.locator('[data-testid=flag-row][aria-selected=true]').focus();
    const before = await page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key');
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key'))
      .not.toBe(before);
    const now = await page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key');
    expect(await focused(page, 'data-flag-key')).toBe(now);
    expect(await pageHash(page)).toContain(`f=${now}`);
    await page.keyboard.press('ArrowUp');
    await expect
      .poll(() => page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key'))
      .toBe(before);
  });

  it('restores flag, range and baseline from a deep link, and switches every time to UTC', async () => {
    await setHash(page, flagLink('dark-mode', '&r=6h&b=seasonal'));
    await expect
      .poll(() => page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key'))
      .toBe('dark-mode');
    expect(await page.locator('[data-testid=range-6h]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid=baseline-comparison]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=baseline-seasonal]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid=zone-utc]').click();
    await expect
      .poll(() => page.locator('[data-testid=chart-latency] [data-testid=axis-zone]').textContent())
      .toBe('UTC');
    await expect
      .poll(() => page.locator('[data-testid=verdict-panel]').innerText(), { timeout: 20_000 })
      .toMatch(/times UTC/);
    await page.locator('[data-testid=zone-local]').click();
  });

  it('exports the decision record as Markdown and PNG, and the audit as CSV with door and user', async () => {
    await setHash(page, flagLink('checkout-v2'));
    await page.locator('[data-testid=export-markdown]').waitFor({ timeout: 20_000 });
    const md = await download(page, () => page.locator('[data-testid=export-markdown]').click());
    expect(md.name).toMatch(/^decision-checkout-v2-production-.*\.md$/);
    const text = md.body.toString('utf8');
    expect(text).toMatch(/^# Decision record — checkout-v2 in production/);
    expect(text).toMatch(/- baseline: \w+/);
    expect(text).toMatch(/\| p99 \(critical\) \|/);
    expect(text).toMatch(/## Queries/);
    expect(text).toMatch(/Looked at by \*\*.+\*\* \(http\)/);
    const png = await download(page, () => page.locator('[data-testid=export-png]').click());
    expect(png.body.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.body.length).toBeGreaterThan(10_000);

    await page.locator('[data-testid=nav-audit]').click();
    const rows = page.locator('[data-testid=audit-row]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await rows.first().getAttribute('data-door')).toBe('http');
    expect(await rows.first().locator('[data-testid=audit-door]').innerText()).toBe('browser');
    const csv = await download(page, () => page.locator('[data-testid=audit-export-csv]').click());
    const lines = csv.body.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^at,user,door,/);
    expect(lines.slice(1).some((l) => l.includes(',http,') && l.includes('e2e rollback: error rate rising'))).toBe(
      true,
    );
    await page.screenshot({ path: screenshotPath('audit.png'), fullPage: true });
  });

  it('refuses a ramp over a change made elsewhere (conflict), shows the live state and reloads it', async () => {
    await setHash(page, flagLink('checkout-v2'));
    await page.locator('[data-testid=ramp-button]').waitFor();
    const before = await page.locator('[data-testid=flag-exposure]').innerText();
    await page.locator('[data-testid=ramp-button]').click();
    await page.locator('[data-testid=confirm-dialog]').waitFor();
    // Someone else changes the flag through the same core while the dialog is open.
    const to = before === '25%' ? 50 : 25;
    await rpc(host, 'flags:ramp', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
      to,
      expected: Number(before.replace('%', '')),
      comment: 'changed elsewhere (e2e)',
      override: true,
    });
    await page.locator('[data-testid=moved-elsewhere]').waitFor({ timeout: 15_000 });
    await page.keyboard.type('e2e ramp over a stale view');
    await page.keyboard.press('Enter');
    const conflict = page.locator('[data-testid=error-notice][data-error-code=conflict]');
    await conflict.waitFor({ timeout: 15_000 });
    expect(await conflict.innerText()).toContain('changed since you looked');
    await page.screenshot({ path: screenshotPath('ramp-conflict.png') });
    await page.locator('[data-testid=conflict-reload]').click();
    await expect
      .poll(() => page.locator('[data-testid=confirm-change]').innerText(), { timeout: 10_000 })
      .toMatch(new RegExp(`^rollout ${to}% →`));
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'detached' });
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
