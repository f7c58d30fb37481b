import {
  iso,
  liveFeatureSegments,
  liveStates,
  nextId,
  OPERATORS,
  uuid,
  type FsAudit,
  type FsEnvironment,
  type FsFeature,
  type FsFeatureState,
  type FsMvValue,
  type FsRule,
  type FsSegment,
  type FsState,
  type FsUser,
  type FsValue,
} from './flagsmith-state';

/**
 * Mutations of the fake Flagsmith, shared by its HTTP routes (author null: an Admin API key write, as Flagsmith's
 * audit list shows it) and by tests that play "someone else in the dashboard" (author set). Each writes the audit
 * entries Flagsmith writes, with the log texts of `api/audit/constants.py`.
 */

export interface Actor {
  author: FsUser | null;
  at: number;
}

export function addAudit(
  state: FsState,
  a: Omit<FsAudit, 'id' | 'project' | 'is_system_event' | 'created_date'> & { at: number },
): FsAudit {
  const entry: FsAudit = {
    id: nextId(),
    created_date: iso(a.at),
    log: a.log,
    author: a.author,
    environment: a.environment,
    project: state.project.id,
    related_object_id: a.related_object_id,
    related_object_uuid: a.related_object_uuid,
    related_object_type: a.related_object_type,
    is_system_event: false,
    change_details: a.change_details,
    change_type: a.change_type,
  };
  state.audit.push(entry);
  return entry;
}

export interface StatePatch {
  enabled?: boolean;
  value?: FsValue;
  mv?: { multivariate_feature_option: number; percentage_allocation: number }[];
}

/** Validates multivariate values as FeatureStateSerializerBasic.validate does. */
export function checkMv(feature: FsFeature, mv: StatePatch['mv']): string | undefined {
  if (!mv) return undefined;
  for (const m of mv) {
    if (!feature.multivariate_options.some((o) => o.id === m.multivariate_feature_option))
      return `Invalid multivariate option ${m.multivariate_feature_option}`;
    if (typeof m.percentage_allocation !== 'number' || m.percentage_allocation < 0 || m.percentage_allocation > 100)
      return 'percentage_allocation must be between 0 and 100';
  }
  if (mv.reduce((n, m) => n + m.percentage_allocation, 0) > 100) return 'Multivariate percentage values exceed 100%.';
  return undefined;
}

function segmentName(state: FsState, fs: FsFeatureState): string {
  const seg = state.featureSegments.find((x) => x.id === fs.feature_segment);
  return state.segments.find((s) => s.id === seg?.segment)?.name ?? '?';
}

/** Applies a patch to one feature state; `audit` false inside a version (the version publish is audited instead). */
export function updateState(state: FsState, fs: FsFeatureState, patch: StatePatch, actor: Actor, audit = true): void {
  const feature = state.features.find((f) => f.id === fs.feature) as FsFeature;
  const details: FsAudit['change_details'] = [];
  if (patch.enabled !== undefined && patch.enabled !== fs.enabled) {
    details.push({ field: 'enabled', old: fs.enabled, new: patch.enabled });
    fs.enabled = patch.enabled;
  }
  if (patch.value) fs.value = { ...patch.value };
  if (patch.mv) {
    const next: FsMvValue[] = patch.mv.map((m) => ({
      id: fs.mv.find((x) => x.multivariate_feature_option === m.multivariate_feature_option)?.id ?? nextId(),
      multivariate_feature_option: m.multivariate_feature_option,
      percentage_allocation: m.percentage_allocation,
    }));
    fs.mv = next;
  }
  fs.version++;
  fs.updated_at = iso(actor.at);
  if (!audit) return;
  const log =
    fs.feature_segment === null
      ? `Flag state updated for feature: ${feature.name}`
      : `Flag state / Remote config value updated for feature '${feature.name}' and segment '${segmentName(state, fs)}'`;
  addAudit(state, {
    log,
    author: actor.author,
    environment: fs.environment,
    related_object_id: fs.id,
    related_object_uuid: null,
    related_object_type: 'FEATURE_STATE',
    change_details: details,
    change_type: 'UPDATE',
    at: actor.at,
  });
}

/** Parses `rules` from a request body the way the segment serializer would, or says what is wrong. */
export function parseRules(input: unknown, path = 'rules'): FsRule[] | string {
  if (!Array.isArray(input)) return `${path}: expected a list`;
  const out: FsRule[] = [];
  for (const [i, r] of input.entries()) {
    const rule = r as { id?: unknown; type?: unknown; rules?: unknown; conditions?: unknown };
    if (rule?.type !== 'ALL' && rule?.type !== 'ANY' && rule?.type !== 'NONE')
      return `${path}[${i}].type: "${String(rule?.type)}" is not a valid choice.`;
    const nested = parseRules(rule.rules ?? [], `${path}[${i}].rules`);
    if (typeof nested === 'string') return nested;
    const conditions = [];
    for (const [j, c] of ((rule.conditions ?? []) as Record<string, unknown>[]).entries()) {
      if (!OPERATORS.includes(String(c?.operator)))
        return `${path}[${i}].conditions[${j}].operator: "${String(c?.operator)}" is not a valid choice.`;
      if (c.operator === 'PERCENTAGE_SPLIT') {
        const v = Number(c.value);
        if (typeof c.value !== 'string' || !Number.isFinite(v) || v < 0 || v > 100)
          return `${path}[${i}].conditions[${j}].value: a percentage split needs a number 0-100 as a string`;
        if (!c.property) return `${path}[${i}].conditions[${j}].property: This field is required.`;
      }
      conditions.push({
        id: typeof c.id === 'number' ? c.id : nextId(),
        operator: String(c.operator),
        property: (c.property as string | null) ?? null,
        value: (c.value as string | null) ?? null,
        description: (c.description as string | null) ?? null,
      });
    }
    out.push({ id: typeof rule.id === 'number' ? rule.id : nextId(), type: rule.type, rules: nested, conditions });
  }
  return out;
}

export function replaceSegmentRules(state: FsState, seg: FsSegment, rules: FsRule[], actor: Actor): void {
  seg.rules = rules;
  seg.version++;
  seg.updated_at = iso(actor.at);
  // Flagsmith's audit keeps no rule values: the entry says only that the segment changed.
  addAudit(state, {
    log: `Segment updated: ${seg.name}`,
    author: actor.author,
    environment: null,
    related_object_id: seg.id,
    related_object_uuid: null,
    related_object_type: 'SEGMENT',
    change_details: [],
    change_type: 'UPDATE',
    at: actor.at,
  });
}

export function createSegment(state: FsState, name: string, rules: FsRule[], actor: Actor): FsSegment {
  const seg: FsSegment = {
    id: nextId(),
    uuid: uuid(),
    name,
    description: null,
    project: state.project.id,
    rules,
    version: 1,
    created_at: iso(actor.at),
    updated_at: iso(actor.at),
  };
  state.segments.push(seg);
  addAudit(state, {
    log: `New Segment created: ${name}`,
    author: actor.author,
    environment: null,
    related_object_id: seg.id,
    related_object_uuid: null,
    related_object_type: 'SEGMENT',
    change_details: [],
    change_type: 'CREATE',
    at: actor.at,
  });
  return seg;
}

/** A segment override (feature segment + its feature state); `versionUuid` when it belongs to a v2 version. */
export function createOverride(
  state: FsState,
  env: FsEnvironment,
  feature: FsFeature,
  segmentId: number,
  o: { enabled: boolean; value: FsValue; versionUuid: string | null },
  actor: Actor,
  audit = true,
): FsFeatureState {
  const siblings = state.featureSegments.filter(
    (x) => x.environment === env.id && x.feature === feature.id && x.environment_feature_version === o.versionUuid,
  );
  const fseg = {
    id: nextId(),
    uuid: uuid(),
    feature: feature.id,
    segment: segmentId,
    environment: env.id,
    priority: siblings.length,
    environment_feature_version: o.versionUuid,
  };
  state.featureSegments.push(fseg);
  const fs: FsFeatureState = {
    id: nextId(),
    uuid: uuid(),
    feature: feature.id,
    environment: env.id,
    feature_segment: fseg.id,
    identity: null,
    enabled: o.enabled,
    value: { ...o.value },
    mv: [],
    version: 1,
    created_at: iso(actor.at),
    updated_at: iso(actor.at),
    environment_feature_version: o.versionUuid,
  };
  state.states.push(fs);
  if (audit) {
    const seg = state.segments.find((s) => s.id === segmentId);
    addAudit(state, {
      log: `Segment override created for feature '${feature.name}' and segment '${seg?.name}'`,
      author: actor.author,
      environment: env.id,
      related_object_id: fs.id,
      related_object_uuid: null,
      related_object_type: 'FEATURE_STATE',
      change_details: [],
      change_type: 'CREATE',
      at: actor.at,
    });
  }
  return fs;
}

/**
 * A v2 version: copy the live states and segment overrides, let `change` edit the copies (it returns an error message
 * to abort), publish it now, and audit "New version published for feature: …" (EF_VERSION).
 */
export function publishVersion(
  state: FsState,
  env: FsEnvironment,
  feature: FsFeature,
  change: (versionUuid: string, states: FsFeatureState[]) => string | undefined,
  actor: Actor & { description?: string | null },
): { version: string } | { error: string } {
  const version = uuid();
  const copies: FsFeatureState[] = [];
  const segIdMap = new Map<number, number>();
  for (const fseg of liveFeatureSegments(state, env, feature.id)) {
    const copy = { ...fseg, id: nextId(), uuid: uuid(), environment_feature_version: version };
    segIdMap.set(fseg.id, copy.id);
    state.featureSegments.push(copy);
  }
  for (const s of liveStates(state, env, feature.id)) {
    const copy: FsFeatureState = {
      ...structuredClone(s),
      id: nextId(),
      uuid: uuid(),
      environment_feature_version: version,
      feature_segment: s.feature_segment === null ? null : (segIdMap.get(s.feature_segment) ?? null),
    };
    copies.push(copy);
    state.states.push(copy);
  }
  const error = change(version, copies);
  if (error) {
    state.states = state.states.filter((s) => s.environment_feature_version !== version);
    state.featureSegments = state.featureSegments.filter((s) => s.environment_feature_version !== version);
    return { error };
  }
  state.versions.push({
    uuid: version,
    environment: env.id,
    feature: feature.id,
    created_at: iso(actor.at),
    updated_at: iso(actor.at),
    published: true,
    live_from: iso(actor.at),
    published_by: actor.author?.id ?? null,
    created_by: actor.author?.id ?? null,
    description: actor.description ?? null,
  });
  addAudit(state, {
    log: `New version published for feature: ${feature.name}`,
    author: actor.author,
    environment: env.id,
    related_object_id: null,
    related_object_uuid: version,
    related_object_type: 'EF_VERSION',
    change_details: [],
    change_type: 'CREATE',
    at: actor.at,
  });
  return { version };
}

export type { FsMvValue };
