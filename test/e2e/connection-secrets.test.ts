/**
 * Secret entry in the Connections form, in Chromium against the real browser host.
 *  - Browser host (door 'http'): no secret field at all, only env-var names, and the form says why.
 *  - Desktop app (door 'electron'): no Electron binary can run here, so this part answers `app:info` with
 *    door 'electron' and `connections:setSecret` with what the Electron core answers on Linux without a keyring
 *    (a `blocked` refusal with the fact `refusal: 'plaintext_keychain'`, main/electron/secrets.ts; then success
 *    once allowed). Everything else is the real host. It checks the
 *    page's side: the secret goes out once, the field is cleared, the secret never appears in the page, and only
 *    the explicit opt-in resends it with allowPlaintext. The keychain itself is tested in test/security.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, requireChromium, screenshotPath, startHost, type RunningHost } from './support/browser-host';

const SECRET = 'e2e-token-5f0c1d9a7b';
const PLAINTEXT_REFUSAL =
  'No keyring (gnome-keyring/kwallet) is running, so the token could only be stored as plain text. Confirm to store it anyway, or use an environment variable.';

interface SetSecretBody {
  id: string;
  which: string;
  secret: string;
  allowPlaintext?: boolean;
}

describe('connection secrets in the form', () => {
  let host: RunningHost;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    host = await startHost();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  async function openForm(page: Page): Promise<void> {
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Each page signs in with its own one-time link (a spent one would leave it without a session).
    await page.goto(await host.newLaunchUrl());
    await page.locator('[data-testid=nav-connections]').click();
    await page.locator('[data-testid=connection-add]').click();
    await page.locator('[data-testid=connection-form]').waitFor();
    await page.selectOption('#conn-kind', 'unleash');
  }

  it('in the browser host, offers env-var names only and says why', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openForm(page);
    await page.locator('[data-testid=secret-env-only]').waitFor();
    expect(await page.locator('[data-testid=secret-env-only]').innerText()).toMatch(/environment variable/);
    expect(await page.locator('input[type=password]').count()).toBe(0);
    expect(await page.locator('#conn-tokenEnv').count()).toBe(1);
    await page.close();
  });

  it('in the desktop app, sends the secret once, clears it, and resends only after the explicit plain-text opt-in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const sent: SetSecretBody[] = [];
    await page.route('**/rpc/app:info', async (route) => {
      const real = await route.fetch();
      const body = (await real.json()) as { result: Record<string, unknown> };
      await route.fulfill({ response: real, json: { result: { ...body.result, door: 'electron' } } });
    });
    await page.route('**/rpc/connections:setSecret', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as SetSecretBody;
      sent.push(body);
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify(
          body.allowPlaintext
            ? { result: { stored: true, backend: 'basic_text' } }
            : { error: { code: 'blocked', message: PLAINTEXT_REFUSAL, details: { refusal: 'plaintext_keychain' } } },
        ),
      });
    });
    await openForm(page);
    const secretField = page.locator('[data-testid=secret-token]');
    await secretField.waitFor();
    expect(await secretField.getAttribute('type')).toBe('password');
    expect(await page.locator('[data-testid=secret-env-only]').count()).toBe(0);

    await page.locator('#conn-name').fill('Vault Unleash');
    await page.locator('#conn-url').fill('http://127.0.0.1:9');
    await secretField.fill(SECRET);
    await page.locator('[data-testid=connection-save]').click();

    const refusal = page.locator('[data-testid=error-notice][data-error-code=blocked]');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.innerText()).toContain('plain text');
    expect(sent).toEqual([{ id: 'vault-unleash', which: 'token', secret: SECRET, allowPlaintext: false }]);
    expect(await secretField.inputValue(), 'the field is cleared once the secret is sent').toBe('');
    expect(await page.content(), 'the secret is nowhere in the page').not.toContain(SECRET);
    await page.screenshot({ path: screenshotPath('connection-secret-plaintext.png') });

    expect(await page.locator('#conn-id').isDisabled(), 'the saved id is this form’s record now').toBe(true);
    await page.locator('[data-testid=allow-plaintext]').check();
    await page.locator('[data-testid=connection-save]').click();
    await page.locator('[data-testid=connection-form]').waitFor({ state: 'detached', timeout: 15_000 });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({ id: 'vault-unleash', which: 'token', secret: SECRET, allowPlaintext: true });
    await page.locator('[data-testid=toast]', { hasText: 'Token stored (basic_text)' }).first().waitFor();
    // The second save replaced the record the first one made (connections:save refuses a silent replace of any
    // other id): one connection, not a refusal of its own id.
    await expect
      .poll(() => page.locator('[data-testid=connection-row][data-connection-id=vault-unleash]').count())
      .toBe(1);
    expect(await page.content()).not.toContain(SECRET);
    await page.close();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
