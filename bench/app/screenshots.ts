/**
 * `tsx bench/app/screenshots.ts <label>`: the canary watch (checkout-v2, the demo's regressing flag) and the incident
 * timeline at 1024×700 and 1920×1080, from the built CLI (or RAMPART_BENCH_CLI), into
 * $RAMPART_SHOTS_DIR (default test-results/screenshots)/charts-<label>-<view>-<width>.png — to compare the charts before and after a change
 * (same numbers, same labels, same markers and bands). Not part of `npm run bench`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../bench-page';
import { openAppSession } from './session';

const OUT = process.env.RAMPART_SHOTS_DIR ?? join(REPO_ROOT, 'test-results', 'screenshots');
const label = process.argv[2] ?? 'now';
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const size of SIZES) {
    const s = await openAppSession(size);
    try {
      const { page } = s;
      await page.waitForSelector('[data-app-state="loaded"]', { state: 'attached', timeout: 30_000 });
      const row = page.locator('[data-testid=flag-row][data-flag-key="checkout-v2"]');
      if ((await row.count()) === 0) await page.locator('[data-testid=show-flag-list]').click();
      await page.locator('[data-testid=flag-row][data-flag-key="checkout-v2"]').first().click();
      await page.locator('[data-testid=change-marker]').first().waitFor({ state: 'attached', timeout: 20_000 });
      await page.waitForTimeout(2_500);
      await page.screenshot({ path: join(OUT, `charts-${label}-canary-${size.width}.png`), fullPage: true });
      await page.locator('[data-testid=nav-incident]').click();
      await page.locator('[data-testid=incident-chart]:not([data-points="0"])').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid=incident-onset]').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(2_000);
      await page.screenshot({ path: join(OUT, `charts-${label}-incident-${size.width}.png`), fullPage: true });
      console.log(`${label}: ${size.width}×${size.height} done`);
    } finally {
      await s.close();
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
