/**
 * The canary watch on real servers: Unleash 6.10.1 (+ PostgreSQL) as the flag store and Prometheus 2.x with a day
 * of OpenTelemetry-style history (the "on" variant regresses ×1.5 two hours before the end) as the metrics, in
 * Chromium against the real browser host. The Unleash token reaches the host only through the environment variable
 * the connection names. Through the UI: test both connections, open the Unleash flag, save its watch on Prometheus
 * with selector job="checkout", see treatment vs control latency and Unleash's own change markers, ramp with a
 * comment and see the new marker and the read-back — then check Unleash itself.
 * Screenshots: connections-all.png, canary-unleash.png. Any missing component fails with how to install it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startUnleash, type RunningUnleash } from '../components/unleash/harness';
import { startPrometheusWithHistory, type PrometheusWithHistory } from '../components/prometheus/harness';
import {
  launchChromium,
  requireBuiltApp,
  requireChromium,
  rpc,
  screenshotPath,
  startHost,
  type RunningHost,
} from './support/browser-host';
import { seedUnleashFlag, unleashRollout } from './support/unleash-seed';

const FLAG = 'checkout-flow';
const TOKEN_ENV = 'RAMPART_E2E_UNLEASH_TOKEN';

let unleash: RunningUnleash | undefined;
let prom: PrometheusWithHistory | undefined;
let host: RunningHost | undefined;
let browser: Browser | undefined;
let page: Page;
let startError: unknown;
const pageErrors: string[] = [];

/** A component that cannot start fails every test with its own message (install hint included), never skips. */
beforeEach(() => {
  if (startError) throw startError;
});

beforeAll(async () => {
  try {
    requireChromium();
    requireBuiltApp();
    unleash = await startUnleash();
    prom = await startPrometheusWithHistory({ hours: 24 });
    await seedUnleashFlag(unleash, FLAG);
    host = await startHost({ env: { [TOKEN_ENV]: unleash.token } });
    await rpc(host, 'connections:save', {
      connection: {
        kind: 'unleash',
        id: 'unleash-local',
        name: 'Local Unleash',
        url: unleash.url,
        tokenEnv: TOKEN_ENV,
      },
    });
    await rpc(host, 'connections:save', {
      connection: { kind: 'prometheus', id: 'prom-local', name: 'Local Prometheus', url: prom.url },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await prom?.stop();
  await unleash?.stop();
});

describe('canary watch on Unleash + Prometheus', () => {
  it('lists Unleash and Prometheus beside the demo connections, and both answer a test', async () => {
    if (!host) throw new Error('host not started');
    await page.goto(host.launchUrl);
    await page.locator('[data-testid=nav-connections]').click();
    const rows = page.locator('[data-testid=connection-row]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    for (const id of ['unleash-local', 'prom-local']) {
      const row = page.locator(`[data-testid=connection-row][data-connection-id=${id}]`);
      await row.locator('[data-testid=connection-test]').click();
      const result = row.locator('[data-testid=connection-test-result]');
      await result.waitFor({ timeout: 20_000 });
      expect(await result.innerText(), id).toMatch(/^✓/);
    }
    expect(
      await page
        .locator('[data-testid=connection-row][data-connection-id=unleash-local] [data-testid=secret-available]')
        .innerText(),
    ).toBe(`yes · $${TOKEN_ENV}`);
    expect(
      await page
        .locator('[data-testid=connection-row][data-connection-id=unleash-local] [data-testid=connection-test-result]')
        .innerText(),
    ).toMatch(/production/);
    await page.screenshot({ path: screenshotPath('connections-all.png'), fullPage: true });
  });

  it('opens the Unleash flag and saves its watch on Prometheus with selector job="checkout"', async () => {
    await page.locator('[data-testid=nav-canary]').click();
    await page.locator('[data-testid=flag-search]').fill(FLAG);
    await page
      .locator(`[data-testid=flag-row][data-connection-id=unleash-local][data-flag-key=${FLAG}][data-env=production]`)
      .click();
    await page.locator('[data-testid=watch-proposal]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=watch-selector]').fill(prom?.selector ?? '');
    expect(await page.locator('[data-testid=watch-variant-label]').inputValue()).toBe(prom?.variantLabel);
    await page.locator('[data-testid=save-watch]').click();
    await page.locator('[data-testid=chart-latency]').waitFor({ timeout: 20_000 });
    const watches = await rpc<
      { flagConnectionId: string; flagKey: string; metricsConnectionId: string; selector: string }[]
    >(host!, 'watches:list', {});
    expect(watches.find((w) => w.flagKey === FLAG)).toMatchObject({
      flagConnectionId: 'unleash-local',
      metricsConnectionId: 'prom-local',
      selector: 'job="checkout"',
    });
  });

  it('draws treatment (on) vs control (off) latency from Prometheus, the on arm ×1.5 after the regression', async () => {
    await page.locator('[data-testid=range-6h]').click();
    const latency = page.locator('[data-testid=chart-latency]');
    await expect
      .poll(async () => Number(await latency.getAttribute('data-points')), { timeout: 20_000 })
      .toBeGreaterThan(100);
    const legend = await latency.locator('.legend').innerText();
    expect(legend).toContain('p99 · treatment (on)');
    expect(legend).toContain('p99 · control (off)');
    expect(await latency.locator('svg [data-testid=series-line]').count()).toBeGreaterThanOrEqual(4);

    // The same series through the contract: after the known regression the "on" arm's p99 is ≈1.5× the "off" arm's.
    const watch = (await rpc<{ id: string; flagKey: string }[]>(host!, 'watches:list', {})).find(
      (w) => w.flagKey === FLAG,
    );
    const p = prom!;
    const res = await rpc<{ series: { metric: string; variant: string | null; points: [number, number | null][] }[] }>(
      host!,
      'series:range',
      {
        watchId: watch?.id,
        from: p.end - 6 * 3_600_000,
        to: p.end,
        width: 600,
        metrics: ['p99'],
      },
    );
    const mean = (variant: string, after: boolean): number => {
      const s = res.series.find((x) => x.metric === 'p99' && x.variant === variant);
      const v = (s?.points ?? [])
        .filter(([t, y]) => y !== null && (after ? t >= p.regressionAt + 600_000 : t < p.regressionAt))
        .map(([, y]) => y as number);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(mean('on', false) / mean('off', false)).toBeCloseTo(1, 0);
    expect(mean('on', true) / mean('off', true)).toBeGreaterThan(1.3);
  });

  it('shows Unleash’s own history as change markers', async () => {
    for (const label of ['rollout 0% → 5%', 'off → on', 'rollout 5% → 25%']) {
      await page
        .locator(`[data-testid=change-marker][data-label="${label}"]`)
        .first()
        .waitFor({ state: 'attached', timeout: 20_000 });
    }
    expect(await page.locator('[data-testid=flag-exposure]').innerText()).toBe('25%');
  });

  it('ramps 25% → 50% with a comment: a new marker, the read-back toast, and Unleash says 50', async () => {
    const markersBefore = await page.locator('[data-testid=change-marker]').count();
    await page.locator('[data-testid=ramp-button]').click();
    await page.locator('[data-testid=confirm-dialog]').waitFor();
    await page.keyboard.type('e2e: p99 flat at 25% on the control arm');
    await page.keyboard.press('Enter');
    const toast = page.locator('[data-testid=toast]', { hasText: 'confirmed by read-back: rollout 25% → 50%' });
    const blocked = page.locator('[data-testid=ramp-anyway]');
    await toast.or(blocked).first().waitFor({ timeout: 20_000 });
    // The history's "on" arm regressed, so the verdict may block: the override is explicit and audited.
    if (await blocked.isVisible()) await blocked.click();
    await toast.first().waitFor({ timeout: 20_000 });
    // Rampart's own record of the write (actor, comment) is on the chart at once.
    await page
      .locator('[data-testid=change-marker][data-label="rollout 25% → 50%"][data-change-id^="unleash-local:rampart:"]')
      .waitFor({ state: 'attached', timeout: 10_000 });
    expect(await page.locator('[data-testid=change-marker]').count()).toBeGreaterThanOrEqual(markersBefore + 1);
    expect(await page.locator('[data-testid=flag-exposure]').innerText()).toBe('50%');
    expect(await unleashRollout(unleash!, FLAG)).toBe('50');
    await page.locator('[data-testid=verdict-overall]').waitFor({ timeout: 20_000 });
    await page.mouse.move(5, 5);
    for (const dismiss of await page.locator('[data-testid=toast] button').all()) await dismiss.click();
    await page.screenshot({ path: screenshotPath('canary-unleash.png'), fullPage: true });
    const audit = await rpc<{ flagKey: string; action: string; result: string; comment: string }[]>(
      host!,
      'audit:list',
      { flagKey: FLAG },
    );
    expect(audit.find((a) => a.action === 'ramp' && a.result === 'done')?.comment).toBe(
      'e2e: p99 flat at 25% on the control arm',
    );
  });

  it('draws that ramp once: Unleash’s own event for Rampart’s write is not a second marker', async () => {
    // Unleash records the PATCH Rampart made as an event of its own; the timeline must merge it with Rampart's
    // record of the same write instead of showing "rollout 25% → 50%" twice.
    const history = await rpc<{ id: string; label: string; source: string }[]>(host!, 'flags:history', {
      connectionId: 'unleash-local',
      flagKey: FLAG,
      env: 'production',
      from: Date.now() - 3_600_000,
      to: Date.now() + 60_000,
    });
    const ramps = history.filter((c) => c.label === 'rollout 25% → 50%');
    expect(
      ramps.map((c) => `${c.source} ${c.id}`),
      'one change per write',
    ).toHaveLength(1);
    expect(await page.locator('[data-testid=change-marker][data-label="rollout 25% → 50%"]').count()).toBe(1);
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
