import type { FakeResponse } from './fake-http';
import { serializeVersion, type FsEnvironment, type FsFeature, type FsState, type FsValue } from './flagsmith-state';
import { checkMv, createOverride, publishVersion, updateState, type StatePatch } from './flagsmith-writes';

/**
 * Request-body handling of the fake Flagsmith shared by its routes: reading a feature-state patch (legacy routes send
 * the raw value, the writable serializers a typed value object), and creating a v2 version
 * (`POST /api/v1/environments/{id}/features/{id}/versions/`, per `EnvironmentFeatureVersionCreateSerializer`).
 */

const invalid = (field: string, message: string): FakeResponse => ({ status: 400, body: { [field]: [message] } });

export function readPatch(body: Record<string, unknown>, feature: FsFeature, valueRaw: boolean): StatePatch | string {
  const patch: StatePatch = {};
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') return 'enabled: Must be a valid boolean.';
    patch.enabled = body.enabled;
  }
  if (body.feature_state_value !== undefined) {
    const v = body.feature_state_value;
    if (valueRaw)
      patch.value = {
        type: 'unicode',
        string_value: v === null ? null : String(v),
        integer_value: null,
        boolean_value: null,
      };
    else if (v && typeof v === 'object')
      patch.value = {
        type: 'unicode',
        string_value: null,
        integer_value: null,
        boolean_value: null,
        ...(v as Partial<FsValue>),
      };
    else return 'feature_state_value: expected an object {type, string_value, integer_value, boolean_value}';
  }
  if (body.multivariate_feature_state_values !== undefined) {
    if (!Array.isArray(body.multivariate_feature_state_values))
      return 'multivariate_feature_state_values: expected a list';
    patch.mv = body.multivariate_feature_state_values as StatePatch['mv'];
    const bad = checkMv(feature, patch.mv);
    if (bad) return bad;
  }
  return patch;
}

export function createVersion(
  state: FsState,
  env: FsEnvironment,
  feature: FsFeature,
  body: Record<string, unknown>,
): FakeResponse {
  if (!env.use_v2_feature_versioning) return invalid('environment', 'Environment must use v2 feature versioning.');
  const toUpdate = (body.feature_states_to_update ?? []) as Record<string, unknown>[];
  const toCreate = (body.feature_states_to_create ?? []) as Record<string, unknown>[];
  if (!Array.isArray(toUpdate) || !Array.isArray(toCreate))
    return invalid('non_field_errors', 'feature_states_to_update and feature_states_to_create must be lists');
  if (body.publish_immediately !== true)
    return invalid('publish_immediately', 'the fake publishes only with publish_immediately: true');
  const result = publishVersion(
    state,
    env,
    feature,
    (version, copies) => {
      for (const item of toUpdate) {
        if (item.feature_state_value === undefined)
          return 'feature_states_to_update: feature_state_value: This field is required.';
        const segId = (item.feature_segment as { segment?: number } | null | undefined)?.segment;
        const target = copies.find((s) =>
          segId === undefined
            ? s.feature_segment === null
            : state.featureSegments.find((x) => x.id === s.feature_segment)?.segment === segId,
        );
        if (!target)
          return `An unresolvable conflict occurred: segment override does not exist for segment '${String(segId)}'.`;
        const patch = readPatch(item, feature, false);
        if (typeof patch === 'string') return patch;
        updateState(state, target, patch, { author: null, at: Date.now() }, false);
      }
      for (const item of toCreate) {
        const segId = (item.feature_segment as { segment?: number } | null | undefined)?.segment;
        if (segId === undefined) return 'Cannot create FeatureState objects that are not segment overrides.';
        if (!state.segments.some((s) => s.id === segId)) return `Invalid segment ${segId}`;
        if (copies.some((s) => state.featureSegments.find((x) => x.id === s.feature_segment)?.segment === segId))
          return `An unresolvable conflict occurred: segment override already exists for segment '${segId}'`;
        if (item.feature_state_value === undefined)
          return 'feature_states_to_create: feature_state_value: This field is required.';
        const patch = readPatch(item, feature, false);
        if (typeof patch === 'string') return patch;
        createOverride(
          state,
          env,
          feature,
          segId,
          { enabled: patch.enabled ?? false, value: patch.value as FsValue, versionUuid: version },
          { author: null, at: Date.now() },
          false,
        );
      }
      return undefined;
    },
    { author: null, at: Date.now(), description: typeof body.description === 'string' ? body.description : null },
  );
  if ('error' in result) return invalid('message', result.error);
  const v = state.versions.find((x) => x.uuid === result.version);
  return { status: 201, body: v ? serializeVersion(v) : {} };
}
