/**
 * Bake time from the judge's own rule (docs/statistics.md "How long to bake a step"): "P(detect +25 % p99) by
 * minute t" and "≥ N min more" until the judge's fixed-horizon verdict fails on the target regression with
 * probability 0.8, at the current traffic and exposure (bake-power.ts has the power of each kind's test).
 * Cheap enough for every data step, and cached by rounded inputs.
 */
import { errorsPower, histogramPower, latencyPower, type PowerAt } from './bake-power';
import { formatDuration } from './format';
import { DEFAULT_CONFIDENCE, ERROR_ABSOLUTE_LIMIT, ERROR_RELATIVE_LIMIT } from './verdict-common';
import { setBounded } from '../bounded-map';

export const BAKE_POWER = 0.8;
export const DEFAULT_TARGET_RATIO = 1.25;
export const DEFAULT_TARGET_ERRORS = 0.005;
const DEFAULT_MAX_MINUTES = 24 * 60;
const CURVE_POINTS = 24;

export type BakeBaseline =
  | ReadonlyArray<number | null>
  | { bounds: ReadonlyArray<number | null>; counts: ReadonlyArray<number> }
  | { rate: number };

export interface BakeTimeForJudgeInput {
  kind: 'latency' | 'histogram' | 'errors';
  confidence?: number;
  /** Allowed relative change: allowedIncrease − 1 (latency, histogram) or the relative limit (errors); default 0.10. */
  margin?: number;
  /** Errors only: the absolute limit (default 0.001 = 0.1 pp). */
  absoluteLimit?: number;
  /** The regression to detect: a ratio for latency/histogram (1.25), an added error rate for errors (0.005). */
  targetRegression?: number;
  /** Histogram: the quantile judged (default 0.99). */
  quantile?: number;
  stepMs: number;
  /** Data steps already in the canary window. */
  stepsSoFar: number;
  perStepRequests: { treatment: number; control: number };
  /** Per-step values (latency), merged buckets (histogram) or the control's error rate (errors). */
  baseline: BakeBaseline;
  /** Latency only, optional: the canary's per-step values so far — their scatter replaces a guess from traffic. */
  canary?: ReadonlyArray<number | null>;
  maxMinutes?: number;
}

export interface BakeTimeForJudge {
  /** Minutes still needed for power 0.8; 0 when already there; null when not within maxMinutes (or no data). */
  minutesMore: number | null;
  /** Minutes from the window start to power 0.8; null as above. */
  minutesTotal: number | null;
  /** P(the fixed-horizon verdict fails on the target) by minute since the window start. */
  curve: { minute: number; pDetect: number }[];
  text: string;
}

function targetLabel(x: BakeTimeForJudgeInput, target: number): string {
  if (x.kind === 'errors') return `+${Number((target * 100).toFixed(2))} pp errors`;
  const what = x.kind === 'histogram' ? `p${Number(((x.quantile ?? 0.99) * 100).toFixed(2))}` : 'latency';
  return `+${Number(((target - 1) * 100).toFixed(1))}% ${what}`;
}

function powerFor(x: BakeTimeForJudgeInput, target: number, confidence: number, margin: number): PowerAt | null {
  const perStep = { treatmentPerStep: x.perStepRequests.treatment, controlPerStep: x.perStepRequests.control };
  const base = x.baseline;
  if (x.kind === 'errors') {
    if (Array.isArray(base) || !('rate' in base)) return null;
    return errorsPower({
      rate: base.rate,
      added: target,
      relativeLimit: margin,
      absoluteLimit: x.absoluteLimit ?? ERROR_ABSOLUTE_LIMIT,
      confidence,
      ...perStep,
    });
  }
  if (x.kind === 'histogram') {
    if (Array.isArray(base) || !('counts' in base)) return null;
    return histogramPower({
      bounds: base.bounds,
      counts: base.counts,
      quantile: x.quantile ?? 0.99,
      target,
      margin,
      confidence,
      ...perStep,
    });
  }
  if (!Array.isArray(base)) return null;
  return latencyPower({
    values: base as ReadonlyArray<number | null>,
    canary: x.canary,
    target,
    margin,
    confidence,
    ...perStep,
  });
}

/** First step count with power ≥ 0.8 (power grows with steps), or null within `maxSteps`. */
function stepsToPower(power: PowerAt, maxSteps: number): number | null {
  let hi = 1;
  while (hi < maxSteps && power(hi) < BAKE_POWER) hi = Math.min(maxSteps, hi * 2);
  if (power(hi) < BAKE_POWER) return null;
  let lo = Math.floor(hi / 2);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (power(mid) >= BAKE_POWER) hi = mid;
    else lo = mid;
  }
  return hi;
}

function compute(x: BakeTimeForJudgeInput): BakeTimeForJudge {
  const confidence = x.confidence ?? DEFAULT_CONFIDENCE;
  const margin = x.margin ?? ERROR_RELATIVE_LIMIT;
  const target = x.targetRegression ?? (x.kind === 'errors' ? DEFAULT_TARGET_ERRORS : DEFAULT_TARGET_RATIO);
  const label = targetLabel(x, target);
  const stepMinutes = x.stepMs / 60_000;
  const none = (why: string): BakeTimeForJudge => ({
    minutesMore: null,
    minutesTotal: null,
    curve: [],
    text: `P(detect ${label}): ${why}`,
  });
  if (!(stepMinutes > 0) || !Number.isFinite(stepMinutes)) return none('no step length');
  if (x.kind !== 'errors' && !(target > 1 + margin))
    return none(`the target is within the allowed +${Number((margin * 100).toFixed(1))}%, so the judge never fails it`);
  const power = powerFor(x, target, confidence, margin);
  if (!power) return none('not enough baseline data to predict');
  const maxSteps = Math.max(1, Math.floor((x.maxMinutes ?? DEFAULT_MAX_MINUTES) / stepMinutes));
  const needed = stepsToPower(power, maxSteps);
  const sofar = Math.max(0, Math.floor(x.stepsSoFar));
  const horizon = Math.min(maxSteps, Math.max(needed ?? maxSteps, sofar, 1) * 2);
  const curve: BakeTimeForJudge['curve'] = [];
  for (let i = 1; i <= CURVE_POINTS; i++) {
    const steps = Math.max(1, Math.round((horizon * i) / CURVE_POINTS));
    if (curve.length && curve[curve.length - 1].minute === steps * stepMinutes) continue;
    curve.push({ minute: steps * stepMinutes, pDetect: power(steps) });
  }
  const now = power(Math.max(1, sofar));
  const pct = (p: number) => `${Math.round(p * 100)}%`;
  if (needed === null) {
    return {
      minutesMore: null,
      minutesTotal: null,
      curve,
      text: `P(detect ${label}) stays below 80% for ${formatDuration(maxSteps * x.stepMs)} at this traffic (now ${pct(sofar ? now : 0)})`,
    };
  }
  const minutesTotal = needed * stepMinutes;
  const minutesMore = Math.max(0, (needed - sofar) * stepMinutes);
  const text =
    minutesMore === 0
      ? `P(detect ${label}) is ${pct(now)} now: the judge would catch it`
      : `P(detect ${label}) reaches 80% after ${formatDuration(minutesTotal * 60_000)} (now ${pct(sofar ? now : 0)}): ≥ ${formatDuration(minutesMore * 60_000)} more`;
  return { minutesMore, minutesTotal, curve, text };
}

/** Three significant digits: the cache key must not change with every last-digit wobble of the inputs. */
function round3(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(3)) : v;
  if (Array.isArray(v)) return v.length > 64 ? summary(v) : v.map(round3);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, w]) => [k, round3(w)]));
  return v;
}

/** A long per-step series keyed by its length and rounded deciles. */
function summary(values: unknown[]): unknown {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const deciles = Array.from({ length: 11 }, (_, i) =>
    round3(finite[Math.min(finite.length - 1, Math.floor((i * finite.length) / 10))]),
  );
  return { n: finite.length, deciles };
}

const cache = new Map<string, BakeTimeForJudge>();
const CACHE_SIZE = 200;

export function bakeTimeForJudge(x: BakeTimeForJudgeInput): BakeTimeForJudge {
  const key = JSON.stringify(round3(x));
  const hit = cache.get(key);
  if (hit) return hit;
  const out = compute(x);
  setBounded(cache, key, out, CACHE_SIZE);
  return out;
}
