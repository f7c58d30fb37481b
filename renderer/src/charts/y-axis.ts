/**
 * A chart's y-axes from its columns. The line layer draws the data, so each axis gets an explicit domain:
 *  - nice: [0, a round number ≥ the highest visible value], with the ticks recharts computes for [0, 'auto'] (its
 *    adaptive nice ticks), so the axes read as they always have;
 *  - robust (issue 11, the default): a few spikes must not flatten the series a captain reads — an error ratio rising
 *    from 0.5 % to 0.9 % under one 14 % spike would otherwise be a flat line. The top follows the bulk of the visible
 *    values; the points above it are counted and marked (clip marks and a note), never silently dropped.
 */
import { getNiceTickValues } from 'recharts';
import { lowerBound, upperBound } from '../../../shared/downsample/m4';
import type { Columns } from './columns';

export interface ClippedPoint {
  t: number;
  v: number;
}

export interface YScale {
  domain: [number, number];
  ticks: number[];
  /** Visible points above the domain, in time order (drawn as marks at the top edge). */
  clipped: ClippedPoint[];
  /** The largest clipped value, or null when nothing is clipped. */
  clipMax: number | null;
}

const TICK_COUNT = 5;
/** Fewer visible points than this: scale to the maximum (a short series has no "bulk" to follow). */
const MIN_POINTS = 30;
/** Quantile of the visible values the axis follows, and the headroom above it. */
const BULK_QUANTILE = 0.95;
const HEADROOM = 1.5;

/** Every finite value of the columns within [from, to]. */
function visibleValues(series: readonly Columns[], from: number, to: number): number[] {
  const out: number[] = [];
  for (const c of series) {
    for (let i = lowerBound(c.t, from), end = upperBound(c.t, to); i < end; i++)
      if (Number.isFinite(c.v[i])) out.push(c.v[i]);
  }
  return out;
}

/** [0, a nice round number ≥ hi] and its ticks; no data (or nothing above 0) → [0, 1]. */
export function niceDomain(hi: number | null): { domain: [number, number]; ticks: number[] } {
  if (hi === null || !(hi > 0))
    return { domain: [0, 1], ticks: getNiceTickValues([0, 1], TICK_COUNT, true, 'adaptive') };
  const ticks = getNiceTickValues([0, hi], TICK_COUNT, true, 'adaptive');
  return { domain: [0, Math.max(hi, ticks[ticks.length - 1] ?? hi)], ticks };
}

function quantile(sorted: Float64Array, q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.min(sorted.length - 1, lo + 1)] - sorted[lo]) * (i - lo);
}

export function robustYAxis(series: readonly Columns[], from: number, to: number, o: { full?: boolean } = {}): YScale {
  const values = visibleValues(series, from, to);
  const sorted = Float64Array.from(values).sort();
  const max = sorted.length ? sorted[sorted.length - 1] : null;
  const full = niceDomain(max);
  if (o.full || sorted.length < MIN_POINTS || max === null) return { ...full, clipped: [], clipMax: null };
  const cap = quantile(sorted, BULK_QUANTILE) * HEADROOM;
  if (!(cap > 0) || max <= cap) return { ...full, clipped: [], clipMax: null };
  const axis = niceDomain(cap);
  const top = axis.domain[1];
  const clipped: ClippedPoint[] = [];
  for (const c of series) {
    for (let i = lowerBound(c.t, from), end = upperBound(c.t, to); i < end; i++)
      if (c.v[i] > top) clipped.push({ t: c.t[i], v: c.v[i] });
  }
  if (clipped.length === 0) return { ...full, clipped: [], clipMax: null };
  clipped.sort((a, b) => a.t - b.t);
  return { domain: axis.domain, ticks: axis.ticks, clipped, clipMax: max };
}
