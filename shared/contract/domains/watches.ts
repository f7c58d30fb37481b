import { z } from 'zod';
import { ARMS, Watch, WireSeries, Staleness, WirePoint } from '../../domain/metrics';
import { PartialFailure } from '../../errors';
import { envKey, epochMs, flagKey } from './common';

/** A series of a watch by name: "<metric>\u0000<variant>" ('' for the whole population), as charts and legends key them. */
export function seriesKey(metric: string, variant: string | null): string {
  return `${metric}\u0000${variant ?? ''}`;
}

/**
 * The one visibility rule of a watch's series (issue 11): the whole-population line of a metric is hidden when the
 * same metric is also split by variant — treatment vs control is the comparison that matters. The user's own
 * show/hide (by series key) overrides it. The core applies it to what `series:view` sends; the legend shows the same.
 */
export function visibleByDefault(
  s: { metric: string; variant: string | null },
  all: readonly { metric: string; variant: string | null }[],
): boolean {
  return s.variant !== null || !all.some((o) => o.metric === s.metric && o.variant !== null);
}

export function isSeriesShown(
  s: { metric: string; variant: string | null },
  all: readonly { metric: string; variant: string | null }[],
  overrides: Readonly<Record<string, boolean>>,
): boolean {
  return overrides[seriesKey(s.metric, s.variant)] ?? visibleByDefault(s, all);
}

/** Time and values as columns (shared/downsample/columns.ts): n points from t0, RLE deltas in `unit` ms, float32 values. */
const columnFields = {
  n: z.number().int().min(0),
  t0: z.number(),
  unit: z.number().positive(),
  dt: z.array(z.number().int().min(0)),
  v: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
};

/** One series of a `series:view` answer or push: named like WireSeries, its points as columns (none when hidden). */
export const ColumnSeries = z.object({
  metric: z.string(),
  variant: z.string().nullable(),
  arm: z.enum(ARMS).nullable().optional(),
  labels: z.record(z.string(), z.string()),
  /** Not sent: hidden by the visibility rule or by the user; listed so the legend can offer it. */
  hidden: z.boolean(),
  ...columnFields,
});
export type ColumnSeries = z.infer<typeof ColumnSeries>;

/** The metrics of a watch that failed while the others answered: which one, with the failure's code and message. */
const seriesErrors = z.array(z.object({ metric: z.string(), ...PartialFailure.shape }));

/** New points of the series a renderer follows, pushed once per new data step (issue 15): no range is polled. */
export const SeriesAppended = z.object({
  watchId: z.string(),
  stepMs: z.number(),
  /** The points cover [from, to]: the last few steps, re-sent so late-arriving samples correct what was drawn. */
  from: z.number(),
  to: z.number(),
  series: z.array(ColumnSeries),
  stale: Staleness.nullable(),
  errors: seriesErrors,
});
export type SeriesAppended = z.infer<typeof SeriesAppended>;

export const seriesEvents = { 'series:appended': SeriesAppended } as const;

/** What one of a watch's queries matches right now (`watches:preview`). */
export const QueryPreview = z.object({
  metric: z.string(),
  /** series: the per-step query; byVariant: the same split by the variant label; buckets/errors/total/units: instant. */
  part: z.enum(['series', 'byVariant', 'buckets', 'errors', 'total', 'units']),
  query: z.string(),
  /** How many series it matched. */
  matched: z.number().int().min(0),
  /** Their label sets, at most 10. */
  labelSets: z.array(z.record(z.string(), z.string())),
  /** The newest few points of the first series (range parts) or the values (instant parts). */
  points: z.array(WirePoint),
  /** byVariant/buckets/…: which arm each variant label value falls in under the watch's mapping (null: neither). */
  variants: z.array(z.object({ value: z.string(), arm: z.enum(ARMS).nullable() })),
  /** Why the query could not be tried (the provider unreachable, a timeout, a refused query …): branch on `code`. */
  error: PartialFailure.nullable(),
  /** Names the provider has that are close to what the query asks for, when it matched nothing. */
  suggestions: z.array(z.string()),
  /** One line: "12 series", "no series match X; did you mean Y?", or the provider's error. */
  message: z.string(),
});
export type QueryPreview = z.infer<typeof QueryPreview>;

export const watchRequests = {
  'watches:list': { input: z.object({}).strict(), output: z.array(Watch) },
  /** The watch for a flag in an environment, or a proposed default (id '') when none exists yet. */
  'watches:forFlag': {
    input: z.object({ connectionId: z.string(), flagKey, env: envKey }),
    output: z.object({ watch: Watch, saved: z.boolean() }),
  },
  'watches:save': { input: z.object({ watch: Watch }), output: Watch },
  'watches:remove': { input: z.object({ id: z.string() }), output: z.object({ removed: z.boolean() }) },
  /**
   * A watch as it would be saved (id may be ''), tried against its metrics connection: per metric the rendered
   * queries, what they match (label sets, capped), a few recent points, errors and "did you mean" suggestions, and
   * the treatment/control mapping of the variant values seen. Nothing is saved.
   */
  'watches:preview': {
    input: z.object({ watch: Watch }),
    output: z.object({
      parts: z.array(QueryPreview),
      stepSec: z.number(),
      arms: z.object({ treatment: z.array(z.string()), control: z.array(z.string()), source: z.string() }),
      ok: z.boolean(),
      message: z.string(),
    }),
  },

  /** Series of a watch over [from, to], downsampled (M4) to at most 4 × width points per series. */
  'series:range': {
    input: z.object({
      watchId: z.string(),
      from: epochMs,
      to: epochMs,
      width: z.number().int().min(10).max(8000),
      metrics: z.array(z.string()).optional(),
    }),
    output: z.object({
      series: z.array(WireSeries),
      stepMs: z.number(),
      stale: Staleness.nullable(),
      errors: seriesErrors,
    }),
  },

  /**
   * The charts' series of a watch over [from, to] at the watch's step (coarser only past the provider's points
   * limit), M4-downsampled to at most 4 × width points, as columns — only the series shown: hidden ones by the
   * visibility rule (`visibleByDefault`) unless listed in `show`, or listed in `hide`, come back named but empty.
   * Asking follows the watch: its new points are then pushed (`series:appended`) for the series sent.
   */
  'series:view': {
    input: z.object({
      watchId: z.string(),
      from: epochMs,
      to: epochMs,
      width: z.number().int().min(10).max(8000),
      show: z.array(z.string().max(300)).max(200).optional(),
      hide: z.array(z.string().max(300)).max(200).optional(),
    }),
    output: z.object({
      series: z.array(ColumnSeries),
      stepMs: z.number(),
      from: z.number(),
      to: z.number(),
      /** True when every point of the window was sent (no M4 reduction): a zoom inside it needs no new call. */
      exact: z.boolean(),
      stale: Staleness.nullable(),
      errors: seriesErrors,
    }),
  },
} as const;
