import {
  iso,
  nextId,
  splitRules,
  stringValue,
  uuid,
  type FsEnvironment,
  type FsFeature,
  type FsFeatureState,
  type FsRule,
  type FsSegment,
  type FsState,
} from './flagsmith-state';

/**
 * The default world of the fake Flagsmith. Project "Rampart demo" with environments Development and Production, and:
 * - new-checkout: Production default off + a segment override (on) on "checkout-5pct", a 5% split → a ramp at 5%.
 * - banner: no overrides, off everywhere → no ramp.
 * - pricing-page (MULTIVARIATE, control "a"): Production allocations b 10% + c 10% → exposure 20.
 * - legacy-search: Production override on "beta-users" (a trait rule, not a split) → targeting, no ramp.
 * - shared-a / shared-b: both ramp on the same "shared-10pct" segment (ramping one would move the other).
 */

export interface SeedOptions {
  projectName?: string;
  /** Names of environments created with v2 feature versioning. */
  v2Environments?: string[];
  maxPageSize?: number;
}

export function seedFlagsmith(o: SeedOptions = {}): FsState {
  const longAgo = Date.now() - 7 * 86_400_000;
  const state: FsState = {
    project: { id: 1, uuid: uuid(), name: o.projectName ?? 'Rampart demo', organisation: 1 },
    environments: [],
    features: [],
    states: [],
    featureSegments: [],
    segments: [],
    versions: [],
    audit: [],
    maxPageSize: o.maxPageSize ?? 999,
  };
  const v2 = new Set(o.v2Environments ?? []);
  for (const [name, key] of [
    ['Development', 'dev-7fKq2xLm9QwZ'],
    ['Production', 'prod-Hc3vN8sT1pYa'],
  ]) {
    state.environments.push({
      id: nextId(),
      uuid: uuid(),
      name,
      api_key: key,
      project: 1,
      use_v2_feature_versioning: v2.has(name),
    });
  }
  const segment = (name: string, rules: FsRule[]): FsSegment => {
    const s: FsSegment = {
      id: nextId(),
      uuid: uuid(),
      name,
      description: null,
      project: 1,
      rules,
      version: 1,
      created_at: iso(longAgo),
      updated_at: iso(longAgo),
    };
    state.segments.push(s);
    return s;
  };
  const checkout5 = segment('checkout-5pct', splitRules('5'));
  const beta = segment('beta-users', [
    {
      id: nextId(),
      type: 'ALL',
      rules: [
        {
          id: nextId(),
          type: 'ANY',
          rules: [],
          conditions: [{ id: nextId(), operator: 'EQUAL', property: 'beta', value: 'true', description: null }],
        },
      ],
      conditions: [],
    },
  ]);
  const shared = segment('shared-10pct', splitRules('10'));

  const feature = (name: string, type: FsFeature['type'] = 'STANDARD', options: string[] = []): FsFeature => {
    const f: FsFeature = {
      id: nextId(),
      uuid: uuid(),
      name,
      type,
      project: 1,
      description: null,
      initial_value: type === 'MULTIVARIATE' ? 'a' : null,
      default_enabled: false,
      created_date: iso(longAgo),
      multivariate_options: options.map((v) => ({
        id: nextId(),
        uuid: uuid(),
        type: 'unicode',
        string_value: v,
        integer_value: null,
        boolean_value: null,
        default_percentage_allocation: 0,
        key: v,
      })),
    };
    state.features.push(f);
    return f;
  };
  const versionOf = (env: FsEnvironment, f: FsFeature): string | null => {
    if (!env.use_v2_feature_versioning) return null;
    let v = state.versions.find((x) => x.environment === env.id && x.feature === f.id);
    if (!v) {
      v = {
        uuid: uuid(),
        environment: env.id,
        feature: f.id,
        created_at: iso(longAgo),
        updated_at: iso(longAgo),
        published: true,
        live_from: iso(longAgo),
        published_by: null,
        created_by: null,
        description: 'initial',
      };
      state.versions.push(v);
    }
    return v.uuid;
  };
  const put = (
    env: FsEnvironment,
    f: FsFeature,
    o: { enabled: boolean; value?: string | null; mv?: Record<string, number>; segment?: number },
  ): FsFeatureState => {
    const version = versionOf(env, f);
    let fsegId: number | null = null;
    if (o.segment !== undefined) {
      const siblings = state.featureSegments.filter(
        (x) => x.environment === env.id && x.feature === f.id && x.environment_feature_version === version,
      );
      fsegId = nextId();
      state.featureSegments.push({
        id: fsegId,
        uuid: uuid(),
        feature: f.id,
        segment: o.segment,
        environment: env.id,
        priority: siblings.length,
        environment_feature_version: version,
      });
    }
    const fs: FsFeatureState = {
      id: nextId(),
      uuid: uuid(),
      feature: f.id,
      environment: env.id,
      feature_segment: fsegId,
      identity: null,
      enabled: o.enabled,
      value: stringValue(o.value ?? f.initial_value),
      mv: Object.entries(o.mv ?? {}).map(([key, pct]) => ({
        id: nextId(),
        multivariate_feature_option: f.multivariate_options.find((m) => m.key === key)?.id ?? -1,
        percentage_allocation: pct,
      })),
      version: 1,
      created_at: iso(longAgo),
      updated_at: iso(longAgo),
      environment_feature_version: version,
    };
    state.states.push(fs);
    return fs;
  };

  const [dev, prod] = state.environments;
  const checkout = feature('new-checkout');
  put(dev, checkout, { enabled: true });
  put(prod, checkout, { enabled: false });
  put(prod, checkout, { enabled: true, segment: checkout5.id });
  const banner = feature('banner');
  put(dev, banner, { enabled: false });
  put(prod, banner, { enabled: false });
  const pricing = feature('pricing-page', 'MULTIVARIATE', ['b', 'c']);
  put(dev, pricing, { enabled: false, mv: { b: 0, c: 0 } });
  put(prod, pricing, { enabled: true, mv: { b: 10, c: 10 } });
  const legacy = feature('legacy-search');
  put(dev, legacy, { enabled: false });
  put(prod, legacy, { enabled: false });
  put(prod, legacy, { enabled: true, segment: beta.id });
  for (const name of ['shared-a', 'shared-b']) {
    const f = feature(name);
    put(dev, f, { enabled: false });
    put(prod, f, { enabled: false });
    put(prod, f, { enabled: true, segment: shared.id });
  }
  return state;
}
