import { z } from 'zod';
import { FlagChange } from '../../domain/flags';
import { WireSeries } from '../../domain/metrics';
import { PartialFailure } from '../../errors';
import { epochMs } from './common';

/** Where a metric regressed over a window (shared/stats/regression.ts), in the metric's own units where it says so. */
export const IncidentOnset = z.object({
  at: z.number(),
  metric: z.string(),
  method: z.string(),
  /** Relative rise of the level (seasonally adjusted when `adjusted` is 'seasonal'): after / before − 1. */
  shift: z.number().nullable(),
  levelBefore: z.number().optional(),
  levelAfter: z.number().optional(),
  adjusted: z.enum(['seasonal', 'none']).optional(),
});
export type IncidentOnset = z.infer<typeof IncidentOnset>;

/** A flag change ranked as a suspect of an onset (shared/stats/suspects.ts), most suspicious first. */
export const IncidentSuspect = z.object({
  changeId: z.string(),
  label: z.string(),
  at: z.number(),
  score: z.number(),
  reason: z.string(),
  /** change time − onset (negative: before the onset) */
  offsetMs: z.number().optional(),
  /** mean after / mean before − 1 of the metric around the change */
  relativeShift: z.number().nullable().optional(),
  /** How the flag's own treatment and control arms behaved around the change, when its watch splits by variant. */
  evidence: z
    .object({
      verdict: z.enum(['implicates', 'clears', 'unclear']),
      text: z.string(),
      armGap: z.number().nullable(),
      controlShift: z.number().nullable(),
    })
    .nullable()
    .optional(),
});
export type IncidentSuspect = z.infer<typeof IncidentSuspect>;

export const IncidentRegression = z.object({
  watchId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  metric: z.string(),
  at: z.number(),
  shift: z.number(),
  levelBefore: z.number(),
  levelAfter: z.number(),
});
export type IncidentRegression = z.infer<typeof IncidentRegression>;

const window = { from: epochMs, to: epochMs };

export const incidentRequests = {
  /**
   * "p99 jumped — what changed?": over a window, where a watch's metric regressed (against the seasonal baseline,
   * robust to single spikes), and every flag change from every connection up to a small tolerance after it ranked as
   * a suspect by time distance, the shift around it and per-variant evidence.
   */
  'incident:analyze': {
    input: z.object({ watchId: z.string(), metric: z.string().default('p99'), ...window }),
    output: z.object({
      onset: IncidentOnset.nullable(),
      /** How the onset was looked for, in one sentence (also when none was found). */
      method: z.string(),
      /** Every level shift found (rises and drops), oldest first. */
      shifts: z.array(z.object({ at: z.number(), shift: z.number() })),
      suspects: z.array(IncidentSuspect),
      changes: z.array(FlagChange),
      series: WireSeries,
      /** The seasonal reference moved onto the window (labels.seasonal names the period), or null without one. */
      seasonal: WireSeries.nullable(),
      stepMs: z.number(),
      /** How far after the onset a change still counts as a suspect. */
      toleranceMs: z.number(),
    }),
  },
  /** The same question of every watch at once: which services regressed in the window, largest rise first. */
  'incident:scan': {
    input: z.object(window),
    output: z.object({
      from: z.number(),
      to: z.number(),
      regressions: z.array(IncidentRegression),
      errors: z.array(z.object({ watchId: z.string(), ...PartialFailure.shape })),
    }),
  },
} as const;
