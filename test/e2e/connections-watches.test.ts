/**
 * Connections that tell the truth, and watches in the UI (issue 11), in Chromium against the browser host:
 *  - field-level messages in plain words under the field, before anything is sent;
 *  - Test shows what the core's test proved, check by check: a Prometheus connection to a closed port and one to
 *    a server that is not Prometheus both fail, saying what failed;
 *  - the live preview of a watch on that server shows each query's failure as its code and message (issue 13);
 *  - a watch created in the UI (flag, metrics connection, selector with a live preview, thresholds) opens in the
 *    Canary watch with its chart drawn.
 * Screenshots: connections.png, connection-form-errors.png, watch-editor.png.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoSession, rpc, screenshotPath, type DemoSession, type RunningHost } from './support/browser-host';
import { gotoApp } from './support/ui';

/** A port nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('connections and watches in the UI', () => {
  let session: DemoSession;
  let host: RunningHost;
  let page: Page;
  let notPrometheus: Server;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // A web server that answers every path with a 200 HTML page: reachable, but not Prometheus.
    notPrometheus = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>It works!</body></html>');
    });
    await new Promise<void>((r) => notPrometheus.listen(0, '127.0.0.1', () => r()));
    session = await openDemoSession(pageErrors);
    ({ host, page } = session);
    await gotoApp(page, host, '#/connections');
    await page.locator('[data-testid=connections-view]').waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await new Promise<void>((r) => notPrometheus?.close(() => r()));
  });

  async function addPrometheus(name: string, url: string): Promise<void> {
    await page.locator('[data-testid=connection-add]').click();
    await page.locator('[data-testid=connection-form]').waitFor();
    await page.selectOption('#conn-kind', 'prometheus');
    await page.fill('#conn-name', name);
    await page.fill('#conn-url', url);
    await page.locator('[data-testid=connection-save]').click();
  }

  /** The watch editor on dark-mode / production, once the core's proposal has filled the metrics connection. */
  async function newWatchForDarkMode(): Promise<void> {
    await page.locator('[data-testid=watch-add]').click();
    await page.locator('[data-testid=watch-editor]').waitFor();
    await page.selectOption('[data-testid=watch-flag-connection]', 'demo-flags');
    await page.selectOption('[data-testid=watch-flag]', 'dark-mode');
    await page.selectOption('[data-testid=watch-env]', 'production');
    // The core's proposal fills the metrics connection and the metric set.
    await expect
      .poll(() => page.locator('[data-testid=watch-metrics-connection]').inputValue(), { timeout: 15_000 })
      .toBe('demo-metrics');
  }

  it('puts plain-word messages under the fields, and sends nothing until they are right', async () => {
    await addPrometheus('Prom typo', 'not a url');
    const url = page.locator('[data-testid=field-error-url]');
    await url.waitFor();
    expect(await url.innerText()).toBe('must be an http(s) URL, e.g. http://127.0.0.1:4242');
    await page.fill('#conn-id', 'Bad Id');
    await page.locator('[data-testid=connection-save]').click();
    expect(await page.locator('[data-testid=field-error-id]').innerText()).toBe(
      'must be lower-case letters, digits and dashes, up to 63 characters',
    );
    expect(await page.locator('[data-testid=connection-form]').innerText()).not.toMatch(
      /bad_request|Invalid 'connections:save' request/,
    );
    await page.screenshot({ path: screenshotPath('connection-form-errors.png') });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=connection-form]').waitFor({ state: 'detached' });
    expect(
      (await rpc<{ connection: { id: string } }[]>(host, 'connections:list', {})).map((c) => c.connection.id),
    ).not.toContain('prom-typo');
  });

  it('tests a Prometheus connection for real: a closed port and a server that is not Prometheus both fail, saying what', async () => {
    const port = await closedPort();
    await addPrometheus('Prom closed', `http://127.0.0.1:${port}`);
    await page.locator('[data-testid=connection-row][data-connection-id=prom-closed]').waitFor({ timeout: 10_000 });
    await addPrometheus('Prom not', `http://127.0.0.1:${(notPrometheus.address() as AddressInfo).port}`);
    await page.locator('[data-testid=connection-row][data-connection-id=prom-not]').waitFor({ timeout: 10_000 });
    for (const id of ['prom-closed', 'prom-not']) {
      const row = page.locator(`[data-testid=connection-row][data-connection-id=${id}]`);
      await row.locator('[data-testid=connection-test]').click();
      const result = row.locator('[data-testid=connection-test-result]');
      await result.waitFor({ timeout: 20_000 });
      expect(await result.getAttribute('data-ok'), `${id} must not pass`).toBe('false');
      expect(await result.innerText()).toMatch(/^✗ /);
      // The core says what failed, as the CLI does.
      const core = await rpc<{ ok: boolean; message: string }>(host, 'connections:test', { id });
      expect(core.ok).toBe(false);
      expect(await result.innerText()).toContain(core.message);
    }
    expect(
      await page
        .locator('[data-testid=connection-row][data-connection-id=prom-closed] [data-testid=connection-test-result]')
        .innerText(),
    ).toMatch(/refused|unreachable|cannot reach|connect/i);
    await page.screenshot({ path: screenshotPath('connections.png'), fullPage: true });
  });

  it("previews a watch on a server that is not Prometheus: each query shows the failure's code and message", async () => {
    await newWatchForDarkMode();
    // The HTML server answers at once (the closed port would be retried per query: slow, and the same rendering).
    await page.selectOption('[data-testid=watch-metrics-connection]', 'prom-not');
    await expect
      .poll(() => page.locator('[data-testid=watch-preview]').getAttribute('data-ok'), { timeout: 20_000 })
      .toBe('false');
    const parts = page.locator('[data-testid=preview-part]');
    expect(await parts.count()).toBeGreaterThan(0);
    // Every part failed for the one reason the adapter gave (PartialFailure.code), not a message to parse.
    const codes = await Promise.all((await parts.all()).map((row) => row.getAttribute('data-error-code')));
    expect(new Set(codes)).toEqual(new Set(['vendor_error']));
    const first = await parts.first().innerText();
    expect(first).toContain('vendor_error');
    expect(first).toMatch(/Prometheus: malformed query_range response/);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=watch-editor]').waitFor({ state: 'detached' });
  });

  it('creates a watch in the UI with a live preview, and its chart opens in the Canary watch', async () => {
    await rpc(host, 'watches:remove', { id: 'demo-dark-mode' });
    await page.reload();
    await page.locator('[data-testid=watches-section]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=watch-row][data-watch-id=demo-dark-mode]').count()).toBe(0);
    await newWatchForDarkMode();
    await expect.poll(() => page.locator('[data-testid=watch-metric-row]').count()).toBeGreaterThan(0);
    await page.fill('[data-testid=watch-editor-selector]', 'service="nowhere"');
    const msg = page.locator('[data-testid=watch-preview-message]');
    await expect
      .poll(() => page.locator('[data-testid=watch-preview]').getAttribute('data-ok'), { timeout: 20_000 })
      .toBe('false');
    await page.fill('[data-testid=watch-editor-selector]', 'service="web"');
    await expect
      .poll(() => page.locator('[data-testid=watch-preview]').getAttribute('data-ok'), { timeout: 20_000 })
      .toBe('true');
    expect(
      Number(await page.locator('[data-testid=preview-part][data-part=series]').first().getAttribute('data-matched')),
    ).toBeGreaterThan(0);
    expect(await msg.innerText()).not.toBe('');
    // A threshold typed wrong is named under its field, in plain words.
    await page.fill('[data-testid=watch-allowed-increase]', '0.9');
    await page.locator('[data-testid=watch-editor-save]').click();
    expect(await page.locator('[data-testid=watch-error-allowedIncrease]').innerText()).toBe('more than 1');
    await page.fill('[data-testid=watch-allowed-increase]', '1.2');
    await page.screenshot({ path: screenshotPath('watch-editor.png') });
    await page.locator('[data-testid=watch-editor-save]').click();
    await page.locator('[data-testid=chart-latency]').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key'))
      .toBe('dark-mode');
    await expect
      .poll(async () => Number(await page.locator('[data-testid=chart-latency]').getAttribute('data-points')), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    const saved = await rpc<{ id: string; selector: string; thresholds: { allowedIncrease: number } }[]>(
      host,
      'watches:list',
      {},
    );
    expect(saved.find((w) => w.selector === 'service="web"')?.thresholds.allowedIncrease).toBe(1.2);
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
