// Takes a screenshot of a running browser host: node scripts/screenshot.mjs <launchUrl> <out.png> [nav-testid] [flag-key]
// Uses Debian's Chromium through playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out, nav, flag] = process.argv.slice(2);
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rampart-shot-')), {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  viewport: { width: 1440, height: 900 },
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const problems = [];
page.on(
  'console',
  (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`),
);
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
await page.goto(url);
await page
  .waitForSelector('[data-app-state="loaded"]', { timeout: 30000 })
  .catch(() => problems.push('never reached data-app-state=loaded'));
if (flag) {
  await page.locator('[data-testid="flag-row"]', { hasText: flag }).first().click();
  await page.waitForTimeout(2500);
}
if (nav && nav !== '-') {
  await page.click(`[data-testid="${nav}"]`);
  await page.waitForTimeout(1500);
}
await page.waitForTimeout(1000);
await page.screenshot({ path: out, fullPage: true });
console.log(problems.join('\n') || 'no console errors');
await ctx.close();
