/**
 * The flag list with many flags (issue 15: "1,000 flags listed and searchable"), in Chromium against the real browser
 * host: only the rows on screen are rendered, each saying its place in the whole list to screen readers
 * (role=option, aria-posinset / aria-setsize), and the keyboard still walks the whole list (End reaches the last
 * flag, selected and focused, scrolled into view) while the search narrows it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoSession, rpc, type DemoSession } from './support/browser-host';
import { focused } from './support/ui';

const COUNT = 400;
let session: DemoSession | undefined;
let page: Page;
const pageErrors: string[] = [];
const rows = () => page.locator('[data-testid=flag-row]');
const setsize = async (): Promise<number> => Number(await rows().first().getAttribute('aria-setsize'));

beforeAll(async () => {
  session = await openDemoSession(pageErrors);
  page = session.page;
  const { host } = session;
  const demo = JSON.parse(readFileSync(join(host.dataDir, 'demo', 'flags.json'), 'utf8')) as {
    flags: Record<string, unknown>;
  };
  const defs = Object.values(demo.flags);
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < COUNT; i++) flags[`many-${String(i).padStart(4, '0')}`] = defs[i % defs.length];
  const file = join(host.dataDir, 'many-flags.json');
  writeFileSync(file, JSON.stringify({ ...demo, flags }));
  await rpc(host, 'connections:save', {
    connection: { id: 'many', kind: 'flagd', name: 'Many flags', file, environment: 'production' },
  });
  await page.reload();
  await page.waitForSelector('body[data-app-state="loaded"]', { timeout: 30_000 });
  if ((await rows().count()) === 0) await page.locator('[data-testid=show-flag-list]').click();
  const t0 = Date.now();
  while ((await rows().count()) === 0 || (await setsize()) < COUNT) {
    if (Date.now() - t0 > 30_000)
      throw new Error(`the flag list shows ${await setsize()} of ${COUNT} flags after 30 s`);
    await page.waitForTimeout(100);
  }
}, 120_000);

afterAll(() => session?.close());

describe('a long flag list', () => {
  it('renders the rows on screen only, each with its place in the whole list', async () => {
    const total = await setsize();
    const rendered = await rows().count();
    expect(rendered).toBeGreaterThan(3);
    // A screenful and the overscan (8 rows each side), not more: rows whose layout the browser skipped
    // (content-visibility) once made the measured pitch too small, and the list rendered 55 rows for 8 on screen.
    const box = await page.evaluate(`(() => {
      const list = document.querySelector('[role=listbox]');
      const opts = list.querySelectorAll('[role=option]');
      const pitch = (opts[opts.length - 1].offsetTop - opts[0].offsetTop) / (opts.length - 1);
      return { height: list.clientHeight, scrollHeight: list.scrollHeight, pitch };
    })()`);
    const { height, scrollHeight, pitch } = box as { height: number; scrollHeight: number; pitch: number };
    expect(rendered).toBeLessThanOrEqual(Math.ceil(height / pitch) + 2 * 8 + 1);
    // The spacers stand for the rows not rendered at the rows' own pitch: the scrollbar is the whole list's.
    expect(Math.abs(scrollHeight - total * pitch) / (total * pitch)).toBeLessThan(0.1);
    expect(await page.locator('[role=listbox] [role=option]').count()).toBe(rendered);
    expect(await rows().first().getAttribute('aria-posinset')).toBe('1');
    expect(total).toBe(COUNT + 4); // the demo's four flags and the 400
  });

  it('End selects and focuses the last flag, scrolled into view; Home goes back to the first', async () => {
    const total = await setsize();
    await rows().first().focus();
    await page.keyboard.press('End');
    const last = page.locator(`[data-testid=flag-row][aria-posinset="${total}"]`);
    await expect.poll(() => last.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => focused(page, 'aria-posinset')).toBe(String(total));
    expect(await last.getAttribute('tabindex')).toBe('0');
    expect(await last.isVisible()).toBe(true);
    expect(await page.locator('[data-testid=flag-row][aria-posinset="1"]').count()).toBe(0); // scrolled away
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focused(page, 'aria-posinset')).toBe(String(total - 1));
    expect(
      await page.locator(`[data-testid=flag-row][aria-posinset="${total - 1}"]`).getAttribute('aria-selected'),
    ).toBe('true');
    await page.keyboard.press('Home');
    const first = page.locator('[data-testid=flag-row][aria-posinset="1"]');
    await expect.poll(() => focused(page, 'aria-posinset')).toBe('1');
    expect(await first.getAttribute('aria-selected')).toBe('true');
  });

  it('the search narrows the whole list, not just the rendered rows', async () => {
    const search = page.locator('[data-testid=flag-search]').first();
    await search.fill('many-039');
    await expect.poll(setsize).toBe(10); // many-0390 … many-0399, most of them never rendered before
    expect(await rows().count()).toBe(10);
    await search.fill('');
    await expect.poll(setsize).toBe(COUNT + 4);
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
