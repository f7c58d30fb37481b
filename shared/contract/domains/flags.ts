import { z } from 'zod';
import { FlagChange, FlagState, FlagStoreCapabilities, TreatmentReach } from '../../domain/flags';
import { Staleness } from '../../domain/metrics';
import { comment, envKey, epochMs, flagKey } from './common';

/** A flag in the one searchable list: one row per connection × flag × environment. */
export const FlagRow = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  connectionKind: z.string(),
  demo: z.boolean(),
  flagKey: z.string(),
  name: z.string(),
  env: z.string(),
  enabled: z.boolean(),
  exposure: z.number().nullable(),
  lastChange: FlagChange.nullable(),
  /** Set when the store could not be reached and the row comes from the last known state. */
  stale: Staleness.nullable(),
});
export type FlagRow = z.infer<typeof FlagRow>;

export const RolloutResult = z.object({
  actionId: z.string(),
  /** The state read back from the store after the write: the confirmation. */
  readBack: z.object({ enabled: z.boolean(), exposure: z.number().nullable() }),
  change: FlagChange,
  /** A rollback's proof: the store's own treatment reach read back after the write (`none` = confirmed). */
  reach: TreatmentReach.optional(),
  /** Another edit of the same flag detected around the write (adapter's WriteReport), said plainly. */
  concurrentEdit: z.object({ at: z.number(), actor: z.string().optional(), summary: z.string() }).optional(),
  /** What the store did beyond the plain request (WriteReport.note), e.g. a symlinked flag file written through. */
  note: z.string().optional(),
});
export type RolloutResult = z.infer<typeof RolloutResult>;

export const flagRequests = {
  'flags:list': {
    input: z.object({ connectionId: z.string().optional(), search: z.string().max(200).optional() }),
    output: z.array(FlagRow),
  },
  'flags:get': {
    input: z.object({ connectionId: z.string(), flagKey }),
    output: z.object({ flag: FlagState, capabilities: FlagStoreCapabilities, stale: Staleness.nullable() }),
  },
  'flags:history': {
    input: z.object({
      connectionId: z.string().optional(),
      flagKey: flagKey.optional(),
      env: envKey.optional(),
      from: epochMs,
      to: epochMs,
    }),
    output: z.array(FlagChange),
  },
  /** Move exposure to `to` percent. `expected` (and `expectedEnabled`) is what the user saw; a different live state is refused. */
  'flags:ramp': {
    input: z.object({
      connectionId: z.string(),
      flagKey,
      env: envKey,
      to: z.number().min(0).max(100),
      /** Omitted: nothing is compared (the CLI without --expected: "set P whatever it is now"). */
      expected: z.number().min(0).max(100).nullable().optional(),
      /** Whether the environment was on when the user looked; a different live on/off is refused (a ramp never
       * silently re-enables an environment someone turned off). Omitted: on/off is not compared. */
      expectedEnabled: z.boolean().optional(),
      comment,
      /** Ramp although the metrics have no data or the verdict fails: explicit, and audited. */
      override: z.boolean().default(false),
    }),
    output: RolloutResult,
  },
  /** Roll back: the store serves the control to everyone in the environment. Never blocked by metrics. */
  'flags:rollback': {
    input: z.object({ connectionId: z.string(), flagKey, env: envKey, comment }),
    output: RolloutResult,
  },
} as const;
