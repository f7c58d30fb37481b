import { describe, expect, it } from 'vitest';
import type { PlanBand } from '../../shared/domain/plans';
import {
  BAND_REACH_MS,
  bandFetchWindow,
  bandsInView,
  layoutPlanBands,
} from '../../renderer/src/charts/plan-band-layout';
import { estimateLabelWidth } from '../../renderer/src/lib/label-layout';

/**
 * Where the chart draws a plan's step labels (renderer/src/charts/plan-band-layout.ts): from the band's start when it
 * fits before the next band, else ending at the band's end (a step just taken at the live edge), never overlapping,
 * the newest step first; the current step runs on to the chart's live edge.
 */
const band = (stepIndex: number, from: number, to: number, outcome: PlanBand['outcome'] = 'advanced'): PlanBand => ({
  planId: 'p',
  connectionId: 'demo-flags',
  flagKey: 'checkout-v2',
  env: 'production',
  stepIndex,
  exposure: [5, 25, 50][stepIndex] ?? 100,
  from,
  to,
  outcome,
  label: `plan step ${stepIndex + 1}/3 · ${[5, 25, 50][stepIndex] ?? 100}%`,
  note: null,
});
const x = (t: number): number => t; // 1 ms = 1 px
const plot = { left: 0, right: 1000 };
const W = estimateLabelWidth('plan step 1/3 · 5%');

describe('plan band labels', () => {
  it('start at the band when it is wide enough', () => {
    const laid = layoutPlanBands([band(0, 100, 400), band(1, 400, 900, 'current')], x, plot, 900);
    expect(laid.map((l) => l.labelX)).toEqual([100, 400]);
  });

  it('a short step at the live edge ends its label at the band, and the older one yields when they would overlap', () => {
    const laid = layoutPlanBands([band(0, 800, 960), band(1, 960, 990, 'current')], x, plot, 1000);
    const [older, newest] = laid;
    expect(newest.x2).toBe(1000); // the current step runs on to the live edge, not to when it was fetched
    expect(newest.labelX).toBeLessThan(960);
    expect(newest.labelX! + estimateLabelWidth(newest.band.label)).toBeLessThanOrEqual(1000);
    expect(older.labelX).toBeNull(); // its label would cover the newest one's
  });

  it('a rolled-back last step keeps its label past its end (nothing follows it)', () => {
    const laid = layoutPlanBands([band(0, 100, 130, 'rolled-back')], x, plot, 1000);
    expect(laid[0]).toMatchObject({ x1: 100, x2: 130, labelX: 100 });
    expect(laid[0].labelX! + W).toBeGreaterThan(laid[0].x2);
  });

  it('no room anywhere: no label (the tooltip still names the step)', () => {
    const laid = layoutPlanBands([band(0, 0, 20), band(1, 20, 40, 'rolled-back')], x, { left: 0, right: 60 }, 60);
    expect(laid.map((l) => l.labelX)).toEqual([null, null]);
  });
});

describe('plan bands asked once for a wide window, cut to the view in the renderer', () => {
  const DAY = 86_400_000;
  const now = Date.UTC(2026, 11, 2, 5, 30);

  it('zooms, pans and the live edge moving inside the last BAND_REACH_MS keep the same request', () => {
    const live = bandFetchWindow(now - DAY, now, now);
    expect(bandFetchWindow(now - 3_600_000, now - 1_800_000, now)).toEqual(live); // a drag-zoom
    expect(bandFetchWindow(now - 7 * DAY, now, now)).toEqual(live); // the 7-day range
    expect(bandFetchWindow(now - DAY + 5_000, now + 5_000, now + 5_000)).toEqual(live); // a live tick
    expect(live.from).toBeLessThanOrEqual(now - BAND_REACH_MS);
    expect(live.to).toBeGreaterThan(now);
  });

  it('a view reaching further back asks for a window that covers it', () => {
    const far = bandFetchWindow(now - 60 * DAY, now - 59 * DAY, now);
    expect(far.from).toBeLessThanOrEqual(now - 60 * DAY);
    expect(far.to).toBeGreaterThan(now);
  });

  it('keeps the bands that overlap the view, the held step running on to the live edge', () => {
    const bands = [band(0, 100, 200), band(1, 200, 300, 'rolled-back'), band(2, 500, 600, 'current')];
    expect(bandsInView(bands, 250, 400, 400).map((b) => b.stepIndex)).toEqual([1]);
    expect(bandsInView(bands, 0, 100, 100)).toEqual([]); // touching at the edge is not overlapping
    expect(bandsInView(bands, 700, 900, 900).map((b) => b.stepIndex)).toEqual([2]); // fetched at 600, still held
    expect(bandsInView(bands, 700, 900, 650)).toEqual([]); // a view past the live edge: the held step ends at now
  });
});
