import { z } from 'zod';

/**
 * Flagsmith Admin API v1 responses, as far as Rampart reads them (Flagsmith/flagsmith openapi.yaml, v2.265.0:
 * EnvironmentSerializerLight, ListFeature, WritableNestedFeatureState, FeatureSegmentList, Segment, SegmentRule,
 * Condition, EnvironmentFeatureVersion, CustomEnvironmentFeatureVersionFeatureState, AuditLogList/Retrieve).
 * Lenient about extra fields, strict about the ones used. Paginated lists are `{count, next, previous, results}`.
 */

const id = z.number().int();

export const paged = <T extends z.ZodType>(item: T) =>
  z.looseObject({ count: z.number().optional(), next: z.string().nullable().optional(), results: z.array(item) });

export const FsProject = z.looseObject({ id, name: z.string() });
export const FsProjects = z.array(FsProject);

export const FsEnvironment = z.looseObject({
  id,
  name: z.string(),
  /** The client-side environment key (public by design; server-side keys are different and never read). */
  api_key: z.string().min(1),
  use_v2_feature_versioning: z.boolean().optional().default(false),
});
export type FsEnvironment = z.infer<typeof FsEnvironment>;

export const FsMvOption = z.looseObject({
  id,
  key: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  string_value: z.string().nullable().optional(),
  integer_value: z.number().nullable().optional(),
  boolean_value: z.boolean().nullable().optional(),
});
export type FsMvOption = z.infer<typeof FsMvOption>;

export const FsFeature = z.looseObject({
  id,
  name: z.string().min(1),
  type: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  initial_value: z.unknown().optional(),
  multivariate_options: z.array(FsMvOption).optional().default([]),
  num_segment_overrides: z.number().int().nullable().optional(),
});
export type FsFeature = z.infer<typeof FsFeature>;

/** The typed value object used by the writable serializers: `{type: unicode|int|bool, string_value, …}`. */
export const FsValue = z.looseObject({
  type: z.string().nullable().optional(),
  string_value: z.string().nullable().optional(),
  integer_value: z.number().nullable().optional(),
  boolean_value: z.boolean().nullable().optional(),
});
export type FsValue = z.infer<typeof FsValue>;

export const FsMvValue = z.looseObject({
  id: id.optional(),
  multivariate_feature_option: id,
  percentage_allocation: z.number().min(0).max(100),
});
export type FsMvValue = z.infer<typeof FsMvValue>;

const stateFields = {
  id,
  feature: id,
  enabled: z.boolean(),
  feature_state_value: FsValue.nullable().optional(),
  identity: z.unknown().optional(),
  multivariate_feature_state_values: z.array(FsMvValue).optional().default([]),
};

/** A live feature state (`/api/v1/features/featurestates/`): `feature_segment` is the feature-segment id. */
export const FsFeatureState = z.looseObject({ ...stateFields, feature_segment: id.nullable().optional() });
export type FsFeatureState = z.infer<typeof FsFeatureState>;

/** A state inside a v2 version: `feature_segment` is an object naming the segment. */
export const FsVersionFeatureState = z.looseObject({
  ...stateFields,
  feature_segment: z
    .looseObject({ id: id.optional(), segment: id, priority: z.number().int().nullable().optional() })
    .nullable()
    .optional(),
});
export type FsVersionFeatureState = z.infer<typeof FsVersionFeatureState>;

export const FsFeatureSegment = z.looseObject({
  id,
  segment: id,
  priority: z.number().int().nullable().optional(),
  segment_name: z.string().optional(),
});
export type FsFeatureSegment = z.infer<typeof FsFeatureSegment>;

export const FsCondition = z.looseObject({
  id: id.optional(),
  operator: z.string(),
  property: z.string().nullable().optional(),
  value: z.string().nullable().optional(),
});

export interface FsRule {
  id?: number;
  type: string;
  rules: FsRule[];
  conditions: z.infer<typeof FsCondition>[];
  [extra: string]: unknown;
}
export const FsRule: z.ZodType<FsRule> = z.lazy(() =>
  z.looseObject({
    id: id.optional(),
    type: z.string(),
    rules: z.array(FsRule).optional().default([]),
    conditions: z.array(FsCondition).optional().default([]),
  }),
) as z.ZodType<FsRule>;

export const FsSegment = z.looseObject({ id, name: z.string(), rules: z.array(FsRule) });
export type FsSegment = z.infer<typeof FsSegment>;

export const FsAssociatedFeature = z.looseObject({ feature: id, environment: id });

export const FsVersion = z.looseObject({
  uuid: z.string().min(1),
  published: z.boolean().optional(),
  live_from: z.string().nullable().optional(),
  created_at: z.string().optional(),
});
export type FsVersion = z.infer<typeof FsVersion>;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time');

export const FsAuditEntry = z.looseObject({
  id,
  created_date: isoDate,
  log: z.string(),
  author: z
    .looseObject({ email: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() })
    .nullable()
    .optional(),
  environment: z.looseObject({ id, api_key: z.string().optional(), name: z.string().optional() }).nullable().optional(),
  related_object_id: z.number().int().nullable().optional(),
  related_object_uuid: z.string().nullable().optional(),
  related_object_type: z.string().nullable().optional(),
});
export type FsAuditEntry = z.infer<typeof FsAuditEntry>;

export const FsAuditDetail = FsAuditEntry.extend({
  change_details: z
    .array(z.looseObject({ field: z.string(), old: z.unknown(), new: z.unknown() }))
    .optional()
    .default([]),
});
export type FsAuditDetail = z.infer<typeof FsAuditDetail>;
