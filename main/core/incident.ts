import type { Watch, WireSeries } from '../../shared/domain/metrics';
import type { FlagChange } from '../../shared/domain/flags';
import { partialFailure, RampartError, type PartialFailure } from '../../shared/errors';
import { m4 } from '../../shared/downsample/m4';
import type { SeriesPoint } from '../../shared/stats/onset';
import { findRegression, type Shift } from '../../shared/stats/regression';
import { rankSuspects, suspectTolerance, variantEvidence, type VariantEvidence } from '../../shared/stats/suspects';
import type { Series } from '../metrics/metrics-provider';
import { chooseStep, type SeriesService } from './series-service';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Per-variant evidence reads this many steps each side of a change. */
const EVIDENCE_STEPS = 20;

export interface IncidentDeps {
  series: SeriesService;
  render: (watch: Watch, metric: Watch['metrics'][number], byVariant: boolean) => string;
  changesBetween: (from: number, to: number) => FlagChange[];
  watches: () => Watch[];
  /** The label values of a watch's treatment and control arms (main/core/decision-arms.ts), or null if unknown. */
  arms: (watch: Watch) => Promise<{ treatment: string[]; control: string[] } | null>;
}

type Spec = Watch['metrics'][number];

const toPoints = (s: Series | undefined, shift = 0): SeriesPoint[] =>
  s ? Array.from(s.t, (t, i) => [t + shift, Number.isFinite(s.v[i]) ? s.v[i] : null] as const) : [];

function toWire(
  metric: string,
  s: Series | undefined,
  points: readonly SeriesPoint[],
  from: number,
  to: number,
): WireSeries {
  const t = Float64Array.from(points, (p) => p[0]);
  const v = Float64Array.from(points, (p) => p[1] ?? Number.NaN);
  const d = m4(t, v, from, to, 1000);
  return {
    metric,
    variant: null,
    labels: s?.labels ?? {},
    points: Array.from(d.t, (x, i) => [x, Number.isFinite(d.v[i]) ? d.v[i] : null] as [number, number | null]),
  };
}

/** The critical latency metric, else any latency metric, else the first: what "p99 jumped" is usually about. */
export function incidentMetric(watch: Watch): Spec {
  return (
    watch.metrics.find((m) => m.kind === 'latency' && m.critical) ??
    watch.metrics.find((m) => m.kind === 'latency') ??
    watch.metrics[0]
  );
}

/**
 * "p99 jumped at 14:02 — what changed?" Over the chosen window: where the metric regressed (shared/stats/regression.ts:
 * against the seasonal baseline, robust to spikes), and every flag change from every connection near it ranked as a
 * suspect, with per-variant evidence from the flag's own watch where it has one. `scan` asks the same question of
 * every watch at once, so the view can open on the service that regressed.
 */
export function createIncidentAnalysis(deps: IncidentDeps) {
  /** The metric over [from, to] and its seasonal reference (a week earlier, else a day), moved onto the window. */
  async function fetchWithSeason(watch: Watch, spec: Spec, from: number, to: number, stepMs: number) {
    const query = deps.render(watch, spec, false);
    const got = await deps.series.fetchCached(watch, query, from, to, stepMs);
    if (got.error && got.series.length === 0) throw new RampartError(got.errorCode ?? 'unreachable', got.error);
    const points = toPoints(got.series[0]);
    for (const [period, label] of [
      [WEEK, 'one week'],
      [DAY, 'one day'],
    ] as const) {
      const ref = await deps.series.fetchCached(watch, query, from - period, to - period, stepMs);
      const seasonal = toPoints(ref.series[0], period);
      if (seasonal.filter((p) => p[1] !== null).length >= 0.6 * Math.max(1, points.length))
        return { got, points, seasonal, seasonalLabel: label };
    }
    return { got, points, seasonal: null, seasonalLabel: undefined };
  }

  async function regressionOf(watch: Watch, spec: Spec, from: number, to: number) {
    const stepMs = chooseStep(from, to, 1500, 60_000);
    const data = await fetchWithSeason(watch, spec, from, to, stepMs);
    const allowed = watch.thresholds.allowedIncrease - 1;
    // The smallest shift worth calling a regression: half the watch's allowed increase (5 % by default).
    // Error ratios also need an absolute change, as the judge's margin does (docs/statistics.md): half its 0.1 pp.
    const minAbsolute = spec.kind === 'errors' ? 0.0005 : undefined;
    const found = findRegression(data.points, {
      stepMs,
      seasonal: data.seasonal,
      seasonalLabel: data.seasonalLabel,
      minEffect: Math.max(0.02, allowed / 2),
      minAbsolute,
    });
    return { ...data, stepMs, found };
  }

  /** For each change near the onset whose flag has a watch: did its treatment arm move while its control did not? */
  async function evidenceFor(
    changes: readonly FlagChange[],
    metric: string,
    stepMs: number,
  ): Promise<Map<string, VariantEvidence>> {
    const out = new Map<string, VariantEvidence>();
    for (const c of changes) {
      const w = deps
        .watches()
        .find((x) => x.flagConnectionId === c.connectionId && x.flagKey === c.flagKey && x.env === c.env);
      if (!w) continue;
      const spec = w.metrics.find((m) => m.name === metric) ?? incidentMetric(w);
      const arms = await deps.arms(w).catch(() => null);
      if (!arms || arms.treatment.length === 0 || arms.control.length === 0) continue;
      const span = EVIDENCE_STEPS * stepMs;
      const got = await deps.series.fetchCached(w, deps.render(w, spec, true), c.at - span, c.at + span, stepMs);
      const arm = (values: string[]) =>
        got.series
          .filter((s) => values.some((v) => v.toLowerCase() === (s.labels[w.variantLabel] ?? '').toLowerCase()))
          .flatMap((s) => toPoints(s));
      out.set(
        c.id,
        variantEvidence(
          {
            metric: spec.name,
            treatment: arms.treatment[0],
            control: arms.control[0],
            treatmentPoints: arm(arms.treatment),
            controlPoints: arm(arms.control),
          },
          c.at,
        ),
      );
    }
    return out;
  }

  async function analyze(watch: Watch, q: { metric: string; from: number; to: number }) {
    if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
    const spec = watch.metrics.find((m) => m.name === q.metric);
    if (!spec)
      throw new RampartError(
        'bad_request',
        `Watch '${watch.id}' has no metric '${q.metric}' (it has ${watch.metrics.map((m) => m.name).join(', ')})`,
      );
    const r = await regressionOf(watch, spec, q.from, q.to);
    const reg: Shift | null = r.found.regression;
    const changes = deps.changesBetween(q.from, q.to);
    const beforeMs = Math.max(3_600_000, (q.to - q.from) / 4);
    const toleranceMs = suspectTolerance(r.stepMs);
    let suspects: ReturnType<typeof rankSuspects> = [];
    if (reg) {
      const near = changes.filter((c) => c.at >= reg.at - beforeMs && c.at <= reg.at + toleranceMs);
      const evidence = await evidenceFor(near, spec.name, r.stepMs);
      suspects = rankSuspects(reg, near, r.points, {
        stepMs: r.stepMs,
        windowMs: beforeMs,
        toleranceMs,
        evidence,
      }).slice(0, 10);
    }
    return {
      onset: reg
        ? {
            at: reg.at,
            metric: spec.name,
            method: r.found.method,
            shift: reg.shift,
            levelBefore: reg.levelBefore,
            levelAfter: reg.levelAfter,
            adjusted: r.found.adjusted,
          }
        : null,
      method: r.found.method,
      shifts: r.found.shifts.map((s) => ({ at: s.at, shift: s.shift })),
      suspects: suspects.map((x) => ({
        changeId: x.change.id,
        label: `${x.change.flagKey} ${x.change.label}`,
        at: x.change.at,
        score: x.score,
        reason: x.reason,
        offsetMs: x.offsetMs,
        relativeShift: x.relativeShift,
        evidence: x.evidence
          ? {
              verdict: x.evidence.verdict,
              text: x.evidence.text,
              armGap: x.evidence.armGap,
              controlShift: x.evidence.controlShift,
            }
          : null,
      })),
      changes,
      series: toWire(spec.name, r.got.series[0], r.points, q.from, q.to),
      seasonal: r.seasonal
        ? { ...toWire(spec.name, undefined, r.seasonal, q.from, q.to), labels: { seasonal: r.seasonalLabel ?? '' } }
        : null,
      stepMs: r.stepMs,
      toleranceMs,
    };
  }

  /** Every watch's critical latency and error metrics over the window: where did something regress, largest first? */
  async function scan(q: { from: number; to: number }) {
    if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
    const regressions: {
      watchId: string;
      flagKey: string;
      env: string;
      metric: string;
      at: number;
      shift: number;
      levelBefore: number;
      levelAfter: number;
    }[] = [];
    const errors: ({ watchId: string } & PartialFailure)[] = [];
    for (const watch of deps.watches()) {
      const specs = [incidentMetric(watch), ...watch.metrics.filter((m) => m.kind === 'errors' && m.critical)];
      for (const spec of new Set(specs)) {
        try {
          const reg = (await regressionOf(watch, spec, q.from, q.to)).found.regression;
          if (reg)
            regressions.push({
              watchId: watch.id,
              flagKey: watch.flagKey,
              env: watch.env,
              metric: spec.name,
              at: reg.at,
              shift: reg.shift,
              levelBefore: reg.levelBefore,
              levelAfter: reg.levelAfter,
            });
        } catch (e) {
          errors.push({ watchId: watch.id, ...partialFailure(e) });
        }
      }
    }
    // Largest first: a short blip on a healthy service must not outrank the step that moved checkout's p99 by 15 %.
    regressions.sort((a, b) => b.shift - a.shift || b.at - a.at);
    return { from: q.from, to: q.to, regressions, errors };
  }

  return { analyze, scan };
}

export type IncidentAnalysis = ReturnType<typeof createIncidentAnalysis>;
