/**
 * Power of the judge's OWN fixed-horizon fail rule after s data steps (docs/statistics.md "How long to bake a
 * step"), by the large-sample distribution of the statistic the judge actually uses — same test, same margin,
 * same confidence, same sample floors:
 *  - histogram: fail ⇔ the lower bound of the judge's quantile-ratio interval (quantile-compare.ts) exceeds the
 *    margin. Its expected position comes from running that very comparison on the expected counts (below); the
 *    estimate's noise is slope·√(q(1−q)(1/n_c + 1/n_b)), slope = d log Q(u)/du at q read off the baseline's merged
 *    buckets; zero before both arms reach the judge's floor. The target "all requests ×r" moves log Q by log r.
 *  - latency (per-step values): fail ⇔ the Brunner–Munzel test of canary − margin·median against the baseline
 *    rejects at one-sided (1 − confidence)/2. Under the target the canary's per-step values are its own observed
 *    ones ×r (once it has MIN_CANARY_STEPS steps: a small arm's low-running per-step quantiles then count, as in
 *    the judge), else r·(median + (b − median)·k) for b drawn from the baseline, k = max(1, √(control / treatment
 *    requests per step)) — a smaller arm's per-step quantiles scatter more (pure sampling noise: an overestimate
 *    where load dominates). θ and the placement variances v come from all pairs; the test's bound uses v, its real
 *    noise is v − 2·cov of the placements of the same step in both arms (the shared load):
 *    power = Φ((θ − ½ − t_crit·√(v/s)) / √(v_true/s)).
 *  - errors: fail ⇔ the difference bound exceeds the absolute limit AND the ratio bound the relative one; each
 *    bound computed by the judge's own intervals on the expected counts, its noise by the estimate's normal
 *    approximation; power ≈ the smaller of the two (they move together); zero below the judge's floor.
 */
import { brunnerMunzelMinPerArm } from './brunner-munzel';
import { errorsFloor } from './errors-verdict';
import { normalCdf } from './distributions';
import { moverRatioInterval, newcombeInterval } from './proportions';
import { bucketCountAt, histogramQuantile, mergeHistogram, type MergedHistogram } from './histogram';
import { compareQuantiles } from './quantile-compare';
import { histogramArm } from './quantile-verdict';
import { medianSorted } from './sample';
import { studentTQuantile } from './special';
import { sortFloat64 } from './sort';

export type PowerAt = (steps: number) => number;

/** d log Q(u)/du at q from merged buckets (central difference, one-sided at the edges); null if it cannot be read. */
export function logQuantileSlope(h: MergedHistogram, q: number): number | null {
  const hStep = Math.min(0.25 * (1 - q), 0.25 * q, 0.01);
  const at = (u: number) => histogramQuantile(h, u);
  const lo = at(q - hStep);
  const hi = at(q + hStep);
  const mid = at(q);
  if (mid.open || !(mid.value > 0) || !(lo.value > 0)) return null;
  const upper = hi.open ? mid : hi;
  const width = hi.open ? hStep : 2 * hStep;
  const slope = (Math.log(upper.value) - Math.log(lo.value)) / width;
  return Number.isFinite(slope) && slope > 0 ? slope : null;
}

/** The baseline's interpolated CDF (what histogram_quantile assumes) at x. */
function interpolatedCdf(h: MergedHistogram, x: number): number {
  const { bounds, cumulative, lastFinite, total } = h;
  let below = 0;
  let lower = 0;
  for (let i = 0; i <= lastFinite; i++) {
    const upper = bounds[i] as number;
    if (x <= upper) {
      const inBucket = cumulative[i] - below;
      const width = upper - lower;
      return (below + (width > 0 ? (inBucket * Math.max(0, x - lower)) / width : inBucket)) / total;
    }
    below = cumulative[i];
    lower = upper;
  }
  return cumulative[lastFinite] / total;
}

/**
 * The judge's histogram test run on the EXPECTED counts at s steps (baseline as observed, canary = baseline with
 * every latency ×target, both through the same buckets) gives the interval's expected half-width including the
 * exact binomial ranks and the bucket interpolation; the estimate's noise is slope·√(q(1−q)(1/n_c + 1/n_b)), and
 * the half-width's own noise is added (see below).
 */
export function histogramPower(x: {
  bounds: ReadonlyArray<number | null>;
  counts: ReadonlyArray<number>;
  quantile: number;
  target: number;
  margin: number;
  confidence: number;
  treatmentPerStep: number;
  controlPerStep: number;
}): PowerAt | null {
  const h = mergeHistogram(x.bounds, x.counts);
  if (!h || h.total < 1) return null;
  const slope = logQuantileSlope(h, x.quantile);
  if (slope === null) return null;
  const q = x.quantile;
  const shares = Array.from(h.cumulative, (c, i) => (c - (i > 0 ? h.cumulative[i - 1] : 0)) / h.total);
  let previous = 0;
  const slowShares = x.bounds.map((b) => {
    const cdf = b === null ? 1 : interpolatedCdf(h, b / x.target);
    const share = cdf - previous;
    previous = cdf;
    return share;
  });
  const limit = Math.log1p(x.margin);
  return (steps) => {
    const nc = x.treatmentPerStep * steps;
    const nb = x.controlPerStep * steps;
    if (!(nc >= 1 && nb >= 1)) return 0;
    const baseline = mergeHistogram(
      x.bounds,
      shares.map((p) => p * nb),
    );
    const canary = mergeHistogram(
      x.bounds,
      slowShares.map((p) => p * nc),
    );
    if (!baseline || !canary) return 0;
    const cmp = compareQuantiles(histogramArm(baseline, q), histogramArm(canary, q), q, x.confidence);
    if (cmp.status !== 'ok' || cmp.lowerOpen) return 0;
    const estimate = Math.log1p(cmp.relative);
    const halfWidth = estimate - Math.log1p(cmp.relativeCi[0]);
    const s = slope * Math.sqrt(q * (1 - q) * (1 / nc + 1 / nb));
    // The half-width is random too: it scales with the spacing of the canary's order statistics inside the bucket
    // that holds its quantile, i.e. with 1/(count in that bucket) — relative sd ≈ 1/√count.
    const inBucket = Math.max(1, bucketCountAt(canary, q * canary.total));
    const spread = Math.sqrt(s * s + (halfWidth * halfWidth) / inBucket);
    return normalCdf((estimate - halfWidth - limit) / spread);
  };
}

/** Largest sample of baseline values used for the pairwise sums (keeps a call well under a millisecond). */
const MAX_VALUES = 400;

/** Finite, non-negative values, thinned evenly to at most MAX_VALUES, sorted. */
function sample(values: ReadonlyArray<number | null> | undefined): Float64Array {
  const all = (values ?? []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  const stride = Math.max(1, all.length / MAX_VALUES);
  return sortFloat64(
    Float64Array.from({ length: Math.min(all.length, MAX_VALUES) }, (_, i) => all[Math.floor(i * stride)]),
  );
}

/** Canary per-step values the prediction can use: at least this many of its own. */
export const MIN_CANARY_STEPS = 5;

export function latencyPower(x: {
  values: ReadonlyArray<number | null>;
  canary?: ReadonlyArray<number | null>;
  target: number;
  margin: number;
  confidence: number;
  treatmentPerStep: number;
  controlPerStep: number;
}): PowerAt | null {
  const b = sample(x.values);
  if (b.length < 3) return null;
  const median = medianSorted(b);
  if (!(median > 0)) return null;
  const shift = x.margin * median;
  const m = b.length;
  // The canary's per-step values under the target: its own values ×r once it has a few steps (so the low bias of a
  // small arm's per-step quantiles counts against detection, as it does in the judge), else the baseline's scatter
  // widened by √(control / treatment requests).
  const own = sample(x.canary);
  const k =
    x.controlPerStep > 0 && x.treatmentPerStep > 0 ? Math.max(1, Math.sqrt(x.controlPerStep / x.treatmentPerStep)) : 1;
  const canary =
    own.length >= MIN_CANARY_STEPS
      ? Float64Array.from(own, (v) => x.target * v - shift)
      : Float64Array.from(b, (v) => x.target * (median + (v - median) * k) - shift);
  const mc = canary.length;
  const pc = new Float64Array(mc); // P_B(B < c_i) + ½P(=)
  const pb = new Float64Array(m); // P_C(C < b_j) + ½P(=)
  for (let i = 0; i < mc; i++) {
    for (let j = 0; j < m; j++) {
      const d = canary[i] - b[j];
      const s = d > 0 ? 1 : d === 0 ? 0.5 : 0;
      pc[i] += s / m;
      pb[j] += (1 - s) / mc;
    }
  }
  const meanOf = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const varOf = (a: Float64Array) => {
    const mu = meanOf(a);
    return a.reduce((s, v) => s + (v - mu) ** 2, 0) / (a.length - 1);
  };
  const theta = meanOf(pc);
  const v = varOf(pc) + varOf(pb);
  // Both arms' per-step values move with the shared load: the judge's test ignores that pairing (its variance is v),
  // but the estimate's real noise is smaller by 2·cov(Pᵢ, Qᵢ) over steps seen in both arms (Hájek projection).
  const vTrue =
    own.length >= MIN_CANARY_STEPS
      ? Math.max(v * 0.05, v - 2 * pairedCovariance(x.values, x.canary ?? [], b, canary, x.target, shift))
      : v;
  const minSteps = brunnerMunzelMinPerArm(x.confidence);
  const tail = (1 - x.confidence) / 2;
  return (steps) => {
    if (steps < minSteps) return 0;
    const crit = studentTQuantile(1 - tail, 2 * steps - 2);
    if (!(v > 0)) return theta > 0.5 ? 1 : 0;
    return normalCdf((theta - 0.5 - crit * Math.sqrt(v / steps)) / Math.sqrt(vTrue / steps));
  };
}

/** Placement of v among the sorted values (fraction below, ties ½). */
function placementIn(sorted: Float64Array, v: number): number {
  let below = 0;
  let ties = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] < v) below++;
    else if (sorted[i] === v) ties++;
    else break;
  }
  return (below + ties / 2) / sorted.length;
}

/** cov(P, Q) over the steps where both arms have a value (aligned from the end, as both series end now). */
function pairedCovariance(
  baseline: ReadonlyArray<number | null>,
  canary: ReadonlyArray<number | null>,
  b: Float64Array,
  c: Float64Array,
  target: number,
  shift: number,
): number {
  const sortedC = Float64Array.from(c).sort();
  const pairs = Math.min(baseline.length, canary.length);
  const ps: number[] = [];
  const qs: number[] = [];
  for (let k = 1; k <= pairs; k++) {
    const bv = baseline[baseline.length - k];
    const cv = canary[canary.length - k];
    if (typeof bv !== 'number' || typeof cv !== 'number' || !Number.isFinite(bv) || !Number.isFinite(cv)) continue;
    ps.push(placementIn(b, target * cv - shift));
    qs.push(placementIn(sortedC, bv));
  }
  if (ps.length < MIN_CANARY_STEPS) return 0;
  const mp = ps.reduce((a, x) => a + x, 0) / ps.length;
  const mq = qs.reduce((a, x) => a + x, 0) / qs.length;
  return ps.reduce((a, x, i) => a + (x - mp) * (qs[i] - mq), 0) / (ps.length - 1);
}

export function errorsPower(x: {
  rate: number;
  added: number;
  relativeLimit: number;
  absoluteLimit: number;
  confidence: number;
  treatmentPerStep: number;
  controlPerStep: number;
}): PowerAt | null {
  const pc = x.rate;
  const pt = Math.min(1, pc + x.added);
  if (!(pc >= 0 && pc < 1) || !(pt > pc)) return null;
  return (steps) => {
    const nt = x.treatmentPerStep * steps;
    const nc = x.controlPerStep * steps;
    if (!(nt >= 1 && nc >= 1)) return 0;
    const floor = errorsFloor(pc * nc, nc, x.absoluteLimit);
    if (nt < floor || nc < floor) return 0;
    // The judge's own bounds (continuity-corrected Newcombe and MOVER-R) on the expected counts give how far below
    // the estimate each lower bound sits; the estimate's sampling noise decides how often it clears the limit.
    const ec = pc * nc;
    const et = pt * nt;
    const diffLower = newcombeInterval(ec, nc, et, nt, x.confidence, true)[0];
    const seDiff = Math.sqrt((pt * (1 - pt)) / nt + (pc * (1 - pc)) / nc);
    const byDifference = normalCdf((diffLower - x.absoluteLimit) / seDiff);
    if (pc === 0) return byDifference; // no baseline errors: any canary error exceeds the relative limit
    const ratioLower = moverRatioInterval(ec, nc, et, nt, x.confidence, true)[0];
    const seLog = Math.sqrt((1 - pt) / (nt * pt) + (1 - pc) / (nc * pc));
    const byRatio = ratioLower > 0 ? normalCdf((Math.log(ratioLower) - Math.log1p(x.relativeLimit)) / seLog) : 0;
    return Math.min(byDifference, byRatio);
  };
}
