/**
 * State of the fake GrowthBook (./fake-growthbook.ts), in the shapes its REST API v1 documents (docs/growthbook.md;
 * growthbook/growthbook `docs/openapi.yaml`): features with per-environment `enabled` and rules, and a revision per
 * change — drafts branched from the live version, published ones as whole snapshots. This file knows the model;
 * the server file knows the routes.
 */

export type GbRule = Record<string, unknown> & { id: string; type: string; enabled?: boolean; description?: string };

export interface GbFeatureState {
  id: string;
  description: string;
  project: string;
  valueType: 'boolean' | 'string' | 'number' | 'json';
  defaultValue: string;
  archived: boolean;
  dateCreated: string;
  dateUpdated: string;
  owner: string;
  tags: string[];
  prerequisites?: string[];
  holdout?: { id: string; value: string } | null;
  /** enabled per environment; the rules live in the published revision `version`. */
  enabled: Record<string, boolean>;
  version: number;
}

export interface GbRevisionState {
  featureId: string;
  baseVersion: number;
  version: number;
  comment: string;
  title?: string;
  date: string;
  status: 'draft' | 'published' | 'discarded';
  createdBy: string;
  publishedBy: string;
  defaultValue: string;
  rules: Record<string, GbRule[]>;
  environmentsEnabled?: Record<string, boolean>;
}

export interface GbState {
  environments: { id: string; description: string; projects: string[] }[];
  features: GbFeatureState[];
  revisions: GbRevisionState[];
  /** Environments whose changes need an approved review (and the REST API does not bypass it). */
  requireReviews: Set<string>;
  /** A server older than the drafts endpoints: they answer 404 "Unknown API endpoint". */
  noDraftsApi: boolean;
  /** Rule ids are `fr_<n>`. */
  nextRuleId: number;
}

export interface FeatureSeed {
  id: string;
  valueType?: GbFeatureState['valueType'];
  defaultValue?: string;
  project?: string;
  description?: string;
  prerequisites?: string[];
  holdout?: { id: string; value: string };
  envs?: Record<string, { enabled?: boolean; rules?: Partial<GbRule>[] }>;
  /** When the feature was created (its first revision), ISO. */
  created?: string;
}

export const clone = <T>(v: T): T => structuredClone(v);
const iso = (ms = Date.now()) => new Date(ms).toISOString();

export function ruleId(state: GbState): string {
  return `fr_${state.nextRuleId++}`;
}

export function findFeature(state: GbState, id: string): GbFeatureState | undefined {
  return state.features.find((f) => f.id === id);
}

export function revisionOf(state: GbState, featureId: string, version: number): GbRevisionState | undefined {
  return state.revisions.find((r) => r.featureId === featureId && r.version === version);
}

export function liveRevision(state: GbState, f: GbFeatureState): GbRevisionState {
  const rev = revisionOf(state, f.id, f.version);
  if (!rev) throw new Error(`fake GrowthBook: feature ${f.id} has no live revision ${f.version}`);
  return rev;
}

export function nextVersion(state: GbState, featureId: string): number {
  return Math.max(0, ...state.revisions.filter((r) => r.featureId === featureId).map((r) => r.version)) + 1;
}

export function makeFeature(state: GbState, seed: FeatureSeed): GbFeatureState {
  const at = seed.created ?? iso();
  const envs = state.environments.map((e) => e.id);
  const rules: Record<string, GbRule[]> = {};
  const enabled: Record<string, boolean> = {};
  for (const env of envs) {
    const s = seed.envs?.[env];
    enabled[env] = s?.enabled ?? false;
    rules[env] = (s?.rules ?? []).map(
      (r) => ({ description: '', enabled: true, ...r, id: r.id ?? ruleId(state) }) as GbRule,
    );
  }
  const feature: GbFeatureState = {
    id: seed.id,
    description: seed.description ?? '',
    project: seed.project ?? '',
    valueType: seed.valueType ?? 'boolean',
    defaultValue: seed.defaultValue ?? (seed.valueType && seed.valueType !== 'boolean' ? '' : 'false'),
    archived: false,
    dateCreated: at,
    dateUpdated: at,
    owner: 'alice@example.com',
    tags: [],
    ...(seed.prerequisites ? { prerequisites: seed.prerequisites } : {}),
    ...(seed.holdout ? { holdout: seed.holdout } : {}),
    enabled,
    version: 1,
  };
  state.revisions.push({
    featureId: seed.id,
    baseVersion: 0,
    version: 1,
    comment: 'New feature',
    date: at,
    status: 'published',
    createdBy: 'Alice Ng',
    publishedBy: 'Alice Ng',
    defaultValue: feature.defaultValue,
    rules,
  });
  return feature;
}

/** A rule as the v1 API shows it: a force rule's view has no rollout fields (FeatureForceRule, additionalProperties: false). */
function ruleView(r: GbRule): GbRule {
  const out = clone(r);
  if (out.type === 'force') {
    delete out.coverage;
    delete out.hashAttribute;
  }
  return out;
}

export function revisionView(r: GbRevisionState): Record<string, unknown> {
  const rules = Object.fromEntries(Object.entries(r.rules).map(([env, list]) => [env, list.map(ruleView)]));
  return { ...clone(r), rules, id: `${r.featureId}:${r.version}` };
}

export function featureView(state: GbState, f: GbFeatureState): Record<string, unknown> {
  const live = liveRevision(state, f);
  const environments = Object.fromEntries(
    state.environments.map((e) => [
      e.id,
      {
        enabled: f.enabled[e.id] ?? false,
        defaultValue: f.defaultValue,
        rules: (live.rules[e.id] ?? []).map(ruleView),
      },
    ]),
  );
  const { enabled: _enabled, version, ...rest } = f;
  return {
    ...clone(rest),
    environments,
    revision: {
      version,
      comment: live.comment,
      date: live.date,
      createdBy: live.createdBy,
      publishedBy: live.publishedBy,
    },
  };
}

/** A new published revision of `f` (rules and on/off), made live now: what every immediate write does. */
export function publishNow(
  state: GbState,
  f: GbFeatureState,
  change: {
    rules?: Record<string, GbRule[]>;
    enabled?: Record<string, boolean>;
    comment: string;
    actor: string;
    at?: number;
  },
): GbRevisionState {
  const live = liveRevision(state, f);
  const at = iso(change.at);
  const rev: GbRevisionState = {
    featureId: f.id,
    baseVersion: f.version,
    version: nextVersion(state, f.id),
    comment: change.comment,
    date: at,
    status: 'published',
    createdBy: change.actor,
    publishedBy: change.actor,
    defaultValue: f.defaultValue,
    rules: { ...clone(live.rules), ...clone(change.rules ?? {}) },
    ...(change.enabled ? { environmentsEnabled: clone(change.enabled) } : {}),
  };
  state.revisions.push(rev);
  Object.assign(f.enabled, change.enabled ?? {});
  f.version = rev.version;
  f.dateUpdated = at;
  return rev;
}

/**
 * Publishing a draft: made live when it branched from the live version; merged when it is behind and no
 * environment it changed was also changed live since its base; otherwise a merge conflict (GrowthBook's 409).
 */
export function mergeDraft(state: GbState, f: GbFeatureState, draft: GbRevisionState): { conflicts: string[] } {
  const base = revisionOf(state, f.id, draft.baseVersion);
  const live = liveRevision(state, f);
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  const changedEnvs = Object.keys(draft.rules).filter((env) => !same(draft.rules[env], base?.rules[env]));
  const conflicts =
    draft.baseVersion === f.version ? [] : changedEnvs.filter((env) => !same(live.rules[env], base?.rules[env]));
  if (conflicts.length) return { conflicts };
  const merged = { ...clone(live.rules) };
  for (const env of changedEnvs) merged[env] = clone(draft.rules[env]);
  draft.rules = merged;
  draft.status = 'published';
  draft.publishedBy = 'API';
  if (draft.environmentsEnabled) Object.assign(f.enabled, draft.environmentsEnabled);
  f.version = draft.version;
  f.dateUpdated = iso();
  return { conflicts: [] };
}
