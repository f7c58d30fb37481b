/**
 * The Cohorts view in numbers, pure (tested without a browser): who the flag serves what (configured split),
 * how many each variant actually saw against that split, the per-metric control → treatment values where the
 * judge's estimate and ratio pin them down, and the per-variant sparkline rows.
 */
import type { EnvState } from '../../../../shared/domain/flags';
import type { MetricSpec, WireSeries } from '../../../../shared/domain/metrics';
import type { MetricVerdict, VerdictExtras } from '../../../../shared/domain/verdict';
import { formatPercent } from '../../lib/format';
import { srmWords, type SrmRow } from '../../lib/extras';
import { toPlotSeries, variantRole, type PlotSeries, type VariantNames } from '../../lib/series';

export interface ConfiguredArm {
  role: 'treatment' | 'control';
  variant: string;
  /** Configured share in percent, 0–100. */
  percent: number;
}

export interface ConfiguredSplit {
  enabled: boolean;
  arms: ConfiguredArm[];
  /** "25% on `on`, 75% on `off`", or why there is no split. */
  text: string;
}

/** The split the store is configured to serve. A disabled flag serves nobody its treatment; null exposure means all. */
export function configuredSplit(env: EnvState | undefined): ConfiguredSplit | null {
  if (!env) return null;
  const treatment = env.treatment ?? 'treatment';
  const control = env.control ?? 'control';
  if (!env.enabled) return { enabled: false, arms: [], text: `disabled — nobody is served \`${treatment}\`` };
  const exposed = env.exposure ?? 100;
  const arms: ConfiguredArm[] = [
    { role: 'treatment', variant: treatment, percent: exposed },
    { role: 'control', variant: control, percent: 100 - exposed },
  ];
  return { enabled: true, arms, text: arms.map((a) => `${formatPercent(a.percent)} on \`${a.variant}\``).join(', ') };
}

export interface ExposureRow extends SrmRow {
  role: 'treatment' | 'control' | 'other';
  /** observed − expected share, in percentage points; null when either is unknown. */
  deltaPoints: number | null;
}

/** Observed exposure per variant beside the configured share, treatment first. */
export function exposureRows(srm: NonNullable<VerdictExtras['srm']>, names: VariantNames): ExposureRow[] {
  const order = { treatment: 0, control: 1, other: 2 } as const;
  return srmWords(srm)
    .rows.map((r) => {
      const role = variantRole(r.variant, names);
      return {
        ...r,
        role: role === 'all' ? ('other' as const) : role,
        deltaPoints:
          r.observedShare !== null && r.expectedShare !== null ? (r.observedShare - r.expectedShare) * 100 : null,
      };
    })
    .sort((a, b) => order[a.role] - order[b.role]);
}

/**
 * Control and treatment values of one metric, where the verdict determines them: for error rates and quantiles
 * the estimate is treatment − control and the ratio treatment / control, so control = estimate / (ratio − 1).
 * Latency means are not derivable: there the estimate is a Hodges–Lehmann shift, not a difference of means.
 */
export function armValues(
  m: Pick<MetricVerdict, 'kind' | 'estimate' | 'ratio'>,
): { control: number; treatment: number } | null {
  if (m.kind === 'latency' || m.estimate === null || m.ratio === null) return null;
  if (!Number.isFinite(m.estimate) || !Number.isFinite(m.ratio) || Math.abs(m.ratio - 1) < 1e-9) return null;
  const control = m.estimate / (m.ratio - 1);
  const treatment = control * m.ratio;
  if (!Number.isFinite(control) || !Number.isFinite(treatment) || control < 0) return null;
  return { control, treatment };
}

/** The metrics worth a sparkline: the tail latency (p99, else the critical / last latency) and the error ratio. */
export function sparkMetrics(specs: readonly MetricSpec[]): MetricSpec[] {
  const latency = specs.filter((s) => s.kind === 'latency');
  const tail = latency.find((s) => s.name === 'p99') ?? latency.find((s) => s.critical) ?? latency[latency.length - 1];
  const errors = specs.find((s) => s.kind === 'errors');
  return [tail, errors].filter((s): s is MetricSpec => s !== undefined);
}

export interface Sparkline {
  metric: MetricSpec;
  /** Treatment and control series of the metric, styled as on the Canary watch (treatment solid, control dashed). */
  series: PlotSeries[];
  rows: Record<string, number | null>[];
}

/** One row per time, one column per series key: the shape recharts draws several lines from. */
export function sparkline(
  wire: readonly WireSeries[],
  specs: readonly MetricSpec[],
  metric: MetricSpec,
  names: VariantNames,
): Sparkline {
  const series = toPlotSeries(
    wire.filter((s) => s.metric === metric.name && s.variant !== null),
    specs,
    names,
  ).filter((s) => s.role === 'treatment' || s.role === 'control');
  const byTime = new Map<number, Record<string, number | null>>();
  for (const s of series) {
    for (const p of s.points) {
      const row = byTime.get(p.t) ?? { t: p.t };
      row[s.key] = p.v;
      byTime.set(p.t, row);
    }
  }
  const rows = [...byTime.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
  return { metric, series, rows };
}
