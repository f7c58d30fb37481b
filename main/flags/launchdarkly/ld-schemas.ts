import { z } from 'zod';

/**
 * LaunchDarkly REST v2 responses, as far as Rampart reads them (launchdarkly/api-client-typescript docs:
 * Environments.md, FeatureFlags.md, FeatureFlag.md, FeatureFlagConfig.md, Rollout.md, WeightedVariation.md,
 * AuditLogEntryListingRepCollection.md, AuditLogEntryRep.md). Lenient about extra fields (looseObject), strict about
 * the ones we use. Environment `apiKey`/`mobileKey` are SDK secrets: deliberately not read, never surfaced.
 */

const Link = z.looseObject({ href: z.string().optional() });
const Links = z.record(z.string(), Link.nullable()).optional();

export const LdEnvironment = z.looseObject({ key: z.string().min(1), name: z.string() });
export const LdEnvironmentsPage = z.looseObject({
  items: z.array(LdEnvironment),
  totalCount: z.number().optional(),
  _links: Links,
});

const WeightedVariation = z.looseObject({
  variation: z.number().int().nonnegative(),
  weight: z.number().int().min(0).max(100_000),
});
export const LdRollout = z.looseObject({
  variations: z.array(WeightedVariation),
  bucketBy: z.string().optional(),
  contextKind: z.string().optional(),
  seed: z.number().optional(),
});
export type LdRollout = z.infer<typeof LdRollout>;

const Target = z.looseObject({ values: z.array(z.unknown()).optional() });

export const LdFlagConfig = z.looseObject({
  on: z.boolean(),
  fallthrough: z
    .looseObject({
      variation: z.number().int().nonnegative().nullable().optional(),
      rollout: LdRollout.nullable().optional(),
    })
    .optional(),
  offVariation: z.number().int().nonnegative().nullable().optional(),
  rules: z.array(z.unknown()).optional(),
  targets: z.array(Target).optional(),
  contextTargets: z.array(Target).optional(),
  prerequisites: z.array(z.unknown()).optional(),
  archived: z.boolean().optional(),
  version: z.number().optional(),
});
export type LdFlagConfig = z.infer<typeof LdFlagConfig>;

export const LdVariation = z.looseObject({ _id: z.string().min(1), value: z.unknown(), name: z.string().optional() });

export const LdFlag = z.looseObject({
  key: z.string().min(1),
  name: z.string(),
  description: z.string().optional(),
  kind: z.string().optional(),
  _version: z.number().int(),
  variations: z.array(LdVariation).min(1),
  archived: z.boolean().optional(),
  environments: z.record(z.string(), LdFlagConfig).optional(),
});
export type LdFlag = z.infer<typeof LdFlag>;

export const LdFlagsPage = z.looseObject({ items: z.array(LdFlag), totalCount: z.number().optional(), _links: Links });

const Member = z.looseObject({
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
});

export const LdAuditEntry = z.looseObject({
  _id: z.string().min(1),
  date: z.number(),
  kind: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  shortDescription: z.string().optional(),
  comment: z.string().optional(),
  titleVerb: z.string().optional(),
  member: Member.nullable().optional(),
  token: z.looseObject({ name: z.string().optional() }).nullable().optional(),
  app: z.looseObject({ name: z.string().optional() }).nullable().optional(),
  target: z.looseObject({ name: z.string().optional(), resources: z.array(z.string()).optional() }).optional(),
  accesses: z.array(z.looseObject({ resource: z.string().optional() })).optional(),
});
export type LdAuditEntry = z.infer<typeof LdAuditEntry>;

export const LdAuditPage = z.looseObject({ items: z.array(LdAuditEntry), _links: Links });

/** The detail adds whole-flag snapshots before and after the change (parsed leniently later, per snapshot). */
export const LdAuditDetail = LdAuditEntry.extend({
  previousVersion: z.unknown().optional(),
  currentVersion: z.unknown().optional(),
});
export type LdAuditDetail = z.infer<typeof LdAuditDetail>;
