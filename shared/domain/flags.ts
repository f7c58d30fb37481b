import { z } from 'zod';

/** Exposure is a percentage of units served the treatment, 0–100, or null when the flag has no ramp. */
export const Exposure = z.number().min(0).max(100).nullable();

/** Per-environment state of one flag, normalized across vendors. */
export const EnvState = z.object({
  enabled: z.boolean(),
  exposure: Exposure,
  /** Variant served to the exposed share (e.g. "on"), and to the rest ("off"). */
  treatment: z.string().optional(),
  control: z.string().optional(),
  /** Short human summary of targeting: segments, constraints, rules. */
  targeting: z.string().optional(),
  /** Vendor version or etag used for read-compare-write, when the vendor has one. */
  version: z.union([z.string(), z.number()]).optional(),
});
export type EnvState = z.infer<typeof EnvState>;

export const FlagState = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().optional(),
  variants: z.array(z.string()),
  envs: z.record(z.string(), EnvState),
});
export type FlagState = z.infer<typeof FlagState>;

/** Whether any unit can be served the treatment (a rollback's read-back proof). */
export const TreatmentReach = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none'), detail: z.string() }),
  /** share: percent of units that get the treatment, when the store can say. */
  z.object({ state: z.literal('some'), share: z.number().nullable(), detail: z.string() }),
  z.object({ state: z.literal('unknown'), detail: z.string() }),
]);
export type TreatmentReach = z.infer<typeof TreatmentReach>;

export const Environment = z.object({ key: z.string(), name: z.string() });
export type Environment = z.infer<typeof Environment>;

/** The part of a flag's state a change touched. */
export const ChangeState = z.object({
  enabled: z.boolean().optional(),
  exposure: Exposure.optional(),
  targeting: z.string().optional(),
});
export type ChangeState = z.infer<typeof ChangeState>;

export const FLAG_CHANGE_KINDS = ['exposure', 'enabled', 'targeting', 'created', 'archived', 'other'] as const;

/** One change of one flag in one environment, from any store, as drawn on the charts. */
export const FlagChange = z.object({
  /** Stable id: `<connectionId>:<vendor event id>` so re-reading history never duplicates markers. */
  id: z.string(),
  connectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  at: z.number(), // epoch ms
  kind: z.enum(FLAG_CHANGE_KINDS),
  from: ChangeState.nullable(),
  to: ChangeState.nullable(),
  /** e.g. "rollout 5% → 25%", "off → on" */
  label: z.string(),
  actor: z.string().optional(),
  comment: z.string().optional(),
  /** 'rampart' when Rampart made it; 'vendor' from the store's own history; 'watch' when seen by diffing. */
  source: z.enum(['rampart', 'vendor', 'watch']),
});
export type FlagChange = z.infer<typeof FlagChange>;

export const FlagStoreCapabilities = z.object({
  /** Smallest exposure step in percent: Unleash and flagd 1, LaunchDarkly 0.001. */
  exposureStep: z.number(),
  historyHasActors: z.boolean(),
  writesHaveVersionCheck: z.boolean(),
  /** Whether the store can push external edits (file watch) rather than only being polled. */
  canWatch: z.boolean(),
});
export type FlagStoreCapabilities = z.infer<typeof FlagStoreCapabilities>;

/** The ramp ladder a release captain climbs; Ramp moves to the next rung above the current exposure. */
export const RAMP_STEPS = [1, 5, 25, 50, 100] as const;

export function nextRampStep(current: number | null): number {
  const now = current ?? 0;
  return RAMP_STEPS.find((s) => s > now) ?? 100;
}

export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return `${Number.isInteger(p) ? p : Number(p.toFixed(3))}%`;
}

/**
 * How a store's adapter starts the targeting text of a flag it lists but cannot interpret (flagd: outside the strict
 * shape): exposure null, never ramped. One owner, so the connection Test can count them.
 */
export const UNREADABLE_FLAG = 'Rampart cannot read this flag: ';

/** The label drawn on a chart marker for a change: `rollout 5% → 25%`, `off → on`. */
export function changeLabel(kind: FlagChange['kind'], from: ChangeState | null, to: ChangeState | null): string {
  if (kind === 'enabled') return `${from?.enabled ? 'on' : 'off'} → ${to?.enabled ? 'on' : 'off'}`;
  // No state or no exposure recorded is 0 % (as before); an exposure Rampart could not read (null) says so, not "0%".
  const share = (s: ChangeState | null): string => (s?.exposure === null ? 'unknown' : formatPercent(s?.exposure ?? 0));
  if (kind === 'exposure') return `rollout ${share(from)} → ${share(to)}`;
  if (kind === 'targeting') return `targeting: ${to?.targeting ?? 'changed'}`;
  if (kind === 'created') return 'created';
  if (kind === 'archived') return 'archived';
  return 'changed';
}

/** The environment a change marks as concerning every environment (a flag created or archived). */
export const EVERY_ENV = '*';

/** Whether a change concerns an environment: its own, or every one (main/store/flag-changes.ts keeps both). */
export function concernsEnv(change: Pick<FlagChange, 'env'>, env: string): boolean {
  return change.env === env || change.env === EVERY_ENV;
}
