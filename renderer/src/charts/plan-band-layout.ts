/**
 * Where a plan's step bands and their labels go on a chart (PlanBandsLayer.tsx draws them). Pure, so the rules are
 * unit-tested without a DOM.
 */
import type { PlanBand } from '../../../shared/domain/plans';
import { estimateLabelWidth } from '../lib/label-layout';

/** Space kept between a label and the next one. */
const LABEL_GAP = 6;

/** Where a band ends: the step still held runs on to `liveEnd` (the chart's live edge), not to when it was fetched. */
export const bandEnd = (b: PlanBand, liveEnd: number): number =>
  b.outcome === 'current' ? Math.max(b.to, liveEnd) : b.to;

const DAY = 86_400_000;
/** How far back the bands are asked for at least: past the longest range the toolbar offers (7 days), with room. */
export const BAND_REACH_MS = 32 * DAY;

/**
 * The window the bands are asked for (issue 15: a zoom must not wait on `plans:bands`): whole days covering the
 * last BAND_REACH_MS and the view, so zooming and panning inside it, and the live edge moving, keep one answer;
 * only a plan's change (the `plans:updated` push) or a view reaching further back asks again.
 */
export function bandFetchWindow(from: number, to: number, now: number): { from: number; to: number } {
  return {
    from: Math.floor(Math.min(from, now - BAND_REACH_MS) / DAY) * DAY,
    to: (Math.ceil(Math.max(to, now) / DAY) + 1) * DAY,
  };
}

/** The bands that show in [from, to], the step still held running on to `liveEnd`. */
export function bandsInView(bands: readonly PlanBand[], from: number, to: number, liveEnd: number): PlanBand[] {
  return bands.filter((b) => b.from < to && bandEnd(b, liveEnd) > from);
}

/**
 * The pixel extent of each band and where its label goes: from the band's start while it fits before the next band
 * (or the plot's right edge); else ending at the band's end (the step just taken, at the live edge); else none. The
 * newest step is placed first, and labels never overlap; the tooltip still names an unlabelled step.
 */
export function layoutPlanBands(
  bands: readonly PlanBand[],
  x: (t: number) => number,
  plot: { left: number; right: number },
  liveEnd: number,
): { band: PlanBand; x1: number; x2: number; labelX: number | null }[] {
  const sorted = [...bands].sort((a, b) => a.from - b.from);
  const laid = sorted.map((band) => ({
    band,
    x1: x(band.from),
    x2: x(bandEnd(band, liveEnd)),
    labelX: null as number | null,
  }));
  const taken: [number, number][] = [];
  const free = (l: number, r: number): boolean =>
    l >= plot.left && r <= plot.right && taken.every(([a, b]) => r <= a || l >= b);
  for (let i = laid.length - 1; i >= 0; i--) {
    const w = estimateLabelWidth(laid[i].band.label) + LABEL_GAP;
    const start = Math.max(laid[i].x1, plot.left);
    const end = Math.min(laid[i].x2, plot.right);
    const limit = i + 1 < laid.length ? laid[i + 1].x1 : plot.right;
    const labelX = start + w <= limit && free(start, start + w) ? start : free(end - w, end) ? end - w : null;
    if (labelX !== null) taken.push([labelX, labelX + w]);
    laid[i].labelX = labelX;
  }
  return laid;
}
