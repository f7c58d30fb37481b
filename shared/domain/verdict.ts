import { z } from 'zod';

/**
 * The `rampart judge` input (docs/statistics.md "`rampart judge` — the pipeline interface"), also what the verdict
 * service feeds the judge. Strict at every level: an unknown key ("critcal") is bad input naming the key, never
 * silently dropped. Latencies and observations are ≥ 0; NaN/missing steps arrive as null and are dropped.
 */
const latencyValue = z.number().min(0, 'latencies and observations must be ≥ 0');
const steps = z.array(latencyValue.nullable());
const Counts = z
  .strictObject({ errors: z.number().int().min(0), total: z.number().int().min(0) })
  .refine((c) => c.errors <= c.total, { message: 'errors must not exceed total', path: ['errors'] });
const common = {
  name: z.string().min(1),
  critical: z.boolean().optional(),
  weight: z.number().positive().optional(),
};
/** Allowed canary/baseline ratio before failing (the margin is allowedIncrease − 1); default 1.10. */
const allowedIncrease = z.number().gt(1).optional();
const quantile = z.number().gt(0).lt(1);

const LatencyMetric = z.strictObject({
  ...common,
  kind: z.literal('latency'),
  allowedIncrease,
  baseline: steps,
  canary: steps,
});
const ErrorsMetric = z.strictObject({
  ...common,
  kind: z.literal('errors'),
  /** Allowed relative increase of the error rate; default 0.10. */
  relativeLimit: z.number().positive().optional(),
  /** Allowed absolute increase of the error rate (a fraction: 0.001 = 0.1 pp); default 0.001. */
  absoluteLimit: z.number().min(0).lt(1).optional(),
  baseline: Counts,
  canary: Counts,
});
const QuantileMetric = z.strictObject({
  ...common,
  kind: z.literal('quantile'),
  quantile,
  allowedIncrease,
  baseline: steps,
  canary: steps,
});
/** Per-bucket (not cumulative) counts merged over the whole window; `increase()` may make them fractional. */
const bucketCounts = z.array(z.number().min(0, 'bucket counts must be ≥ 0'));
const HistogramMetric = z
  .strictObject({
    ...common,
    kind: z.literal('histogram'),
    quantile,
    allowedIncrease,
    /** Bucket upper bounds (`le`), ascending; only the last may be null (+Inf). */
    bounds: z.array(z.number().nullable()).min(1),
    baseline: bucketCounts,
    canary: bucketCounts,
  })
  .superRefine((h, ctx) => {
    h.bounds.forEach((b, i) => {
      if (b === null && i !== h.bounds.length - 1)
        ctx.addIssue({ code: 'custom', path: ['bounds', i], message: 'only the last bound may be null (+Inf)' });
      const previous = i > 0 ? h.bounds[i - 1] : null;
      if (b !== null && previous !== null && !(b > previous))
        ctx.addIssue({ code: 'custom', path: ['bounds', i], message: 'bounds must be strictly ascending' });
    });
    for (const arm of ['baseline', 'canary'] as const) {
      if (h[arm].length !== h.bounds.length)
        ctx.addIssue({
          code: 'custom',
          path: [arm],
          message: `needs one count per bound (${h.bounds.length}), got ${h[arm].length}`,
        });
    }
  });

export const JudgeMetricInput = z.discriminatedUnion('kind', [
  LatencyMetric,
  ErrorsMetric,
  QuantileMetric,
  HistogramMetric,
]);
export type JudgeMetricInput = z.infer<typeof JudgeMetricInput>;
export type JudgeMetricKind = JudgeMetricInput['kind'];

/** Kayenta's defaults (docs/statistics.md "Overall verdict"). */
export const DEFAULT_PASS_SCORE = 95;
export const DEFAULT_MARGINAL_SCORE = 75;

export const JudgeInput = z
  .strictObject({
    confidence: z.number().gt(0.5).lt(1).default(0.98),
    passScore: z.number().min(0).max(100).optional(),
    marginalScore: z.number().min(0).max(100).optional(),
    metrics: z.array(JudgeMetricInput).min(1),
  })
  .superRefine((input, ctx) => {
    const seen = new Map<string, number>();
    input.metrics.forEach((m, i) => {
      const first = seen.get(m.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'name'],
          message: `duplicate metric name '${m.name}' (also metrics.${first})`,
        });
      else seen.set(m.name, i);
    });
    const pass = input.passScore ?? DEFAULT_PASS_SCORE;
    const marginal = input.marginalScore ?? DEFAULT_MARGINAL_SCORE;
    if (marginal > pass)
      ctx.addIssue({
        code: 'custom',
        path: ['marginalScore'],
        message: `marginalScore ${marginal} must not exceed passScore ${pass}`,
      });
  });
export type JudgeInput = z.input<typeof JudgeInput>;
export type JudgeInputParsed = z.output<typeof JudgeInput>;

export const METRIC_VERDICTS = ['pass', 'fail', 'inconclusive', 'nodata'] as const;
export const METRIC_KINDS = ['latency', 'errors', 'quantile', 'histogram'] as const;

export const MetricVerdict = z.object({
  name: z.string(),
  kind: z.enum(METRIC_KINDS),
  /**
   * Against the margin (docs/statistics.md): fail = interval entirely beyond the allowed change on the bad side;
   * pass = entirely on the good side of it (evidence of safety); inconclusive = not yet decided (keep baking);
   * nodata = nothing to judge (with the reason).
   */
  verdict: z.enum(METRIC_VERDICTS),
  /** Against zero, not the margin: the interval lies above 0 (higher), below 0 (lower), or contains it (same). */
  direction: z.enum(['higher', 'lower', 'same']),
  method: z.string(),
  pValue: z.number().nullable(),
  /** Canary − baseline: Hodges–Lehmann shift (latency), quantile difference, error-rate difference. */
  estimate: z.number().nullable(),
  /** The interval of `estimate`, in its units. */
  ci: z.tuple([z.number(), z.number()]).nullable(),
  /** Canary / baseline: 1 + shift / baseline median (latency), quantile ratio, error-rate ratio. */
  ratio: z.number().nullable(),
  baselineN: z.number(),
  canaryN: z.number(),
  critical: z.boolean(),
  reason: z.string(),
  /** The allowed relative change (0.10 = +10 %); null when the metric could not be judged. */
  margin: z.number().nullable(),
  /** The interval compared with the margin, as a relative change vs the baseline median / quantile / rate. */
  relativeCi: z.tuple([z.number(), z.number()]).nullable(),
  /** What the interval is, stated exactly, e.g. "one-sided 99% bounds (two-sided 98% interval)". */
  level: z.string(),
});
export type MetricVerdict = z.infer<typeof MetricVerdict>;

export const OVERALL_VERDICTS = ['pass', 'marginal', 'fail', 'inconclusive'] as const;

export const JudgeOutput = z.object({
  verdict: z.enum(OVERALL_VERDICTS),
  /** Weighted percentage of the metrics with data that pass (undecided metrics count as not passing). */
  score: z.number(),
  metrics: z.array(MetricVerdict),
  reason: z.string().optional(),
});
export type JudgeOutput = z.infer<typeof JudgeOutput>;

/** pre: before the rollout's first exposure; previous: before the current step's change (docs/statistics.md). */
export const BASELINE_KINDS = ['pre', 'previous', 'control', 'seasonal'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

/** SRM check outcomes; not-applicable at a 0 % or 100 % split (docs/statistics.md "Sample ratio mismatch"). */
export const SRM_STATUSES = ['ok', 'warn', 'alert', 'nodata', 'not-applicable'] as const;
export type SrmStatus = (typeof SRM_STATUSES)[number];

/** Live-judge detail beside the fixed-horizon verdict (docs/statistics.md: always-valid test, onset, bake time, SRM). */
export const VerdictExtras = z.object({
  /** Always-valid (mixture SPRT) confidence sequence per metric, shown beside the fixed-horizon interval. */
  sequential: z.array(
    z.object({
      metric: z.string(),
      ci: z.tuple([z.number(), z.number()]).nullable(),
      pValue: z.number().nullable(),
      /** The always-valid interval lies entirely beyond the margin on the bad side (shared/stats/guard.ts). */
      fails: z.boolean(),
      /** The interval compared with the margin, relative to the baseline (guardStep's SequentialMetric). */
      relativeCi: z.tuple([z.number(), z.number()]).nullable().optional(),
      /** The always-valid interval lies entirely on the good side of the margin. */
      passes: z.boolean().optional(),
      /** What the interval is, e.g. "always-valid 98% (two-sided confidence sequence, mixture SPRT)". */
      level: z.string().optional(),
    }),
  ),
  /** Whether alerts / automatic rollback act: always-valid fail past the margin, or a fixed-horizon fail held k NEW data steps. */
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
  /** How long the current step must still bake for the judge's own test to catch the target regression with power 0.8. */
  bakeTime: z
    .object({
      text: z.string(),
      minutesMore: z.number().nullable(),
      /** P(the judge's fixed-horizon verdict fails on the target regression) by minute since the window start. */
      curve: z.array(z.object({ minute: z.number(), pDetect: z.number() })).optional(),
    })
    .nullable(),
  /** Sample ratio mismatch of exposure counts per variant against the configured split. */
  srm: z
    .object({
      status: z.enum(SRM_STATUSES),
      /** How the check was made: on exposed units, or dispersion-corrected on request counts (shared/stats/srm.ts). */
      method: z.string().optional(),
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
