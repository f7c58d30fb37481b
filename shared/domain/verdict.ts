import { z } from 'zod';

/** The `rampart judge` input (STATISTICS.md). Also what the verdict service feeds the judge. */
const finiteOrNull = z.number().nullable(); // NaN/missing steps arrive as null and are dropped by the judge
const Counts = z.object({ errors: z.number().int().min(0), total: z.number().int().min(0) }).refine((c) => c.errors <= c.total, {
  message: 'errors must not exceed total',
});

export const JudgeMetricInput = z.discriminatedUnion('kind', [
  z.object({
    name: z.string().min(1),
    kind: z.literal('latency'),
    critical: z.boolean().optional(),
    weight: z.number().positive().optional(),
    /** Allowed canary/baseline mean ratio before failing; default 1.10. */
    allowedIncrease: z.number().gt(1).optional(),
    baseline: z.array(finiteOrNull),
    canary: z.array(finiteOrNull),
  }),
  z.object({
    name: z.string().min(1),
    kind: z.literal('errors'),
    critical: z.boolean().optional(),
    weight: z.number().positive().optional(),
    baseline: Counts,
    canary: Counts,
  }),
  z.object({
    name: z.string().min(1),
    kind: z.literal('quantile'),
    /** The quantile of raw observations to compare, e.g. 0.99. */
    quantile: z.number().gt(0).lt(1),
    critical: z.boolean().optional(),
    weight: z.number().positive().optional(),
    baseline: z.array(finiteOrNull),
    canary: z.array(finiteOrNull),
  }),
]);
export type JudgeMetricInput = z.infer<typeof JudgeMetricInput>;

export const JudgeInput = z.object({
  confidence: z.number().gt(0.5).lt(1).default(0.98),
  passScore: z.number().min(0).max(100).optional(),
  marginalScore: z.number().min(0).max(100).optional(),
  metrics: z.array(JudgeMetricInput).min(1),
});
export type JudgeInput = z.input<typeof JudgeInput>;
export type JudgeInputParsed = z.output<typeof JudgeInput>;

export const MetricVerdict = z.object({
  name: z.string(),
  kind: z.enum(['latency', 'errors', 'quantile']),
  verdict: z.enum(['pass', 'fail', 'nodata']),
  direction: z.enum(['higher', 'lower', 'same']),
  method: z.string(),
  pValue: z.number().nullable(),
  estimate: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  ratio: z.number().nullable(),
  baselineN: z.number(),
  canaryN: z.number(),
  critical: z.boolean(),
  reason: z.string(),
});
export type MetricVerdict = z.infer<typeof MetricVerdict>;

export const OVERALL_VERDICTS = ['pass', 'marginal', 'fail', 'inconclusive'] as const;

export const JudgeOutput = z.object({
  verdict: z.enum(OVERALL_VERDICTS),
  score: z.number(),
  metrics: z.array(MetricVerdict),
  reason: z.string().optional(),
});
export type JudgeOutput = z.infer<typeof JudgeOutput>;

export const BASELINE_KINDS = ['pre', 'control', 'seasonal'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

/** Live-judge detail beside the fixed-horizon verdict (STATISTICS.md: always-valid test, onset, bake time, SRM). */
export const VerdictExtras = z.object({
  /** Always-valid (mixture SPRT) confidence sequence per metric, shown beside the fixed-horizon interval. */
  sequential: z.array(
    z.object({
      metric: z.string(),
      ci: z.tuple([z.number(), z.number()]).nullable(),
      pValue: z.number().nullable(),
      /** The always-valid interval excludes 0 on the bad side. */
      fails: z.boolean(),
    }),
  ),
  /** Whether alerts / automatic rollback would act now: always-valid fail, or a fixed-horizon fail held k evaluations. */
  guard: z.object({ act: z.boolean(), reason: z.string(), consecutiveFixedFails: z.number(), sustain: z.number() }),
  /** Where the critical latency metric shifted (CUSUM online; binary segmentation offline), if it did. */
  onset: z.object({ at: z.number(), metric: z.string(), method: z.string(), shift: z.number().nullable() }).nullable(),
  /** Flag changes near the onset, most suspicious first. */
  suspects: z.array(
    z.object({
      changeId: z.string(),
      label: z.string(),
      at: z.number(),
      score: z.number(),
      reason: z.string(),
      /** change time − onset (negative: before the onset) */
      offsetMs: z.number().optional(),
      /** mean after / mean before − 1 of the metric around the change */
      relativeShift: z.number().nullable().optional(),
    }),
  ),
  /** How long the current step must still run to detect a 10 % regression (α 0.05, power 0.8). */
  bakeTime: z.object({ text: z.string(), minutesMore: z.number().nullable() }).nullable(),
  /** Sample ratio mismatch of exposure counts per variant against the configured split. */
  srm: z
    .object({
      status: z.enum(['ok', 'warn', 'alert', 'nodata']),
      pValue: z.number().nullable(),
      observed: z.record(z.string(), z.number()),
      expectedShare: z.record(z.string(), z.number()),
      message: z.string(),
    })
    .nullable(),
});
export type VerdictExtras = z.infer<typeof VerdictExtras>;

/** A verdict for a watch: the judge's output plus what it was computed over, so it can be explained. */
export const WatchVerdict = JudgeOutput.extend({
  watchId: z.string(),
  baseline: z.object({ kind: z.enum(BASELINE_KINDS), from: z.number(), to: z.number(), label: z.string() }),
  canary: z.object({ from: z.number(), to: z.number(), label: z.string() }),
  /** The change the canary window starts at, if any. */
  changeId: z.string().nullable(),
  queries: z.record(z.string(), z.string()),
  computedAt: z.number(),
  extras: VerdictExtras.optional(),
});
export type WatchVerdict = z.infer<typeof WatchVerdict>;
