import { z } from 'zod';
import { Exposure } from './flags';

/**
 * A flag's lifecycle (issue 14, docs/design.md "Lifecycle"): created → rolling out → released or off → stale →
 * archived, per flag × environment, derived from the store's state and the timeline. Pure types and the few rules
 * both sides need (stage order, the default threshold); the derivation itself lives in main/lifecycle/stage.ts.
 */
export const LIFECYCLE_STAGES = ['stale', 'released', 'off', 'rolling-out', 'created', 'archived'] as const;
export const LifecycleStage = z.enum(LIFECYCLE_STAGES);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

/** The stages where a flag's job is done: how long it has been so is what the Lifecycle view sorts by. */
export const DONE_STAGES: readonly LifecycleStage[] = ['stale', 'released', 'off'];

/** PostHog, Flagsmith and Datadog all call a flag stale after 30 days unchanged. */
export const DEFAULT_STALE_DAYS = 30;
export const DAY_MS = 86_400_000;

export const staleDays = z.number().int().min(1).max(3650);

/** One flag × environment in the Lifecycle view and the CLI's `flags stale`. */
export const LifecycleRow = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  connectionKind: z.string(),
  flagKey: z.string(),
  name: z.string(),
  env: z.string(),
  stage: LifecycleStage,
  /** For a stale flag: the stage it went stale in (released or off). */
  doneAs: z.enum(['released', 'off']).nullable(),
  state: z.object({ enabled: z.boolean(), exposure: Exposure }).nullable(),
  /** When the current state began (released since, off since, archived at); null when nothing says. */
  since: z.number().nullable(),
  /** 'exact': a recorded change; 'at-least': only when Rampart first saw this state (the change may be older). */
  sinceBasis: z.enum(['exact', 'at-least']).nullable(),
  /** The last change of any kind (targeting included), and when. */
  lastChange: z.object({ at: z.number(), label: z.string(), actor: z.string().nullable() }).nullable(),
  /** The flag's creator when its history says (Unleash, LaunchDarkly, Flagsmith), else null. */
  owner: z.string().nullable(),
  lastActor: z.string().nullable(),
  /** When the flag was created, when known. */
  createdAt: z.number().nullable(),
  /** Why the flag is stale, in one sentence; null when it is not. */
  staleReason: z.string().nullable(),
  staleDays: staleDays,
  planRunning: z.boolean(),
  /** The last time an exposure metric showed the flag evaluated (watched flags only); null = unknown or never. */
  lastEvaluatedAt: z.number().nullable(),
});
export type LifecycleRow = z.infer<typeof LifecycleRow>;

/** Per-connection thresholds, the weekly reminder and the local source folders searched for code references. */
export const LifecycleSettings = z.object({
  staleDays: z.object({ default: staleDays, byConnection: z.record(z.string(), staleDays) }),
  reminder: z.object({
    enabled: z.boolean(),
    everyDays: z.number().int().min(1).max(90),
    /** Notification connections (Slack-compatible, webhook) that get the reminder; empty = every such connection. */
    targets: z.array(z.string()).max(50),
    lastRunAt: z.number().nullable(),
  }),
  /** Absolute paths of local folders (git working trees, ideally) to search for flag keys. */
  codeRoots: z.array(z.string().min(1).max(4096)).max(20),
});
export type LifecycleSettings = z.infer<typeof LifecycleSettings>;

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  staleDays: { default: DEFAULT_STALE_DAYS, byConnection: {} },
  reminder: { enabled: true, everyDays: 7, targets: [], lastRunAt: null },
  codeRoots: [],
};

/** One place a flag key appears in a source folder: file:line with a little context. */
export const CodeReference = z.object({
  root: z.string(),
  /** Relative to the root, with forward slashes. */
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  text: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
});
export type CodeReference = z.infer<typeof CodeReference>;

/** How one root was searched, so "no references" is never claimed for a search that did not finish. */
export const CodeRootScan = z.object({
  root: z.string(),
  method: z.enum(['git', 'walk']),
  /** HEAD of the working tree (git), null otherwise. */
  commit: z.string().nullable(),
  dirty: z.boolean(),
  cached: z.boolean(),
  filesSearched: z.number().int(),
  /** Why the search stopped early (time or size budget), or could not run; null when it covered the root. */
  incomplete: z.string().nullable(),
  durationMs: z.number(),
});
export type CodeRootScan = z.infer<typeof CodeRootScan>;

export const FlagCodeRefs = z.object({
  flagKey: z.string(),
  refs: z.array(CodeReference),
  /** More references than shown were found. */
  truncated: z.boolean(),
  /** No reference in any root, and every root was searched completely. */
  safeToArchive: z.boolean(),
});
export type FlagCodeRefs = z.infer<typeof FlagCodeRefs>;

export const CodeRefsResult = z.object({ roots: z.array(CodeRootScan), flags: z.array(FlagCodeRefs) });
export type CodeRefsResult = z.infer<typeof CodeRefsResult>;

/** A flag key that can be searched for safely: the characters flag stores allow in keys. */
export const CODE_REF_KEY = /^[A-Za-z0-9][A-Za-z0-9._~:/-]{1,199}$/;

/** A field of a flag's state as far as the timeline knows it; null `known` values are unknown, not "none". */
export const VersionState = z.object({
  enabled: z.boolean().nullable(),
  exposure: Exposure,
  /** false when no change or read says what the exposure was at that time. */
  exposureKnown: z.boolean(),
  /** The store's targeting summary, known only from the live read and for versions after the last targeting change. */
  targeting: z.string().nullable(),
  /** Whether the targeting then was what it is now (no targeting change since). */
  targetingAsNow: z.boolean(),
});
export type VersionState = z.infer<typeof VersionState>;

export const VersionDiff = z.object({
  field: z.enum(['enabled', 'exposure', 'targeting']),
  from: z.string(),
  to: z.string(),
});
export type VersionDiff = z.infer<typeof VersionDiff>;

/** One state a flag had in one environment: after one change, from the store's history or Rampart's audit. */
export const FlagVersion = z.object({
  /** 1 = the oldest state Rampart knows; numbers only grow as history is added. */
  version: z.number().int().min(1),
  /** Stable id: the change's id (`<connection>:<vendor event>` or `<connection>:rampart:<action>`). */
  id: z.string(),
  at: z.number(),
  state: VersionState,
  label: z.string(),
  kind: z.string(),
  source: z.enum(['rampart', 'vendor', 'watch', 'audit']),
  actor: z.string().nullable(),
  comment: z.string().nullable(),
  /** Rampart's own writes: the audit row behind the change (door, result). */
  audit: z
    .object({ actionId: z.string(), action: z.string(), door: z.string().nullable(), result: z.string() })
    .nullable(),
  /** What changed against the version before. */
  diff: z.array(VersionDiff),
  current: z.boolean(),
  /** Whether "restore this state" can be done through the rollout service, and why not. */
  restorable: z.object({ ok: z.boolean(), reason: z.string().nullable() }),
});
export type FlagVersion = z.infer<typeof FlagVersion>;

export const FlagVersions = z.object({
  connectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  /** Oldest first; the last one is the live state. */
  versions: z.array(FlagVersion),
  live: z.object({ enabled: z.boolean(), exposure: Exposure, targeting: z.string().nullable() }),
});
export type FlagVersions = z.infer<typeof FlagVersions>;

export const PromoteSide = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  connectionKind: z.string(),
  env: z.string(),
  state: z.object({
    enabled: z.boolean(),
    exposure: Exposure,
    targeting: z.string().nullable(),
    treatment: z.string().nullable(),
  }),
});
export type PromoteSide = z.infer<typeof PromoteSide>;

/** The review before a promote: both states side by side, what will change, and who it reaches. */
export const PromotePreview = z.object({
  flagKey: z.string(),
  from: PromoteSide,
  to: PromoteSide,
  changes: z.array(VersionDiff),
  /** Things the reviewer should know that do not block (targeting kept as it is in the target, …). */
  warnings: z.array(z.string()),
  blastRadius: z.object({
    /** Share of the target environment's units served the treatment, before and after (percent). */
    before: z.number().nullable(),
    after: z.number().nullable(),
    summary: z.string(),
    targetWatched: z.boolean(),
  }),
  /** Whether the rollout can be copied, and why not. */
  copy: z.object({ ok: z.boolean(), reason: z.string().nullable() }),
  /** "Or start the same plan there": the source's newest plan, and whether it can start in the target. */
  plan: z.object({
    sourcePlanId: z.string().nullable(),
    steps: z.array(z.number()),
    ok: z.boolean(),
    reason: z.string().nullable(),
  }),
});
export type PromotePreview = z.infer<typeof PromotePreview>;

/** Effective share of units served the treatment: off → 0, on without a percentage → unknown. */
export function servedShare(s: { enabled: boolean | null; exposure: number | null } | null): number | null {
  if (!s || s.enabled === null) return null;
  if (!s.enabled) return 0;
  return s.exposure;
}
