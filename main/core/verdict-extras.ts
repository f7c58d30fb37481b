import type { FlagChange } from '../../shared/domain/flags';
import type { JudgeMetricInput, JudgeOutput, VerdictExtras } from '../../shared/domain/verdict';
import {
  bakeTime,
  detectOnsetCusum,
  formatBakeTime,
  liveGuardUpdate,
  rankSuspects,
  robustMeanSd,
  sampleRatioMismatch,
  pooledProportionStats,
  DEFAULT_SUSTAIN,
  type LiveGuardState,
  type SeriesPoint,
} from '../../shared/stats';
import type { ArmStats } from '../../shared/stats/sample';

/** Mean, variance and n of per-step values (nulls dropped), or of a count metric as a Bernoulli rate. */
function armStats(x: JudgeMetricInput, arm: 'baseline' | 'canary'): ArmStats {
  const data = x[arm];
  if (!Array.isArray(data)) {
    const p = data.total > 0 ? data.errors / data.total : Number.NaN;
    return { n: data.total, mean: p, variance: p * (1 - p) };
  }
  const v = data.filter((d): d is number => d !== null && Number.isFinite(d));
  const n = v.length;
  const mean = v.reduce((s, d) => s + d / n, 0);
  const variance = n > 1 ? v.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1) : Number.NaN;
  return { n, mean, variance };
}

export interface ExtrasInput {
  /** Identifies one live look-series: the same watch, baseline and rollout step. */
  lookKey: string;
  metrics: JudgeMetricInput[];
  out: JudgeOutput;
  stepMs: number;
  /** The critical latency metric's overall per-step values from the baseline start to now, for onset detection. */
  onsetSeries: { metric: string; points: SeriesPoint[]; referenceTo: number } | null;
  changes: FlagChange[];
  /** The watch's allowed increase (1.10 = +10 %): onsets smaller than half of it are not worth a marker. */
  allowedIncrease: number;
  /** Exposure counts per variant in the canary window, with the configured split (treatment %, control %). */
  exposure: { treatment: string; control: string; counts: [number, number]; split: [number, number] } | null;
}

/**
 * The live half of the judge (STATISTICS.md): an always-valid interval per metric updated at every look (so a
 * captain peeking every few seconds does not inflate false alarms), the act/don't-act rule, the onset of a shift
 * with suspects, the bake time of the current step, and a sample-ratio check. State lives per look-series.
 */
export function createExtras() {
  const live = new Map<string, Map<string, LiveGuardState>>();

  return function extras(i: ExtrasInput): VerdictExtras {
    const states = live.get(i.lookKey) ?? new Map<string, LiveGuardState>();
    live.set(i.lookKey, states);
    const sequential: VerdictExtras['sequential'] = [];
    let act = false;
    let reason = 'no sustained or always-valid evidence of a regression';
    let streak = 0;
    for (const m of i.metrics) {
      const verdict = i.out.metrics.find((r) => r.name === m.name);
      // Counts use the pooled variance: per-arm p(1−p) makes a quiet canary with 0 errors look falsely precise.
      const arms = Array.isArray(m.canary) || Array.isArray(m.baseline)
        ? { treatment: armStats(m, 'canary'), control: armStats(m, 'baseline') }
        : pooledProportionStats(m.canary, m.baseline);
      const decision = liveGuardUpdate(states.get(m.name) ?? null, { ...arms, fixedHorizonFail: verdict?.verdict === 'fail' });
      states.set(m.name, decision.state);
      const s = decision.state.sequential;
      sequential.push({ metric: m.name, ci: s?.ci ?? null, pValue: s && s.looks > 0 ? s.pValue : null, fails: decision.trigger === 'always-valid' });
      streak = Math.max(streak, decision.state.failStreak);
      if (decision.act && !act) {
        act = true;
        reason = `${m.name}: ${decision.reason}`;
      }
    }

    let onset: VerdictExtras['onset'] = null;
    let suspects: VerdictExtras['suspects'] = [];
    if (i.onsetSeries) {
      const ref = robustMeanSd(i.onsetSeries.points.filter((p) => p[0] < i.onsetSeries!.referenceTo && p[1] !== null).map((p) => p[1] as number));
      // Watch for a shift only after the baseline: the baseline itself defines "in control".
      const found = detectOnsetCusum(i.onsetSeries.points.filter((p) => p[0] >= i.onsetSeries!.referenceTo), { reference: ref });
      const after = found ? i.onsetSeries.points.filter((p) => p[0] >= found.at && p[1] !== null).map((p) => p[1] as number) : [];
      const shift = after.length > 0 && ref.mean > 0 ? after.reduce((a, b) => a + b, 0) / after.length / ref.mean - 1 : null;
      // CUSUM also fires on small sustained drifts (time of day); a marker is for shifts a captain would act on.
      const worthMarking = shift !== null && Math.abs(shift) >= (i.allowedIncrease - 1) / 2;
      if (found && worthMarking) {
        onset = { at: found.at, metric: i.onsetSeries.metric, method: `two-sided CUSUM (k = 0.5, h = 5σ) from ${found.direction === 'higher' ? 'a rise' : 'a drop'}`, shift };
        suspects = rankSuspects(found, i.changes, i.onsetSeries.points, { stepMs: i.stepMs, windowMs: 2 * 3_600_000 })
          .slice(0, 5)
          .map((s) => ({ changeId: s.change.id, label: `${s.change.flagKey} ${s.change.label}`, at: s.change.at, score: s.score, reason: s.reason, offsetMs: s.offsetMs, relativeShift: s.relativeShift }));
      }
    }

    const latency = i.metrics.find((m) => m.kind === 'latency' && m.critical) ?? i.metrics.find((m) => m.kind === 'latency');
    let bake: VerdictExtras['bakeTime'] = null;
    if (latency) {
      const b = armStats(latency, 'baseline');
      const c = armStats(latency, 'canary');
      const bt = bakeTime({ mean: b.mean, sd: Math.sqrt(b.variance), canarySd: Number.isFinite(c.variance) ? Math.sqrt(c.variance) : undefined, stepMs: i.stepMs, stepsSoFar: c.n });
      bake = { text: `${latency.name} ${formatBakeTime(bt)}`, minutesMore: Number.isFinite(bt.msMore) ? Math.ceil(bt.msMore / 60_000) : null };
    }

    let srm: VerdictExtras['srm'] = null;
    if (i.exposure) {
      const e = i.exposure;
      const r = sampleRatioMismatch(e.counts, e.split, [e.treatment, e.control]);
      srm = {
        status: r.level,
        // Below the minimum units per variant the check says nothing, so it shows no p-value either.
        pValue: r.level === 'nodata' ? null : r.pValue,
        observed: { [e.treatment]: e.counts[0], [e.control]: e.counts[1] },
        expectedShare: { [e.treatment]: e.split[0] / 100, [e.control]: e.split[1] / 100 },
        message: r.reason,
      };
    }
    return { sequential, guard: { act, reason, consecutiveFixedFails: streak, sustain: DEFAULT_SUSTAIN }, onset, suspects, bakeTime: bake, srm };
  };
}
