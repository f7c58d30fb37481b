/**
 * GrowthBook end to end (issue 13: "a connection kind is one folder and one registry line"), in Chromium against
 * the real browser host, in a workspace without the demo: the connection is added through the form the registry
 * generates, tested, its flags listed, its own revisions drawn as change markers, and the canary watch opened on
 * the simulated service; then a ramp and a rollback with comments go to the documented-shape fake GrowthBook
 * (test/support/vendor-servers/fake-growthbook.ts), which is checked directly. Screenshot: canary-growthbook.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeGrowthBook, type FakeGrowthBook } from '../support/vendor-servers/fake-growthbook';
import {
  launchChromium,
  newLaunchUrl,
  openPage,
  requireChromium,
  rpc,
  screenshotPath,
  startHost,
  type RunningHost,
} from './support/browser-host';
import { setHash } from './support/ui';

const KEY_ENV = 'RAMPART_E2E_GROWTHBOOK_KEY';
const FLAG = 'new-checkout';

describe('GrowthBook as a flag store, end to end', () => {
  let gb: FakeGrowthBook;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let workspace: string | undefined;
  const pageErrors: string[] = [];
  const coverage = () => Number(gb.rules(FLAG, 'production').find((r) => r.id === 'fr_ramp')?.coverage);

  beforeAll(async () => {
    requireChromium();
    gb = await startFakeGrowthBook();
    // A workspace without the demo: a first host installs it (first run), its watches and connections go, and the
    // host that the test uses opens that workspace afterwards.
    workspace = mkdtempSync(join(tmpdir(), 'rampart-e2e-gb-'));
    const first = await startHost({ dataDir: workspace });
    for (const w of await rpc<{ id: string }[]>(first, 'watches:list', {}))
      await rpc(first, 'watches:remove', { id: w.id });
    for (const c of await rpc<{ connection: { id: string; demo?: boolean } }[]>(first, 'connections:list', {})) {
      if (c.connection.demo) await rpc(first, 'connections:remove', { id: c.connection.id });
    }
    await first.stop();
    host = await startHost({ env: { [KEY_ENV]: gb.token }, dataDir: workspace });
    // Someone ramps in GrowthBook's dashboard before Rampart looks: a revision of GrowthBook's own history.
    gb.edit(
      FLAG,
      'production',
      (rules) => void Object.assign(rules.find((r) => r.id === 'fr_ramp') ?? {}, { coverage: 0.1 }),
      { comment: 'dashboard: 5% → 10%', actor: 'ana@example.com', at: Date.now() - 3_600_000 },
    );
    browser = await launchChromium();
    page = await openPage(browser, pageErrors);
    // No chart to draw yet, so no readiness marker (gotoApp waits for one): the view itself is the sign.
    await page.goto(await newLaunchUrl(host));
    await setHash(page, '#/connections');
    await page.locator('[data-testid=connections-view]').waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await gb?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('is added through the generated form (no demo left) and its test reads the environments with the key', async () => {
    expect((await rpc<{ demo: boolean }>(host, 'app:info', {})).demo).toBe(false);
    await page.locator('[data-testid=connection-add]').click();
    await page.locator('[data-testid=connection-form]').waitFor();
    await page.selectOption('#conn-kind', 'growthbook');
    await page.fill('#conn-name', 'GrowthBook');
    await page.fill('#conn-id', 'gb');
    await page.fill('#conn-url', gb.url);
    await page.fill('#conn-environments', 'production, staging');
    await page.fill('#conn-tokenEnv', KEY_ENV);
    await page.locator('[data-testid=connection-save]').click();
    const row = page.locator('[data-testid=connection-row][data-connection-id=gb]');
    await row.waitFor({ timeout: 10_000 });
    await row.locator('[data-testid=connection-test]').click();
    const result = row.locator('[data-testid=connection-test-result]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toMatch(/^✓.*production, staging/s);
    const saved = (
      await rpc<{ connection: Record<string, unknown>; secretAvailable: boolean }[]>(host, 'connections:list', {})
    ).find((c) => c.connection.id === 'gb');
    expect(saved).toMatchObject({
      connection: { kind: 'growthbook', url: gb.url, environments: ['production', 'staging'], tokenEnv: KEY_ENV },
      secretAvailable: true,
    });
    expect(JSON.stringify(saved)).not.toContain(gb.token);
  });

  it('lists its flags in the canary view and opens one in a watch on the simulated service', async () => {
    await rpc(host, 'connections:save', {
      connection: { kind: 'simulated', id: 'gb-sim', name: 'Simulated checkout', flagConnectionId: 'gb' },
    });
    await page.locator('[data-testid=nav-canary]').click();
    const rows = page.locator('[data-testid=flag-row][data-connection-id=gb]');
    const listed = async () =>
      Promise.all(
        (await rows.all()).map(
          async (r) => `${await r.getAttribute('data-flag-key')}/${await r.getAttribute('data-env')}`,
        ),
      );
    await expect
      .poll(listed, { timeout: 20_000 })
      .toEqual(expect.arrayContaining(['button-color/production', 'new-checkout/production', 'new-checkout/staging']));
    await page
      .locator(`[data-testid=flag-row][data-connection-id=gb][data-flag-key=${FLAG}][data-env=production]`)
      .click();
    await page.locator('[data-testid=watch-proposal]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=save-watch]').click();
    await page.locator('[data-testid=chart-latency]').waitFor({ timeout: 20_000 });
    const watch = (
      await rpc<{ flagConnectionId: string; flagKey: string; metricsConnectionId: string }[]>(host, 'watches:list', {})
    ).find((w) => w.flagKey === FLAG);
    expect(watch).toMatchObject({ flagConnectionId: 'gb', metricsConnectionId: 'gb-sim' });
    expect(await page.locator('[data-testid=flag-exposure]').innerText()).toBe('10%');
  });

  it("draws GrowthBook's own revision as a change marker", async () => {
    const history = await rpc<{ id: string; label: string; source: string }[]>(host, 'flags:history', {
      connectionId: 'gb',
      flagKey: FLAG,
      env: 'production',
      from: Date.now() - 6 * 3_600_000,
      to: Date.now() + 60_000,
    });
    const dashboard = history.find((c) => c.source === 'vendor' && /5% → 10%/.test(c.label));
    expect(dashboard, JSON.stringify(history)).toBeDefined();
    await page.locator('[data-testid=range-6h]').click();
    await page
      .locator(`[data-testid=change-marker][data-change-id="${dashboard?.id}"]`)
      .waitFor({ state: 'attached', timeout: 20_000 });
  });

  it('ramps with a comment: confirmed by read-back, and GrowthBook holds the new coverage in a published revision', async () => {
    const rampLabel = await page.locator('[data-testid=ramp-button]').innerText();
    const target = Number(/→ (\d+(?:\.\d+)?)%/.exec(rampLabel)?.[1]);
    expect(target, rampLabel).toBeGreaterThan(10);
    await page.locator('[data-testid=ramp-button]').click();
    await page.locator('[data-testid=confirm-comment]').waitFor();
    await page.keyboard.type('e2e: GrowthBook canary looks healthy');
    await page.keyboard.press('Enter');
    const toast = page.locator('[data-testid=toast]', { hasText: `confirmed by read-back` });
    const blocked = page.locator('[data-testid=ramp-anyway]');
    await toast.or(blocked).first().waitFor({ timeout: 20_000 });
    if (await blocked.isVisible()) await blocked.click();
    await toast.first().waitFor({ timeout: 20_000 });
    expect(coverage()).toBeCloseTo(target / 100, 6);
    await expect
      .poll(() => page.locator('[data-testid=flag-exposure]').innerText(), { timeout: 10_000 })
      .toBe(`${target}%`);
    const published = gb.state.revisions
      .filter((r) => r.featureId === FLAG && r.status === 'published')
      .sort((a, b) => b.version - a.version)[0];
    expect(JSON.stringify(published)).toContain('e2e: GrowthBook canary looks healthy');
    await page.mouse.move(5, 5);
    const dismiss = page.locator('[data-testid=toast] button');
    for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) await dismiss.first().click();
    await page.screenshot({ path: screenshotPath('canary-growthbook.png'), fullPage: true });
  });

  it('rolls back with a comment: GrowthBook turns the environment off (a false control), proved by read-back', async () => {
    await page.locator('[data-testid=rollback-button]').click();
    await page.locator('[data-testid=confirm-comment]').waitFor();
    await page.keyboard.type('e2e: roll GrowthBook back');
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid=toast]', { hasText: /confirmed by read-back: .*→ (0%|off)/ })
      .first()
      .waitFor({ timeout: 20_000 });
    const feature = gb.state.features.find((f) => f.id === FLAG);
    expect(feature?.enabled.production).toBe(false);
    expect(feature?.enabled.staging).toBe(true);
    const audit = await rpc<{ action: string; result: string; comment: string; connectionId: string }[]>(
      host,
      'audit:list',
      { flagKey: FLAG },
    );
    expect(
      audit.filter((a) => a.connectionId === 'gb' && a.result === 'done').map((a) => `${a.action}: ${a.comment}`),
    ).toEqual(
      expect.arrayContaining(['ramp: e2e: GrowthBook canary looks healthy', 'rollback: e2e: roll GrowthBook back']),
    );
    expect(JSON.stringify(audit)).not.toContain(gb.token);
    // Every request carried the key as GrowthBook documents it, and only there.
    expect(gb.requests.every((r) => r.headers.authorization === `Bearer ${gb.token}`)).toBe(true);
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
