/**
 * What a release captain does in the canary watch, measured on the shipped app (bench/app/session.ts), and uPlot
 * drawing the same series in the same page right after: a live minute with the view open (calls, bytes, long tasks,
 * renderer CPU), 7-day range clicks, drag-zooms and the first switch to each other flag. Every time runs from the
 * input's own event timestamp to the end of the frame that painted the result (the probe, bench/app/probe.ts).
 */
import type { MetricSpec } from '../../shared/domain/metrics';
import { columnsOf, pointCount, rpc, uplotCharts } from './answers';
import { lastInput, openAppSession, settleAfter, type AppSession, type Settled, type WireCounters } from './session';
import { installUplot } from './uplot';

export interface LiveMinute {
  seconds: number;
  wire: WireCounters;
  longTasks: number[];
  /** Renderer main thread busy, % of one core (DevTools TaskDuration). */
  mainThreadPct: number;
  /** Every renderer process thread (main, compositor, raster, workers), % of one core (/proc). */
  processPct: number;
}

export interface AppRun {
  loaded: number;
  live: LiveMinute;
  sevenDay: Settled[];
  back24h: Settled[];
  zoom: Settled[];
  resetZoom: Settled[];
  flagSwitch: (Settled & { flagKey: string; verdictAnswered: number })[];
  uplot: {
    mount: number;
    setData7d: number[];
    setData24h: number[];
    setScale: number[];
    points7d: number;
    points24h: number;
  };
  charts: Record<'traffic' | 'latency', { width: number; height: number }>;
}

const ZOOMS: [number, number][] = [
  [0.4, 0.6],
  [0.62, 0.78],
  [0.2, 0.32],
  [0.7, 0.92],
  [0.5, 0.56],
];

async function clickAndSettle(s: AppSession, selector: string): Promise<Settled> {
  await s.page.locator(selector).first().click();
  return settleAfter(s, await lastInput(s, 'pointerup'));
}

async function chartBox(
  s: AppSession,
  id: 'traffic' | 'latency',
): Promise<{ x: number; y: number; width: number; height: number }> {
  const overlay = s.page.locator(`[data-testid=chart-${id}] .chart-overlay`);
  // Below the fold at 1440×900: a drag off screen reaches nothing (the first zoom used to measure nothing).
  await overlay.scrollIntoViewIfNeeded();
  const box = await overlay.boundingBox();
  if (!box) throw new Error(`app bench: the ${id} chart has no overlay on screen`);
  return box;
}

async function liveMinute(s: AppSession, seconds: number, log: (m: string) => void): Promise<LiveMinute> {
  const before = await s.probe();
  const cpu0 = await s.cpu();
  const t0 = Date.now();
  s.resetWire();
  log(`app: live view open for ${seconds} s …`);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wire = s.wire();
  const cpu1 = await s.cpu();
  const elapsed = (Date.now() - t0) / 1000;
  const after = await s.probe();
  const longTasks = after.longTasks.slice(before.longTasks.length).map((x) => x.duration);
  return {
    seconds: elapsed,
    wire,
    longTasks,
    mainThreadPct: (100 * (cpu1.mainThreadS - cpu0.mainThreadS)) / elapsed,
    processPct: (100 * (cpu1.processS - cpu0.processS)) / elapsed,
  };
}

/** The series call the app made for a window, as the probe saw it (the newest one matching). */
function seriesCall(
  fetches: { channel: string; body: string }[],
  match: (payload: { from: number; to: number }) => boolean,
): { channel: string; payload: Record<string, unknown> } {
  for (let i = fetches.length - 1; i >= 0; i--) {
    const f = fetches[i];
    if (f.channel !== 'series:range' && f.channel !== 'series:view') continue;
    const payload = JSON.parse(f.body || '{}') as { from: number; to: number; width?: number; metrics?: unknown };
    if (payload.width !== undefined && payload.width > 100 && payload.metrics === undefined && match(payload))
      return { channel: f.channel, payload };
  }
  throw new Error('app bench: the app made no series call for that window');
}

export async function runAppScenario(log: (m: string) => void, o: { liveSeconds?: number } = {}): Promise<AppRun> {
  const s = await openAppSession();
  try {
    await s.page.waitForSelector('[data-app-state="loaded"]', { state: 'attached', timeout: 30_000 });
    const loaded = (await s.page.evaluate(() => performance.now())) as number;
    await s.page.locator('[data-testid=chart-latency]').waitFor();
    // The first view's own calls settle, and so does the one-off ask for the 7-day window made 2 s after the first
    // paint when the page is idle (use-week-prefetch.ts, ~190 KB once per watch and page load): the live minute
    // measures the steady state of an open view; that ask is what makes the 7-day click row warm.
    await new Promise((r) => setTimeout(r, 8_000));
    const live = await liveMinute(s, o.liveSeconds ?? 60, log);
    log(
      `app live: ${live.wire.requests} calls, ${(live.wire.bytes / 1024).toFixed(0)} KB answers + ${(live.wire.pushedBytes / 1024).toFixed(1)} KB pushed, ${live.longTasks.length} long tasks, main thread ${live.mainThreadPct.toFixed(1)} %`,
    );

    const sevenDay: Settled[] = [];
    const back24h: Settled[] = [];
    for (let i = 0; i < 4; i++) {
      sevenDay.push(await clickAndSettle(s, '[data-testid=range-7d]'));
      back24h.push(await clickAndSettle(s, '[data-testid=range-24h]'));
    }
    log(`app 7d click → painted: ${sevenDay.map((x) => x.lastPaint.toFixed(0)).join(', ')} ms`);

    const zoom: Settled[] = [];
    const resetZoom: Settled[] = [];
    const zoomWindows: { from: number; to: number }[] = [];
    for (const [a, b] of ZOOMS) {
      const box = await chartBox(s, 'latency');
      const y = box.y + box.height / 2;
      await s.page.mouse.move(box.x + a * box.width, y);
      await s.page.mouse.down();
      await s.page.mouse.move(box.x + b * box.width, y, { steps: 4 });
      await s.page.mouse.up();
      zoom.push(await settleAfter(s, await lastInput(s, 'pointerup')));
      const hash = new URLSearchParams(String(await s.page.evaluate('location.hash')).replace(/^#/, ''));
      zoomWindows.push({ from: Number(hash.get('from')), to: Number(hash.get('to')) });
      await s.page.mouse.dblclick(box.x + box.width / 2, y);
      resetZoom.push(await settleAfter(s, await lastInput(s, 'dblclick')));
    }
    log(
      `app drag-zoom → painted: first ${zoom.map((x) => x.firstPaint.toFixed(0)).join(', ')} ms; with new data ${zoom.map((x) => x.lastPaint.toFixed(0)).join(', ')} ms`,
    );

    const charts = {
      traffic: (await s.page.locator('[data-testid=chart-traffic] .chart-canvas').boundingBox()) ?? {
        width: 0,
        height: 0,
      },
      latency: (await s.page.locator('[data-testid=chart-latency] .chart-canvas').boundingBox()) ?? {
        width: 0,
        height: 0,
      },
    };
    const fetches = (await s.probe()).fetches;
    const watchId = JSON.parse(
      fetches.find((f) => f.channel === 'series:range' || f.channel === 'series:view')?.body ?? '{}',
    ).watchId as string;
    const call7d = seriesCall(fetches, (p) => p.to - p.from > 6 * 86_400_000);
    const call24h = seriesCall(fetches, (p) => Math.abs(p.to - p.from - 86_400_000) < 3_600_000);

    const flagSwitch: AppRun['flagSwitch'] = [];
    const opened = await s.page
      .locator('[data-testid=flag-row][aria-current=true], [data-testid=flag-row].selected')
      .first()
      .getAttribute('data-flag-key')
      .catch(() => null);
    for (const flagKey of ['checkout-v2', 'dark-mode', 'search-ranker'].filter((k) => k !== opened).slice(0, 2)) {
      await s.page.locator(`[data-testid=flag-row][data-flag-key="${flagKey}"]`).first().click();
      const input = await lastInput(s, 'pointerup');
      const settled = await settleAfter(s, input, {
        needCall: (f) => f.channel === 'decision:get' || f.channel === 'verdict:get',
      });
      const verdictAnswered = Math.max(
        ...settled.calls.filter((c) => c.channel === 'decision:get' || c.channel === 'verdict:get').map((c) => c.end),
      );
      flagSwitch.push({ ...settled, flagKey, verdictAnswered });
    }
    log(
      `app first switch to a flag: charts ${flagSwitch.map((x) => x.lastPaint.toFixed(0)).join(', ')} ms, verdict answered ${flagSwitch.map((x) => x.verdictAnswered.toFixed(0)).join(', ')} ms`,
    );

    // uPlot, same page, same series: the answers to the app's own 24 h and 7 d calls, asked again.
    const specs =
      (await rpc<{ id: string; metrics: MetricSpec[] }[]>(s.origin, s.token, 'watches:list', {})).find(
        (w) => w.id === watchId,
      )?.metrics ?? [];
    const sizes = {
      traffic: { width: Math.round(charts.traffic.width), height: Math.round(charts.traffic.height) },
      latency: { width: Math.round(charts.latency.width), height: Math.round(charts.latency.height) },
    };
    const day = uplotCharts(
      columnsOf(call24h.channel, await rpc(s.origin, s.token, call24h.channel, call24h.payload)),
      specs,
      sizes,
    );
    const week = uplotCharts(
      columnsOf(call7d.channel, await rpc(s.origin, s.token, call7d.channel, call7d.payload)),
      specs,
      sizes,
    );
    const u = await installUplot(s.page);
    const mount = await u.mount(day);
    const setData7d: number[] = [];
    const setData24h: number[] = [];
    for (let i = 0; i < 5; i++) {
      setData7d.push(await u.setData(Object.fromEntries(week.map((c) => [c.id, c.data]))));
      setData24h.push(await u.setData(Object.fromEntries(day.map((c) => [c.id, c.data]))));
    }
    const setScale: number[] = [];
    for (let round = 0; round < 2; round++) for (const w of zoomWindows) setScale.push(await u.setScale(w.from, w.to));
    await u.unmount();
    const uplot = { mount, setData7d, setData24h, setScale, points7d: pointCount(week), points24h: pointCount(day) };
    log(
      `uPlot beside it: setData 7d ${setData7d.map((x) => x.toFixed(0)).join(', ')} ms (${uplot.points7d} points), setScale ${setScale.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    return { loaded, live, sevenDay, back24h, zoom, resetZoom, flagSwitch, uplot, charts: sizes };
  } finally {
    await s.close();
  }
}
