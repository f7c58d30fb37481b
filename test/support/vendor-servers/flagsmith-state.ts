/**
 * State of the fake Flagsmith (Admin API v1), in the shapes of `Flagsmith/flagsmith` openapi.yaml (v2.265.0):
 * environments, features with per-environment feature states, segments with rules, segment overrides
 * (feature segments), v2 environment feature versions, and the audit log. A v2-versioned environment keeps its
 * states per version; the live states are those of the latest published version.
 */

export interface FsUser {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  uuid: string;
}

export interface FsEnvironment {
  id: number;
  uuid: string;
  name: string;
  api_key: string;
  project: number;
  use_v2_feature_versioning: boolean;
}

export interface FsMvOption {
  id: number;
  uuid: string;
  type: 'unicode';
  string_value: string;
  integer_value: null;
  boolean_value: null;
  default_percentage_allocation: number;
  key: string;
}

export interface FsFeature {
  id: number;
  uuid: string;
  name: string;
  type: 'STANDARD' | 'MULTIVARIATE';
  project: number;
  description: string | null;
  initial_value: string | null;
  default_enabled: boolean;
  created_date: string;
  multivariate_options: FsMvOption[];
}

export interface FsValue {
  type: 'unicode' | 'int' | 'bool';
  string_value: string | null;
  integer_value: number | null;
  boolean_value: boolean | null;
}

export interface FsMvValue {
  id: number;
  multivariate_feature_option: number;
  percentage_allocation: number;
}

export interface FsFeatureState {
  id: number;
  uuid: string;
  feature: number;
  environment: number;
  feature_segment: number | null;
  identity: null;
  enabled: boolean;
  value: FsValue;
  mv: FsMvValue[];
  version: number;
  created_at: string;
  updated_at: string;
  environment_feature_version: string | null;
}

export interface FsFeatureSegment {
  id: number;
  uuid: string;
  feature: number;
  segment: number;
  environment: number;
  priority: number;
  environment_feature_version: string | null;
}

export interface FsCondition {
  id: number;
  operator: string;
  property: string | null;
  value: string | null;
  description: string | null;
}

export interface FsRule {
  id: number;
  type: 'ALL' | 'ANY' | 'NONE';
  rules: FsRule[];
  conditions: FsCondition[];
}

export interface FsSegment {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  project: number;
  rules: FsRule[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface FsVersion {
  uuid: string;
  environment: number;
  feature: number;
  created_at: string;
  updated_at: string;
  published: boolean;
  live_from: string | null;
  published_by: number | null;
  created_by: number | null;
  description: string | null;
}

export interface FsAudit {
  id: number;
  created_date: string;
  log: string;
  author: FsUser | null;
  environment: number | null;
  project: number;
  related_object_id: number | null;
  related_object_uuid: string | null;
  related_object_type: string;
  is_system_event: boolean;
  change_details: { field: string; old: unknown; new: unknown }[];
  change_type: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNKNOWN';
}

export interface FsState {
  project: { id: number; uuid: string; name: string; organisation: number };
  environments: FsEnvironment[];
  features: FsFeature[];
  states: FsFeatureState[];
  featureSegments: FsFeatureSegment[];
  segments: FsSegment[];
  versions: FsVersion[];
  audit: FsAudit[];
  /** The largest page the server hands out (DRF `max_page_size`); lower it to force paging in tests. */
  maxPageSize: number;
}

let seq = 1000;
export const nextId = (): number => ++seq;
export const uuid = (): string => {
  const n = nextId().toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${n}`;
};
export const iso = (ms: number): string => new Date(ms).toISOString();

export const ALICE: FsUser = { id: 7, email: 'alice@example.com', first_name: 'Alice', last_name: 'Ng', uuid: uuid() };
export const BOB: FsUser = { id: 8, email: 'bob@example.com', first_name: 'Bob', last_name: 'Ito', uuid: uuid() };

export const OPERATORS = [
  'EQUAL',
  'GREATER_THAN',
  'LESS_THAN',
  'CONTAINS',
  'GREATER_THAN_INCLUSIVE',
  'LESS_THAN_INCLUSIVE',
  'NOT_CONTAINS',
  'NOT_EQUAL',
  'REGEX',
  'PERCENTAGE_SPLIT',
  'MODULO',
  'IS_SET',
  'IS_NOT_SET',
  'IN',
];

export function stringValue(s: string | null): FsValue {
  return { type: 'unicode', string_value: s, integer_value: null, boolean_value: null };
}

/** `FeatureStateValue` → the raw value (string, integer, boolean or null), as list endpoints show it. */
export function rawValue(v: FsValue): string | number | boolean | null {
  if (v.type === 'int') return v.integer_value;
  if (v.type === 'bool') return v.boolean_value;
  return v.string_value;
}

export function splitRules(value: string): FsRule[] {
  return [
    {
      id: nextId(),
      type: 'ALL',
      rules: [],
      conditions: [
        { id: nextId(), operator: 'PERCENTAGE_SPLIT', property: '$.identity.key', value, description: null },
      ],
    },
  ];
}

/** The live version of a feature in a v2 environment: latest published with live_from in the past. */
export function liveVersion(state: FsState, envId: number, featureId: number, now = Date.now()): FsVersion | undefined {
  // Latest live_from wins; of two published in the same millisecond, the one created later.
  let best: FsVersion | undefined;
  for (const v of state.versions) {
    if (
      v.environment !== envId ||
      v.feature !== featureId ||
      !v.published ||
      !v.live_from ||
      Date.parse(v.live_from) > now
    )
      continue;
    if (!best || Date.parse(v.live_from) >= Date.parse(best.live_from ?? '')) best = v;
  }
  return best;
}

function versionKey(state: FsState, env: FsEnvironment, featureId: number): string | null {
  return env.use_v2_feature_versioning ? (liveVersion(state, env.id, featureId)?.uuid ?? '(none)') : null;
}

/** Live feature states of one feature in one environment (env default first, then segment overrides). */
export function liveStates(state: FsState, env: FsEnvironment, featureId: number): FsFeatureState[] {
  const v = versionKey(state, env, featureId);
  return state.states
    .filter((s) => s.environment === env.id && s.feature === featureId && s.environment_feature_version === v)
    .sort((a, b) => (a.feature_segment === null ? -1 : 0) - (b.feature_segment === null ? -1 : 0));
}

export function liveFeatureSegments(state: FsState, env: FsEnvironment, featureId: number): FsFeatureSegment[] {
  const v = versionKey(state, env, featureId);
  return state.featureSegments
    .filter((fs) => fs.environment === env.id && fs.feature === featureId && fs.environment_feature_version === v)
    .sort((a, b) => a.priority - b.priority);
}

export function serializeValueState(s: FsFeatureState) {
  return {
    id: s.id,
    feature_state_value: { ...s.value },
    multivariate_feature_state_values: s.mv.map((m) => ({ ...m })),
    deleted_at: null,
    uuid: s.uuid,
    enabled: s.enabled,
    created_at: s.created_at,
    updated_at: s.updated_at,
    live_from: s.created_at,
    version: s.version,
    feature: s.feature,
    environment: s.environment,
    identity: s.identity,
    feature_segment: s.feature_segment,
    change_request: null,
    environment_feature_version: s.environment_feature_version,
  };
}

/** FeatureStateSerializerBasic: `feature_state_value` is the raw value. */
export function serializeBasicState(s: FsFeatureState) {
  return { ...serializeValueState(s), feature_state_value: rawValue(s.value) };
}

export function serializeSegment(seg: FsSegment) {
  return {
    id: seg.id,
    uuid: seg.uuid,
    created_at: seg.created_at,
    updated_at: seg.updated_at,
    name: seg.name,
    description: seg.description,
    project: seg.project,
    feature: null,
    version_of: seg.id,
    rules: structuredClone(seg.rules),
    metadata: [],
    membership_counts: [],
    managed_by: '',
  };
}

export function serializeEnvironment(e: FsEnvironment) {
  return {
    id: e.id,
    uuid: e.uuid,
    name: e.name,
    api_key: e.api_key,
    description: null,
    project: e.project,
    minimum_change_request_approvals: null,
    allow_client_traits: true,
    banner_text: null,
    banner_colour: null,
    hide_disabled_flags: null,
    use_mv_v2_evaluation: true,
    use_identity_composite_key_for_hashing: true,
    hide_sensitive_data: false,
    use_v2_feature_versioning: e.use_v2_feature_versioning,
    use_identity_overrides_in_local_eval: false,
    metadata: [],
  };
}

export function serializeVersion(v: FsVersion) {
  return {
    created_at: v.created_at,
    updated_at: v.updated_at,
    published: v.published,
    live_from: v.live_from,
    uuid: v.uuid,
    is_live: v.published && !!v.live_from && Date.parse(v.live_from) <= Date.now(),
    published_by: v.published_by,
    created_by: v.created_by,
    description: v.description,
  };
}

export function serializeAudit(a: FsAudit, state: FsState, detail: boolean) {
  const env = state.environments.find((e) => e.id === a.environment);
  const base = {
    id: a.id,
    created_date: a.created_date,
    log: a.log,
    author: a.author ? { ...a.author, last_login: null } : null,
    environment: env
      ? {
          id: env.id,
          uuid: env.uuid,
          name: env.name,
          api_key: env.api_key,
          project: env.project,
          use_v2_feature_versioning: env.use_v2_feature_versioning,
        }
      : null,
    project: {
      id: state.project.id,
      uuid: state.project.uuid,
      name: state.project.name,
      organisation: state.project.organisation,
    },
    related_object_id: a.related_object_id,
    related_object_uuid: a.related_object_uuid,
    related_object_type: a.related_object_type,
    is_system_event: a.is_system_event,
  };
  return detail ? { ...base, change_details: a.change_details, change_type: a.change_type } : base;
}
