import type { Attributes, Span } from '@opentelemetry/api';
import { withSpan } from './tracing';

/**
 * OpenTelemetry feature-flag attribute names as they are NOW (semantic-conventions after v1.44.0; the evaluation
 * event and these attributes are Release Candidate since v1.35.0). The older names in the comments were renamed
 * and must not be emitted: `feature_flag.variant` → `feature_flag.result.variant` (v1.32.0),
 * `feature_flag.provider_name` → `feature_flag.provider.name` (v1.33.0),
 * `feature_flag.evaluation.reason` → `feature_flag.result.reason`,
 * `feature_flag.evaluation.error.message` → `feature_flag.error.message`.
 */
export const FEATURE_FLAG_ATTR = {
  key: 'feature_flag.key',
  providerName: 'feature_flag.provider.name',
  resultVariant: 'feature_flag.result.variant',
  resultValue: 'feature_flag.result.value',
  resultReason: 'feature_flag.result.reason',
  setId: 'feature_flag.set.id',
  version: 'feature_flag.version',
  contextId: 'feature_flag.context.id',
  errorMessage: 'feature_flag.error.message',
} as const;

/**
 * The semantic conventions describe flag EVALUATIONS; Rampart WRITES flags (ramp, rollback, on/off). A write span
 * therefore uses the standard names for what identifies the flag (key, provider, set, version) and Rampart's own
 * `rampart.flag.*` names for what the conventions have no word for (environment, action, exposure before/after).
 */
export type FlagWriteAction = 'ramp' | 'rollback' | 'enable' | 'disable';

export interface FlagWriteInfo {
  flagKey: string;
  /** The flag store's connection kind (shared/kinds/), as OpenFeature would name its provider; 'unknown' if gone. */
  providerName: string;
  env: string;
  action: FlagWriteAction;
  connectionId?: string;
  /** Project / flag set the flag belongs to, where the store has one. */
  setId?: string;
  /** The flag's version as the store reports it, where it has one. */
  version?: string | number;
  exposureBefore?: number | null;
  exposureAfter?: number | null;
}

export function flagWriteAttributes(info: FlagWriteInfo): Attributes {
  const attrs: Attributes = {
    [FEATURE_FLAG_ATTR.key]: info.flagKey,
    [FEATURE_FLAG_ATTR.providerName]: info.providerName,
    'rampart.flag.env': info.env,
    'rampart.flag.action': info.action,
  };
  if (info.connectionId !== undefined) attrs['rampart.connection.id'] = info.connectionId;
  if (info.setId !== undefined) attrs[FEATURE_FLAG_ATTR.setId] = info.setId;
  if (info.version !== undefined) attrs[FEATURE_FLAG_ATTR.version] = String(info.version);
  if (info.exposureBefore != null) attrs['rampart.flag.exposure.before'] = info.exposureBefore;
  if (info.exposureAfter != null) attrs['rampart.flag.exposure.after'] = info.exposureAfter;
  return attrs;
}

/** Span name per action: low cardinality (the flag key is an attribute, not part of the name). */
export function flagWriteSpanName(action: FlagWriteAction): string {
  return `rampart.flag.${action}`;
}

/**
 * Traces one flag write done by the rollout service: `withFlagWriteSpan({flagKey, providerName, env, action, …},
 * () => store.setExposure(…))`. The span ends with an error status when the write throws.
 */
export function withFlagWriteSpan<T>(info: FlagWriteInfo, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return withSpan(flagWriteSpanName(info.action), flagWriteAttributes(info), fn);
}
