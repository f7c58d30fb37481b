/**
 * The `latency` kind (per-step values, e.g. a p99 per minute): docs/statistics.md "Tests per metric kind".
 * Effect = Hodges–Lehmann shift relative to the baseline MEDIAN (never a mean ratio: one extreme minute in the
 * baseline must not hide a regression); interval = the tie-aware Brunner–Munzel interval of the shift
 * (latency-shift.ts), divided by the baseline median, compared with the margin (allowedIncrease − 1).
 * p-value = the Brunner–Munzel test at δ = 0, so it agrees with the interval by construction.
 */
import type { JudgeMetricInput, MetricVerdict } from '../domain/verdict';
import { brunnerMunzelMinPerArm } from './brunner-munzel';
import * as f from './format';
import { tieAwareShiftInterval } from './latency-shift';
import {
  decideAgainstMargin,
  directionOf,
  fixedHorizonLevel,
  formatRelative,
  formatRelativeInterval,
  marginPhrase,
} from './margin';
import { cleanSample, medianSorted } from './sample';
import {
  METHODS,
  droppedNote,
  emptyReason,
  finiteOrNull,
  marginFrom,
  nodataVerdict,
  nonNegative,
} from './verdict-common';

type LatencyInput = Extract<JudgeMetricInput, { kind: 'latency' }>;

/** Formats an interval whose bound may sit a hair above/below 0 (tied data): "(0, 3.20]" rather than "[0.00, 3.20]". */
function shiftInterval(ci: [number, number], unit: string): string {
  const text = f.formatInterval(ci, unit);
  const decimals = f.decimalsFor(Math.max(Math.abs(ci[0]), Math.abs(ci[1]), Math.abs(ci[1] - ci[0])));
  const roundsToZero = (x: number): boolean => Number(x.toFixed(decimals)) === 0;
  if (ci[0] > 0 && roundsToZero(ci[0])) return text.replace(/^\[[^,]*/, '(0');
  if (ci[1] < 0 && roundsToZero(ci[1])) return text.replace(/, [^\]]*\]/, ', 0)');
  return text;
}

export function judgeLatency(metric: LatencyInput, confidence: number): MetricVerdict {
  const critical = metric.critical === true;
  const { name } = metric;
  const margin = marginFrom(metric.allowedIncrease);
  const level = fixedHorizonLevel(confidence, 'tie-aware Brunner–Munzel interval of the Hodges–Lehmann shift');
  const b = nonNegative(cleanSample(metric.baseline));
  const c = nonNegative(cleanSample(metric.canary));
  const nb = b.sorted.length;
  const nc = c.sorted.length;
  const empty = emptyReason('baseline', b) ?? emptyReason('canary', c);
  if (empty) return nodataVerdict(name, 'latency', critical, `${name}: no data: ${empty}`, nb, nc);
  const dMax = c.sorted[nc - 1] - b.sorted[0];
  const dMin = c.sorted[0] - b.sorted[nb - 1];
  if (!Number.isFinite(dMax) || !Number.isFinite(dMin)) {
    return nodataVerdict(
      name,
      'latency',
      critical,
      `${name}: no data: values too large to compare (differences overflow)`,
      nb,
      nc,
    );
  }
  const median = medianSorted(b.sorted);
  if (!(median > 0))
    return nodataVerdict(
      name,
      'latency',
      critical,
      `${name}: no data: the baseline median is 0, so a relative margin means nothing`,
      nb,
      nc,
    );
  const marginShift = margin * median;
  const shift = tieAwareShiftInterval(c.sorted, b.sorted, confidence, [marginShift]);
  if (shift.status === 'too-few') {
    return nodataVerdict(
      name,
      'latency',
      critical,
      `${name}: too few samples: baseline has ${nb}, canary ${nc}; a ${f.confidenceLabel(confidence)} interval needs at least ${brunnerMunzelMinPerArm(confidence)} per arm`,
      nb,
      nc,
    );
  }
  const unit = f.unitFromName(name);
  const u = unit ? ` ${unit}` : '';
  const bm = shift.atZero;
  const pText = `Brunner–Munzel p = ${f.formatP(bm.pValue)}, P(canary > baseline) = ${bm.effect.toFixed(2)}`;
  const base = {
    name,
    kind: 'latency' as const,
    method: METHODS.latency,
    pValue: finiteOrNull(bm.pValue),
    estimate: finiteOrNull(shift.estimate),
    ratio: finiteOrNull(1 + shift.estimate / median),
    baselineN: nb,
    canaryN: nc,
    critical,
    margin,
    level,
  };
  const bmDirection =
    bm.pGreater <= (1 - confidence) / 2 ? 'higher' : bm.pLess <= (1 - confidence) / 2 ? 'lower' : 'same';
  if (shift.status === 'no-shift-fits' || !shift.ci) {
    return {
      ...base,
      verdict: 'inconclusive',
      direction: bmDirection,
      ci: null,
      relativeCi: null,
      reason: `${name}: the arms differ in shape, not by a shift (${pText}; no shift of the canary matches the baseline at ${f.confidenceLabel(confidence)}): not decided by the shift test${droppedNote(b, c)}`,
    };
  }
  const relativeCi: [number, number] = [shift.ci[0] / median, shift.ci[1] / median];
  if (!relativeCi.every(Number.isFinite) || !(margin * median > 0)) {
    return nodataVerdict(
      name,
      'latency',
      critical,
      `${name}: no data: the baseline median (${f.formatNumber(median)}) is too small for a relative change`,
      nb,
      nc,
    );
  }
  const direction = directionOf(shift.ci);
  const numbers = `${formatRelative(shift.estimate / median)}: HL shift ${f.formatSigned(shift.estimate)}${u} vs baseline median ${f.formatNumber(median)}${u}, ${f.confidenceLabel(confidence)} interval ${formatRelativeInterval(relativeCi)} = ${shiftInterval(shift.ci, unit)}; ${pText}`;
  if (shift.status === 'degenerate') {
    return {
      ...base,
      verdict: 'inconclusive',
      direction,
      ci: shift.ci,
      relativeCi,
      reason: `${name}: ${numbers}; the interval has zero width only because most values are tied: not decided${droppedNote(b, c)}`,
    };
  }
  // Decided on the shift's own scale, where the interval was made to agree exactly with the test at the margin.
  const outcome = decideAgainstMargin(shift.ci, marginShift);
  return {
    ...base,
    verdict: outcome,
    direction,
    ci: shift.ci,
    relativeCi,
    reason: `${name}: ${numbers}; the interval is ${marginPhrase(outcome, margin, direction)}${droppedNote(b, c)}`,
  };
}
