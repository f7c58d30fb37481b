import type { FlagChange } from '../../shared/domain/flags';
import type { VerdictExtras } from '../../shared/domain/verdict';
import { detectOnsetCusum, rankSuspects, robustMeanSd, type SeriesPoint } from '../../shared/stats';
import type { BakeTimeOutput, SrmOutput } from './decision-judge';

/**
 * The parts of the live judge beside the verdict (docs/statistics.md): where the critical latency metric shifted
 * and which flag changes are suspects (onset), and the sample-ratio check as the verdict shows it. The always-valid
 * intervals and the guard come from the decision's guard state (decision-service.ts), bake time from the judge's
 * own power (decision-judge.ts).
 */
export interface OnsetInput {
  /** The critical latency metric's overall per-step values from the baseline start to now. */
  series: { metric: string; points: SeriesPoint[]; referenceTo: number; seasonal?: SeriesPoint[] | null } | null;
  changes: FlagChange[];
  stepMs: number;
  /** The watch's allowed increase (1.10 = +10 %): onsets smaller than half of it are not worth a marker. */
  allowedIncrease: number;
}

export function onsetAndSuspects(i: OnsetInput): Pick<VerdictExtras, 'onset' | 'suspects'> {
  if (!i.series) return { onset: null, suspects: [] };
  const { points, referenceTo, metric } = i.series;
  const ref = robustMeanSd(points.filter((p) => p[0] < referenceTo && p[1] !== null).map((p) => p[1] as number));
  // Watch for a shift only after the baseline: the baseline itself defines "in control".
  const found = detectOnsetCusum(
    points.filter((p) => p[0] >= referenceTo),
    { reference: ref },
  );
  if (!found) return { onset: null, suspects: [] };
  const after = points.filter((p) => p[0] >= found.at && p[1] !== null).map((p) => p[1] as number);
  const shift =
    after.length > 0 && ref.mean > 0 ? after.reduce((a, b) => a + b, 0) / after.length / ref.mean - 1 : null;
  // CUSUM also fires on small sustained drifts (time of day); a marker is for shifts a captain would act on, and
  // when the same stretch a day earlier moved as much, it is the time of day, not this step.
  const adjusted = seasonallyAdjusted(shift, i.series, found.at);
  if (adjusted === null || Math.abs(adjusted) < (i.allowedIncrease - 1) / 2) return { onset: null, suspects: [] };
  return {
    onset: {
      at: found.at,
      metric,
      method: `two-sided CUSUM (k = 0.5, h = 5σ) from ${found.direction === 'higher' ? 'a rise' : 'a drop'}`,
      shift,
    },
    suspects: rankSuspects(found, i.changes, points, { stepMs: i.stepMs, windowMs: 2 * 3_600_000 })
      .slice(0, 5)
      .map((s) => ({
        changeId: s.change.id,
        label: `${s.change.flagKey} ${s.change.label}`,
        at: s.change.at,
        score: s.score,
        reason: s.reason,
        offsetMs: s.offsetMs,
        relativeShift: s.relativeShift,
      })),
  };
}

const meanOf = (pts: readonly SeriesPoint[], keep: (t: number) => boolean): number | null => {
  const v = pts.filter((p) => keep(p[0]) && p[1] !== null).map((p) => p[1] as number);
  return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/** The shift divided by the seasonal reference's own shift over the same stretch (unchanged without a reference). */
function seasonallyAdjusted(shift: number | null, s: NonNullable<OnsetInput['series']>, at: number): number | null {
  if (shift === null || !s.seasonal || s.seasonal.length < s.points.length / 2) return shift;
  const before = meanOf(s.seasonal, (t) => t < s.referenceTo);
  const after = meanOf(s.seasonal, (t) => t >= at);
  if (before === null || after === null || !(before > 0) || !(after > 0)) return shift;
  return (1 + shift) / (after / before) - 1;
}

/** The SRM card: the judge's check with the counts it was made on, named by the arms' label values. */
export function srmExtras(
  r: SrmOutput,
  names: [string, string],
  counts: [number, number] | null,
  split: [number, number],
): NonNullable<VerdictExtras['srm']> {
  return {
    status: r.status,
    method: r.method,
    pValue: r.status === 'nodata' || r.status === 'not-applicable' ? null : r.pValue,
    observed: counts ? { [names[0]]: counts[0], [names[1]]: counts[1] } : {},
    expectedShare: { [names[0]]: split[0] / 100, [names[1]]: split[1] / 100 },
    message: r.message,
  };
}

export function bakeExtras(metric: string, b: BakeTimeOutput): NonNullable<VerdictExtras['bakeTime']> {
  return {
    text: b.text.startsWith(metric) ? b.text : `${metric} ${b.text}`,
    minutesMore: b.minutesMore,
    curve: b.curve,
  };
}
