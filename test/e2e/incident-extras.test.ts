/**
 * The live judge's extras and the incident timeline, end to end against the real browser host and the demo
 * workspace (issue 11). The demo's checkout-v2 regresses from its 5% → 25% step on. The canary watch spells out
 * the ONE decision's guard (an alert: no plan runs on it), the sample-ratio check, the always-valid intervals and the
 * bake time; the incident timeline opens by itself on checkout (the service that regressed, from a scan of every
 * watch), finds the onset at the step in 6 h, 24 h and a 1 h window dragged around it, ranks the step first with
 * per-variant evidence and no suspect long after the onset, and opens it in the canary watch zoomed onto the change.
 * Screenshots: verdict-extras.png, incident.png, incident-1h.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoSession, rpc, screenshotPath, type DemoSession, type RunningHost } from './support/browser-host';
import { flagLink, gotoApp } from './support/ui';

const FLAG = 'checkout-v2';
const WATCH = 'demo-checkout-v2';
const MIN = 60_000;

interface Analysis {
  onset: { at: number; metric: string } | null;
  suspects: { changeId: string; label: string; at: number; evidence?: { verdict: string } | null }[];
  changes: { id: string; flagKey: string; label: string; at: number }[];
  toleranceMs: number;
}

describe('verdict extras and incident timeline (demo)', () => {
  let session: DemoSession;
  let host: RunningHost;
  let page: Page;
  let stepAt = 0;
  let stepId = '';
  const pageErrors: string[] = [];
  const analyzeCalls: { from: number; to: number; metric: string; watchId: string }[] = [];

  beforeAll(async () => {
    session = await openDemoSession(pageErrors);
    ({ host, page } = session);
    page.on('request', (req) => {
      if (req.url().endsWith('/rpc/incident:analyze'))
        analyzeCalls.push(JSON.parse(req.postData() ?? '{}') as (typeof analyzeCalls)[number]);
    });
    const history = await rpc<{ id: string; flagKey: string; label: string; at: number }[]>(host, 'flags:history', {
      from: Date.now() - 2 * 86_400_000,
      to: Date.now(),
    });
    const step = history.find((c) => c.flagKey === FLAG && c.label === 'rollout 5% → 25%');
    if (!step) throw new Error('the demo history has no checkout-v2 rollout 5% → 25%');
    stepAt = step.at;
    stepId = step.id;
  });
  afterAll(() => session?.close());

  it('spells out the decision’s guard (an alert, nothing automatic), the SRM check, always-valid intervals and bake time', async () => {
    await gotoApp(page, host, flagLink(FLAG));
    await page.locator('[data-testid=verdict-guard]').waitFor({ timeout: 30_000 });
    const d = await rpc<{
      guard: { act: boolean; sustain: number };
      verdict: {
        extras?: {
          srm: { status: string } | null;
          bakeTime: { text: string } | null;
          sequential: unknown[];
          onset: unknown;
        };
      };
    }>(host, 'decision:get', { watchId: WATCH });
    const guard = page.locator('[data-testid=verdict-guard]');
    await expect.poll(() => guard.getAttribute('data-act'), { timeout: 15_000 }).toBe(String(d.guard.act));
    expect(await guard.innerText()).toContain(
      d.guard.act ? 'ALERT — the guard says roll back now' : 'quiet — no alert',
    );
    expect(await page.locator('[data-testid=guard-streak]').innerText()).toMatch(
      new RegExp(`^fixed-horizon fail (on \\d+ of |held \\d+ new data steps in a row \\()${d.guard.sustain}`),
    );
    const extras = d.verdict.extras;
    expect(extras, 'the decision carries the live extras').toBeDefined();
    expect(await page.locator('[data-testid=verdict-srm]').getAttribute('data-status')).toBe(
      extras?.srm?.status ?? 'none',
    );
    const metricRows = await page.locator('[data-testid=verdict-metric]').count();
    expect(await page.locator('[data-testid=verdict-metric] [data-testid=always-valid]').count()).toBe(
      Math.min(metricRows, extras?.sequential.length ?? 0),
    );
    if (extras?.bakeTime)
      expect(await page.locator('[data-testid=bake-time]').innerText()).toBe(`bake: ${extras.bakeTime.text}`);
    await page.screenshot({ path: screenshotPath('verdict-extras.png'), fullPage: true });
  });

  it('opens by itself on the service that regressed, in a window that holds the regression', async () => {
    await page.locator('[data-testid=nav-incident]').click();
    const view = page.locator('[data-testid=incident-view]');
    await expect.poll(() => view.getAttribute('data-opened-by'), { timeout: 30_000 }).toBe('scan');
    expect(await page.locator('[data-testid=incident-watch]').inputValue()).toBe(WATCH);
    expect(await page.locator('[data-testid=incident-metric]').inputValue()).toBe('p99');
    expect(await page.locator('[data-testid=incident-opened-on]').innerText()).toMatch(
      /^Opened on checkout-v2 \(production\): its p99 rose \+\d+/,
    );
    const onset = page.locator('[data-testid=incident-onset]');
    await expect
      .poll(async () => Number((await onset.getAttribute('data-at')) || 0), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const call = analyzeCalls.at(-1);
    expect(call && stepAt >= call.from && stepAt <= call.to, 'the default window holds the step').toBe(true);
  });

  async function checkWindow(name: string): Promise<void> {
    const onset = page.locator('[data-testid=incident-onset]');
    await expect
      .poll(async () => Number((await onset.getAttribute('data-at')) || 0), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const call = analyzeCalls.at(-1);
    if (!call) throw new Error('no incident:analyze call');
    const core = await rpc<Analysis>(host, 'incident:analyze', call);
    await expect
      .poll(async () => Number(await onset.getAttribute('data-at')), { timeout: 15_000 })
      .toBe(core.onset?.at);
    expect(Math.abs((core.onset?.at ?? 0) - stepAt), `${name}: onset within 15 min of the step`).toBeLessThanOrEqual(
      15 * MIN,
    );
    expect(core.suspects[0]?.changeId, `${name}: the step ranks first`).toBe(stepId);
    expect(core.suspects[0]?.evidence?.verdict).toBe('implicates');
    for (const s of core.suspects)
      expect(s.at - (core.onset?.at ?? 0), `${name}: ${s.label} is no later than the tolerance`).toBeLessThanOrEqual(
        core.toleranceMs,
      );
    const first = page.locator('[data-testid=suspect-row]').first();
    await expect.poll(() => first.getAttribute('data-change-id'), { timeout: 15_000 }).toBe(stepId);
    expect(await first.innerText()).toContain(`${FLAG} rollout 5% → 25%`);
    expect(await first.locator('[data-testid=suspect-evidence]').getAttribute('data-evidence')).toBe('implicates');
    // Every change in the window is a marker; only suspects and a few others carry a text label.
    const chart = page.locator('[data-testid=incident-chart]');
    expect(Number(await chart.getAttribute('data-markers'))).toBe(
      core.changes.filter((c) => c.at >= call.from && c.at <= call.to).length,
    );
    expect(await chart.locator('[data-testid=onset-marker]').count()).toBe(1);
  }

  it('finds the step in the 6 h and the 24 h window', async () => {
    for (const preset of ['6h', '24h']) {
      await page.locator(`[data-testid=incident-range-${preset}]`).click();
      await expect
        .poll(() => (analyzeCalls.at(-1)?.to ?? 0) - (analyzeCalls.at(-1)?.from ?? 0))
        .toBe((preset === '6h' ? 6 : 24) * 3_600_000);
      await checkWindow(preset);
    }
    await page.locator('[data-testid=incident-range-6h]').click();
    await page.screenshot({ path: screenshotPath('incident.png'), fullPage: true });
  });

  it('finds the step in a 1 h window dragged around it on the chart, and double-click returns to the preset', async () => {
    await page.locator('[data-testid=suspect-row]').first().waitFor();
    const chart = page.locator('[data-testid=incident-chart]');
    const call = {
      from: Number(await chart.getAttribute('data-from')),
      to: Number(await chart.getAttribute('data-to')),
    };
    const box = await chart.locator('.chart-overlay').boundingBox();
    if (!box) throw new Error('no chart to drag on');
    const x = (t: number) => box.x + ((t - call.from) / (call.to - call.from)) * box.width;
    const before = analyzeCalls.length;
    await page.mouse.move(x(stepAt - 35 * MIN), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x(stepAt + 25 * MIN), box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => analyzeCalls.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const zoomed = analyzeCalls.at(-1);
    expect(Math.abs((zoomed?.to ?? 0) - (zoomed?.from ?? 0) - 60 * MIN)).toBeLessThan(5 * MIN);
    await checkWindow('1 h');
    await page.screenshot({ path: screenshotPath('incident-1h.png'), fullPage: true });
    await page.locator('[data-testid=incident-reset-zoom]').waitFor();
    await page.locator('[data-testid=incident-chart] .chart-overlay').dblclick();
    await page.locator('[data-testid=incident-reset-zoom]').waitFor({ state: 'detached' });
  });

  it('opens the top suspect in the canary watch zoomed onto its change', async () => {
    await page.locator('[data-testid=suspect-row]').first().waitFor();
    await page.locator('[data-testid=suspect-row]').first().click();
    await page.locator('[data-testid=chart-latency]').waitFor();
    expect(await page.locator('[data-testid=flag-row][aria-selected=true]').getAttribute('data-flag-key')).toBe(FLAG);
    await page.locator('[data-testid=reset-zoom]').waitFor();
    const hash = new URLSearchParams(String(await page.evaluate('window.location.hash')).split('?')[1] ?? '');
    expect(Number(hash.get('from'))).toBe(stepAt - 45 * MIN);
    expect(Number(hash.get('to'))).toBe(stepAt + 45 * MIN);
    await page
      .locator('[data-testid=change-marker][data-label="rollout 5% → 25%"]')
      .first()
      .waitFor({ state: 'attached', timeout: 10_000 });
  });

  it('raised no page errors on the way', () => {
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
