/**
 * The one rule every test of the judge and of the live guard uses (docs/statistics.md "Tests per metric kind —
 * always against the margin"): an interval of the relative change canary vs baseline is compared with the allowed
 * change, never with zero.
 *   fail          the whole interval lies beyond the margin on the bad side (lower bound > margin): act;
 *   pass          the whole interval lies on the good side of the margin (upper bound < margin): evidence of safety,
 *                 as in a non-inferiority test;
 *   inconclusive  the interval straddles the margin: not yet decided, keep baking.
 * "Bad side" is always "higher" here: latency, quantiles and error rates regress upwards.
 */
import { formatLimit } from './format';

export type MarginOutcome = 'pass' | 'fail' | 'inconclusive';

export function decideAgainstMargin(relativeCi: readonly [number, number], margin: number): MarginOutcome {
  if (relativeCi[0] > margin) return 'fail';
  if (relativeCi[1] < margin) return 'pass';
  return 'inconclusive';
}

/** Direction against zero (Kayenta's High / Low / Pass), from the same interval. */
export function directionOf(ci: readonly [number, number]): 'higher' | 'lower' | 'same' {
  return ci[0] > 0 ? 'higher' : ci[1] < 0 ? 'lower' : 'same';
}

function percent(x: number): string {
  return `${Number((x * 100).toFixed(2))}%`;
}

/**
 * The level of a fixed-horizon interval stated exactly: the judge's two-sided interval at `confidence` gives two
 * one-sided tests (fail: lower bound beyond the margin; pass: upper bound within it), each at (1 − confidence)/2.
 * "one-sided 99% bounds (two-sided 98% interval)" — a one-sided 1% test is not "two-sided 98%".
 */
export function fixedHorizonLevel(confidence: number, detail = ''): string {
  const oneSided = 1 - (1 - confidence) / 2;
  return `one-sided ${percent(oneSided)} bounds (two-sided ${percent(confidence)} interval${detail ? `; ${detail}` : ''})`;
}

/**
 * The level of the always-valid interval: the mixture SPRT's confidence sequence built with −2·ln(a) holds at
 * every look with probability ≥ 1 − a; Rampart builds it with a = 1 − confidence.
 */
export function alwaysValidLevel(confidence: number): string {
  return `always-valid ${percent(confidence)} (two-sided confidence sequence, mixture SPRT; holds at every look)`;
}

/** "+18.2%", "−3.0%", "0%". */
export function formatRelative(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  const text = `${Math.abs(x * 100).toFixed(Math.abs(x) < 0.001 ? 2 : 1)}%`;
  return x > 0 ? `+${text}` : x < 0 ? `−${text}` : '0%';
}

/** "[+15.1%, +21.0%]". */
export function formatRelativeInterval(ci: readonly [number, number]): string {
  return `[${formatRelative(ci[0])}, ${formatRelative(ci[1])}]`;
}

/** The plain-language end of a reason: what the outcome says about the margin. */
export function marginPhrase(outcome: MarginOutcome, margin: number, direction: 'higher' | 'lower' | 'same'): string {
  const allowed = `the allowed +${formatLimit(margin)}`;
  if (outcome === 'fail') return `entirely above ${allowed}: fail`;
  if (outcome === 'inconclusive') return `on both sides of ${allowed}: not yet decided, keep baking`; // "the interval is …"
  if (direction === 'lower') return `entirely below ${allowed}, and lower than the baseline: pass (an improvement)`;
  if (direction === 'higher') return `higher than the baseline but entirely below ${allowed}: pass`;
  return `entirely below ${allowed}: pass`;
}
