/**
 * The latency effect of docs/statistics.md: the Hodges–Lehmann shift (median of the pairwise differences
 * canary − baseline) with a TIE-AWARE interval — the set of shifts δ that a two-sided Brunner–Munzel test of
 * (canary − δ) against the baseline does not reject at the judge's confidence. Because the interval is the
 * inverted test, the p-value at δ = 0 and the interval always agree: p < 1 − confidence exactly when 0 lies
 * outside the interval, ties or not. (The classical interval [D₍k₎, D₍N+1−k₎] assumes continuous data: with most
 * values tied it contains 0 while the tie-corrected rank test says p ≤ 0.002 — issue 10.)
 *
 * The bounds are found by root-finding on δ from the classical bounds (the test's one-sided p-values move
 * monotonically with δ for shift alternatives; each evaluation is one O(n + m) merge of the sorted arms).
 * Outcomes besides an interval:
 *  - too-few:       even complete separation is not significant at this confidence (no interval exists);
 *  - no-shift-fits: the test rejects even the Hodges–Lehmann shift — the arms differ in shape, not by a shift
 *                   (typically most values tied at one point and a minority far away);
 *  - degenerate:    ties leave an interval of zero width although the arms are not both constant.
 */
import { brunnerMunzelSeparable, brunnerMunzelSorted, type BrunnerMunzelResult } from './brunner-munzel';
import { normalQuantile } from './distributions';
import { hodgesLehmannRank } from './hodges-lehmann';
import { selectPairwiseDifferences } from './pairwise-select';

export type ShiftStatus = 'ok' | 'too-few' | 'no-shift-fits' | 'degenerate';

export interface ShiftInterval {
  status: ShiftStatus;
  /** Hodges–Lehmann shift canary − baseline. */
  estimate: number;
  /** Tie-aware interval of the shift (status 'ok' or 'degenerate'), else null. */
  ci: [number, number] | null;
  /** The Brunner–Munzel test at δ = 0 (p-value, relative effect). */
  atZero: BrunnerMunzelResult;
  confidence: number;
}

/** Median of the n·m pairwise differences canary − baseline, without materializing them. */
export function hodgesLehmannEstimate(canary: Float64Array, baseline: Float64Array): number {
  return hodgesLehmannWithBounds(canary, baseline, 0).estimate;
}

/** The estimate and, when rank k ≥ 1, the classical bounds D₍k₎, D₍N+1−k₎ — one selection for all of them. */
function hodgesLehmannWithBounds(
  canary: Float64Array,
  baseline: Float64Array,
  k: number,
): { estimate: number; bounds: [number, number] | null } {
  const total = canary.length * baseline.length;
  const half = Math.floor((total + 1) / 2);
  const medianRanks = total % 2 === 1 ? [half] : [half, half + 1];
  const ranks = k >= 1 ? [...medianRanks, k, total + 1 - k] : medianRanks;
  const values = selectPairwiseDifferences(canary, baseline, ranks);
  const estimate = medianRanks.length === 1 ? values[0] : values[0] / 2 + values[1] / 2;
  return { estimate, bounds: k >= 1 ? [values[medianRanks.length], values[medianRanks.length + 1]] : null };
}

const MAX_ITERATIONS = 120;

/**
 * The boundary between rejected shifts (score ≤ 0, at `outside`) and accepted ones (score > 0, at `inside`), by
 * the Illinois variant of regula falsi on a smooth score (normal scores of the one-sided p-value); a bisection step
 * whenever the bracket did not at least halve over two steps, so plateaus of the rank statistic cannot stall it.
 */
function boundary(outside: number, inside: number, score: (delta: number) => number, tolerance: number): number {
  let a = outside;
  let fa = Math.min(score(a), -1e-12);
  let b = inside;
  let fb = Math.max(score(b), 1e-12);
  let side = 0;
  let width = Math.abs(b - a);
  let checkpoint = width;
  for (let i = 0; i < MAX_ITERATIONS && width > tolerance; i++) {
    const bisect = i % 2 === 0 && i > 0 && width > checkpoint / 2;
    if (i % 2 === 0) checkpoint = width;
    let c = bisect ? a / 2 + b / 2 : (a * fb - b * fa) / (fb - fa);
    if (!Number.isFinite(c) || c <= Math.min(a, b) || c >= Math.max(a, b)) c = a / 2 + b / 2;
    if (c === a || c === b) break;
    const fc = score(c);
    if (fc > 0) {
      b = c;
      fb = fc;
      if (side === 1) fa /= 2;
      side = 1;
    } else {
      a = c;
      fa = Math.min(fc, -1e-12);
      if (side === -1) fb /= 2;
      side = -1;
    }
    width = Math.abs(b - a);
  }
  return b; // always an accepted shift
}

/** Moves `outside` away from `inside` until the score there says rejected (≤ 0), doubling the distance. */
function rejectedBeyond(start: number, inside: number, score: (delta: number) => number, limit: number): number {
  let step = Math.max(Math.abs(start - inside), Number.MIN_VALUE);
  let x = start;
  for (let i = 0; i < 200 && score(x) > 0; i++) {
    x = inside + Math.sign(start - inside || -1) * (step *= 2);
    if (Math.abs(x - inside) >= Math.abs(limit - inside)) return limit;
  }
  return x;
}

/**
 * @param canary sorted ascending, finite
 * @param baseline sorted ascending, finite
 * @param anchors shifts where the interval must agree exactly with the test (the margin); 0 always is one
 */
export function tieAwareShiftInterval(
  canary: Float64Array,
  baseline: Float64Array,
  confidence: number,
  anchors: readonly number[] = [],
): ShiftInterval {
  const n = canary.length;
  const m = baseline.length;
  const atZero = brunnerMunzelSorted(canary, baseline, 0);
  const tail = (1 - confidence) / 2;
  if (!brunnerMunzelSeparable(n, m, tail))
    return {
      status: 'too-few',
      estimate: n && m ? hodgesLehmannEstimate(canary, baseline) : Number.NaN,
      ci: null,
      atZero,
      confidence,
    };
  const hl = hodgesLehmannWithBounds(canary, baseline, hodgesLehmannRank(m, n, confidence));
  const estimate = hl.estimate;
  const zTail = normalQuantile(tail);
  const scoreOf = (p: number): number => normalQuantile(Math.max(p, 1e-300)) - zTail;
  const highScore = (d: number): number => scoreOf(brunnerMunzelSorted(canary, baseline, d).pGreater);
  const lowScore = (d: number): number => scoreOf(brunnerMunzelSorted(canary, baseline, d).pLess);
  if (highScore(estimate) <= 0 || lowScore(estimate) <= 0)
    return { status: 'no-shift-fits', estimate, ci: null, atZero, confidence };

  // Beyond the extreme pairwise differences the arms are completely separated, hence rejected (n, m separable).
  const dMin = canary[0] - baseline[m - 1];
  const dMax = canary[n - 1] - baseline[0];
  const span = Math.max(dMax - dMin, Math.abs(dMax), Math.abs(dMin), Number.MIN_VALUE);
  const farLow = dMin - span * 1e-3;
  const farHigh = dMax + span * 1e-3;
  // Start from the classical (continuous-data) bounds, which sit close to the tie-aware ones.
  const width = hl.bounds ? Math.max(hl.bounds[1] - hl.bounds[0], 0) : span;
  // Precision relative to the interval's own width: bounds are shown to 3 digits, and at the shifts that decide
  // something (0, the margin) the interval is made exact below, so a loose root (1e-4 of the width) is enough.
  const tolerance = Math.max(width, span * 1e-9) * 1e-4;
  const startLow = hl.bounds && hl.bounds[0] < estimate ? estimate - 1.5 * (estimate - hl.bounds[0]) : farLow;
  const startHigh = hl.bounds && hl.bounds[1] > estimate ? estimate + 1.5 * (hl.bounds[1] - estimate) : farHigh;
  const lower = boundary(
    rejectedBeyond(Math.max(startLow, farLow), estimate, highScore, farLow),
    estimate,
    highScore,
    tolerance,
  );
  const upper = boundary(
    rejectedBeyond(Math.min(startHigh, farHigh), estimate, lowScore, farHigh),
    estimate,
    lowScore,
    tolerance,
  );
  const ci: [number, number] = [Math.min(lower, estimate), Math.max(upper, estimate)];
  const bothConstant = canary[0] === canary[n - 1] && baseline[0] === baseline[m - 1];
  // A bound sits at a jump of the test (a pairwise difference), which bisection only approaches. At the shifts that
  // decide something — 0 (the p-value, the direction) and the margin — make the interval say exactly what the test
  // at that shift says: include it when it is not rejected, keep it strictly outside when it is.
  const snap = 4 * tolerance;
  for (const a of [0, ...anchors]) {
    if (!Number.isFinite(a)) continue;
    const test = a === 0 ? atZero : brunnerMunzelSorted(canary, baseline, a);
    const outside = Math.max(tolerance, Math.abs(a) * 4e-16);
    if (test.pGreater <= tail) {
      if (ci[0] <= a) ci[0] = a + outside;
    } else if (ci[0] > a && ci[0] - a <= snap) ci[0] = a;
    if (test.pLess <= tail) {
      if (ci[1] >= a) ci[1] = a - outside;
    } else if (ci[1] < a && a - ci[1] <= snap) ci[1] = a;
  }
  if (ci[0] > ci[1]) return { status: 'no-shift-fits', estimate, ci: null, atZero, confidence };
  const status: ShiftStatus =
    !bothConstant && ci[1] - ci[0] <= Math.max(10 * tolerance, span * 1e-9) ? 'degenerate' : 'ok';
  return { status, estimate, ci, atZero, confidence };
}
