import { z } from 'zod';

/**
 * The parts of GrowthBook's REST API v1 answers Rampart reads (docs/growthbook.md; shapes from `docs/openapi.yaml`
 * of growthbook/growthbook: FeatureV1, FeatureEnvironmentV1, FeatureRuleV1, FeatureRevisionV1, PaginationFields,
 * Environment). Lenient about extra fields (loose objects: newer servers add some), strict about the fields read.
 */

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time');

const ruleBase = {
  id: z.string().min(1),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  condition: z.string().optional(),
  savedGroupTargeting: z.array(z.looseObject({ matchType: z.string(), savedGroups: z.array(z.string()) })).optional(),
  prerequisites: z.array(z.looseObject({ id: z.string(), condition: z.string() })).optional(),
};

/** `force`: serve `value` to everyone matching. A rollout ramped to 100 % comes back as force (the server re-types it). */
export const GbForceRule = z.looseObject({
  ...ruleBase,
  type: z.literal('force'),
  value: z.string(),
  coverage: z.number().min(0).max(1).optional(),
  hashAttribute: z.string().optional(),
});
/** `rollout`: serve `value` to the share `coverage` (0–1) of units, bucketed by `hashAttribute`. */
export const GbRolloutRule = z.looseObject({
  ...ruleBase,
  type: z.literal('rollout'),
  value: z.string(),
  coverage: z.number().min(0).max(1),
  hashAttribute: z.string(),
});
export const GbExperimentRule = z.looseObject({
  ...ruleBase,
  type: z.literal('experiment'),
  coverage: z.number().min(0).max(1).optional(),
  value: z.array(z.looseObject({ value: z.string(), weight: z.number() })).optional(),
});
export const GbExperimentRefRule = z.looseObject({
  ...ruleBase,
  type: z.literal('experiment-ref'),
  experimentId: z.string(),
  variations: z.array(z.looseObject({ value: z.string(), variationId: z.string() })),
});
export const GbSafeRolloutRule = z.looseObject({
  ...ruleBase,
  type: z.literal('safe-rollout'),
  controlValue: z.string(),
  variationValue: z.string(),
  status: z.string().optional(),
});

const KNOWN_TYPES = ['force', 'rollout', 'experiment', 'experiment-ref', 'safe-rollout'];
/**
 * A rule type this adapter does not know (a newer server's): kept, tagged `unknown`, so the read still works and the
 * kill switch and the read-back treat it as a way to the treatment that cannot be reasoned about. A KNOWN type with
 * a wrong shape still fails the parse.
 */
const GbUnknownRule = z
  .looseObject({
    id: z.string().min(1),
    enabled: z.boolean().optional(),
    type: z.string().refine((t) => !KNOWN_TYPES.includes(t), 'a known rule type with a wrong shape'),
  })
  .transform((r) => ({ ...r, type: 'unknown' as const, vendorType: r.type }));

export const GbRule = z.union([
  z.discriminatedUnion('type', [GbForceRule, GbRolloutRule, GbExperimentRule, GbExperimentRefRule, GbSafeRolloutRule]),
  GbUnknownRule,
]);
export type GbRule = z.infer<typeof GbRule>;

export const GbFeatureEnv = z.looseObject({
  enabled: z.boolean(),
  /** Per-environment default value on servers that have one; else the feature's. */
  defaultValue: z.string().optional(),
  rules: z.array(GbRule),
});
export type GbFeatureEnv = z.infer<typeof GbFeatureEnv>;

export const GbFeature = z.looseObject({
  id: z.string().min(1),
  description: z.string().optional(),
  archived: z.boolean().optional(),
  project: z.string().optional(),
  valueType: z.enum(['boolean', 'string', 'number', 'json']),
  defaultValue: z.string(),
  dateUpdated: isoDate.optional(),
  environments: z.record(z.string(), GbFeatureEnv),
  prerequisites: z.array(z.string()).optional(),
  holdout: z.looseObject({ id: z.string(), value: z.string() }).nullish(),
  /** The live revision: `version` is what a draft's `baseVersion` is checked against. */
  revision: z.looseObject({ version: z.number().int(), comment: z.string().optional(), date: isoDate.optional() }),
});
export type GbFeature = z.infer<typeof GbFeature>;

const pagination = {
  hasMore: z.boolean(),
  nextOffset: z.number().int().nullable(),
  total: z.number().int().optional(),
};

export const GbFeaturesPage = z.looseObject({ features: z.array(GbFeature), ...pagination });
export const GbFeatureAnswer = z.looseObject({ feature: GbFeature });

export const GbEnvironment = z.looseObject({
  id: z.string().min(1),
  description: z.string().optional(),
  projects: z.array(z.string()).optional(),
});
export const GbEnvironments = z.looseObject({ environments: z.array(GbEnvironment) });
export type GbEnvironment = z.infer<typeof GbEnvironment>;

export const GbRevision = z.looseObject({
  baseVersion: z.number().int(),
  version: z.number().int(),
  comment: z.string().optional(),
  date: isoDate,
  /** draft, published, discarded, approved, changes-requested, pending-review. */
  status: z.string(),
  createdBy: z.string().optional(),
  publishedBy: z.string().optional(),
  title: z.string().optional(),
  defaultValue: z.string().optional(),
  rules: z.record(z.string(), z.array(GbRule)).optional(),
  /** Only the environments this revision toggled (when the server records toggles as revisions). */
  environmentsEnabled: z.record(z.string(), z.boolean()).optional(),
});
export type GbRevision = z.infer<typeof GbRevision>;

export const GbRevisionsPage = z.looseObject({ revisions: z.array(GbRevision), ...pagination });
export const GbRevisionAnswer = z.looseObject({ revision: GbRevision });

/** The answer to a toggle or a legacy update: the feature (only its id is relied on; the read-back reads the rest). */
export const Toggled = z.looseObject({ feature: z.looseObject({ id: z.string() }) });
