/**
 * Steps the UI tests share: sign a page in through the host's launch link and open a deep link, move focus with the
 * keyboard only, and check that an element is fully inside the viewport (the sticky decision bar at every size).
 */
import type { Locator, Page } from 'playwright-core';
import { newLaunchUrl, type RunningHost } from './browser-host';

/** Opens the app signed in (a fresh one-time launch link), then the deep link `hash` (e.g. '#/canary?c=…'). */
export async function gotoApp(page: Page, host: RunningHost, hash?: string): Promise<void> {
  await page.goto(await newLaunchUrl(host));
  await page.waitForSelector('body[data-app-state="loaded"]', { timeout: 30_000 });
  if (hash) await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

export const flagLink = (flagKey: string, extra = ''): string =>
  `#/canary?c=demo-flags&f=${flagKey}&e=production${extra}`;

/** Presses Tab (Shift+Tab with `back`) until the element with `testId` has focus; fails after `max` presses. */
export async function tabTo(page: Page, testId: string, o: { max?: number; back?: boolean } = {}): Promise<void> {
  for (let i = 0; i < (o.max ?? 80); i++) {
    if (
      (await page.evaluate('document.activeElement ? document.activeElement.getAttribute("data-testid") : null')) ===
      testId
    )
      return;
    await page.keyboard.press(o.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(
    `Tab never reached [data-testid=${testId}] (focus is on ${String(await page.evaluate('document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "nothing"'))})`,
  );
}

/** Whether the element is entirely on screen (not scrolled away, not cut by the viewport). */
export async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  if (!box || !vp) return false;
  return box.y >= 0 && box.x >= 0 && box.y + box.height <= vp.height + 0.5 && box.x + box.width <= vp.width + 0.5;
}

/** The text of a file the page downloads when `click` runs. */
export async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), click()]);
  const path = await d.path();
  const { readFileSync } = await import('node:fs');
  return { name: d.suggestedFilename(), body: readFileSync(path) };
}

/** The page's address fragment set from the test (a deep link pasted into an open page). */
export async function setHash(page: Page, hash: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

export async function scrollTo(page: Page, where: 'top' | 'bottom'): Promise<void> {
  await page.evaluate(where === 'top' ? 'window.scrollTo(0, 0)' : 'window.scrollTo(0, document.body.scrollHeight)');
}

/** `data-testid` (or `attr`) of the focused element. */
export async function focused(page: Page, attr = 'data-testid'): Promise<string | null> {
  return page.evaluate(`document.activeElement ? document.activeElement.getAttribute(${JSON.stringify(attr)}) : null`);
}

export async function focusInside(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(
    `Boolean(document.activeElement && document.activeElement.closest(${JSON.stringify(selector)}))`,
  );
}

export async function pageHash(page: Page): Promise<string> {
  return page.evaluate('window.location.hash');
}
