/**
 * `tsx bench/app/profile-app.ts`: where the renderer's time goes in the interactions whose budgets `npm run bench`
 * reports — a Chromium CPU profile (DevTools Profiler) around 7-day range clicks, drag-zooms and flag-search
 * keystrokes on the shipped app, summarised as self time per function (top 15) and per script. What latest.md's
 * "Budgets missed" section quotes; not part of `npm run bench` (profiling slows what it measures).
 */
import type { CDPSession } from 'playwright-core';
import { addThousandFlags } from './flag-search';
import { openAppSession, type AppSession } from './session';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(label: string, p: Profile): string {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byScript = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byNode.get(id);
    if (!n) return;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const script = n.callFrame.url.split('/').pop() || `(${n.callFrame.functionName || 'native'})`;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${script}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    byScript.set(script, (byScript.get(script) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, k: number): string =>
    [...m]
      .filter(([key]) => !key.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([key, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${key}`)
      .join('\n');
  return `## ${label}\nby function (self):\n${top(self, 15)}\nby script:\n${top(byScript, 8)}\n`;
}

async function profiled(cdp: CDPSession, label: string, act: () => Promise<void>): Promise<string> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await act();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  return summarise(label, profile);
}

async function main(): Promise<void> {
  const s: AppSession = await openAppSession();
  try {
    const { page, cdp } = s;
    await page.waitForSelector('[data-app-state="loaded"]', { state: 'attached', timeout: 30_000 });
    await page.locator('[data-testid=chart-latency]').waitFor();
    await page.waitForTimeout(2_000);
    const out: string[] = [];
    out.push(
      await profiled(cdp, '7-day range clicks (×3, each back to 24 h)', async () => {
        for (let i = 0; i < 3; i++) {
          await page.locator('[data-testid=range-7d]').click();
          await page.waitForTimeout(1_500);
          await page.locator('[data-testid=range-24h]').click();
          await page.waitForTimeout(1_500);
        }
      }),
    );
    out.push(
      await profiled(cdp, 'drag-zooms (×4, each reset)', async () => {
        for (const [a, b] of [
          [0.4, 0.6],
          [0.2, 0.3],
          [0.6, 0.8],
          [0.5, 0.55],
        ]) {
          const box = await page.locator('[data-testid=chart-latency] .chart-overlay').boundingBox();
          if (!box) throw new Error('no chart overlay');
          const y = box.y + box.height / 2;
          await page.mouse.move(box.x + a * box.width, y);
          await page.mouse.down();
          await page.mouse.move(box.x + b * box.width, y, { steps: 4 });
          await page.mouse.up();
          await page.waitForTimeout(1_000);
          await page.mouse.dblclick(box.x + box.width / 2, y);
          await page.waitForTimeout(1_000);
        }
      }),
    );
    out.push(
      await profiled(cdp, 'flag-search keystrokes, 1,000 flags listed', async () => {
        await addThousandFlags(s);
        const search = page.locator('[data-testid=flag-search]').first();
        await search.click();
        await page.keyboard.type('bench-flag-07', { delay: 120 });
        await search.fill('');
      }),
    );
    console.log(out.join('\n'));
  } finally {
    await s.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
