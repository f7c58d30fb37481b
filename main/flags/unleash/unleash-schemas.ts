import { z } from 'zod';
import { RampartError, describeIssues } from '../../../shared/errors';

/**
 * The parts of Unleash 6.x admin API responses Rampart uses (shapes from `src/lib/openapi/spec/*.ts` at v6.10.1,
 * checked against a running 6.10.1). Lenient about extra fields (loose objects), strict about the fields we read.
 */

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time');

export const UnleashConstraint = z.looseObject({
  contextName: z.string(),
  operator: z.string(),
  values: z.array(z.string()).nullish(),
  value: z.string().nullish(),
  inverted: z.boolean().nullish(),
});
export type UnleashConstraint = z.infer<typeof UnleashConstraint>;

export const UnleashVariant = z.looseObject({
  name: z.string(),
  weight: z.number().nullish(),
});
export type UnleashVariant = z.infer<typeof UnleashVariant>;

/** Strategy parameters are strings in Unleash 6 (`parametersSchema`); older servers sent numbers, so accept both. */
const parameterValue = z.union([z.string(), z.number()]);

export const UnleashStrategy = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  parameters: z.record(z.string(), parameterValue).nullish(),
  constraints: z.array(UnleashConstraint).nullish(),
  segments: z.array(z.number()).nullish(),
  variants: z.array(UnleashVariant).nullish(),
  disabled: z.boolean().nullish(),
  sortOrder: z.number().nullish(),
  title: z.string().nullish(),
});
export type UnleashStrategy = z.infer<typeof UnleashStrategy>;

/** A strategy as returned by GET/PATCH/POST …/strategies: here the id is always present. */
export const UnleashStoredStrategy = UnleashStrategy.extend({ id: z.string() });
export type UnleashStoredStrategy = z.infer<typeof UnleashStoredStrategy>;

export const UnleashFeatureEnvironment = z.looseObject({
  name: z.string(),
  enabled: z.boolean(),
  strategies: z.array(UnleashStoredStrategy).nullish(),
  variants: z.array(UnleashVariant).nullish(),
});
export type UnleashFeatureEnvironment = z.infer<typeof UnleashFeatureEnvironment>;

export const UnleashFeature = z.looseObject({
  name: z.string(),
  description: z.string().nullish(),
  archived: z.boolean().nullish(),
  environments: z.array(UnleashFeatureEnvironment),
});
export type UnleashFeature = z.infer<typeof UnleashFeature>;

/** GET /api/admin/environments/project/:projectId */
export const UnleashProjectEnvironments = z.looseObject({
  environments: z.array(
    z.looseObject({ name: z.string(), enabled: z.boolean().nullish(), sortOrder: z.number().nullish() }),
  ),
});

/** GET /api/admin/search/features (6.x) — only the names; the full flag comes from the per-flag endpoint. */
export const UnleashFeatureSearch = z.looseObject({
  features: z.array(z.looseObject({ name: z.string() })),
  total: z.number().nullish(),
});

/** GET /api/admin/projects/:projectId/features (deprecated in 6.x; the fallback when search is missing). */
export const UnleashProjectFeatures = z.looseObject({
  features: z.array(z.looseObject({ name: z.string(), archived: z.boolean().nullish() })),
});

export const UnleashEvent = z.looseObject({
  id: z.number(),
  type: z.string(),
  createdAt: isoDate,
  createdBy: z.string().nullish(),
  featureName: z.string().nullish(),
  project: z.string().nullish(),
  environment: z.string().nullish(),
  data: z.unknown().optional(),
  preData: z.unknown().optional(),
});
export type UnleashEvent = z.infer<typeof UnleashEvent>;

/** GET /api/admin/search/events → {events, total} */
export const UnleashEventSearch = z.looseObject({ events: z.array(UnleashEvent), total: z.number().nullish() });
/** GET /api/admin/events/:featureName and GET /api/admin/events?project= → {version, events, totalEvents} */
export const UnleashEventList = z.looseObject({ events: z.array(UnleashEvent) });

/** Parses a vendor body, or throws vendor_error naming the endpoint and the first problem. */
export function parseUnleash<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new RampartError('vendor_error', `Unleash: unexpected response from ${what}: ${describeIssues(result.error)}`);
}

export { describeIssues };
