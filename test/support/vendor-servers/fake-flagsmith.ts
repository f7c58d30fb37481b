import { route, startFakeHttp, type FakeResponse, type Fault, type Injection, type RecordedRequest } from './fake-http';
import { seedFlagsmith, type SeedOptions } from './flagsmith-seed';
import {
  liveFeatureSegments,
  liveStates,
  rawValue,
  serializeAudit,
  serializeBasicState,
  serializeEnvironment,
  serializeSegment,
  serializeValueState,
  serializeVersion,
  uuid,
  type FsEnvironment,
  type FsFeature,
  type FsState,
  type FsValue,
} from './flagsmith-state';
import { createVersion, readPatch } from './flagsmith-requests';
import {
  createOverride,
  createSegment,
  parseRules,
  replaceSegmentRules,
  updateState,
  type Actor,
} from './flagsmith-writes';

/**
 * A local Flagsmith Admin API v1 look-alike for contract tests: documented shapes, state that writes change (and the
 * audit log records), and Flagsmith's own checks — `Authorization: Api-Key <key>`, JSON bodies only, v2-versioned
 * environments refusing legacy feature-state writes with 400 `direct_feature_state_write_not_allowed`, multivariate
 * allocations over 100% refused, DRF pagination `{count, next, previous, results}` capped at `maxPageSize`.
 */

export interface FakeFlagsmithOptions extends SeedOptions {
  token?: string;
}

export interface FakeFlagsmith {
  url: string;
  token: string;
  state: FsState;
  requests: RecordedRequest[];
  inject(injection: Injection): void;
  clearInjections(): void;
  /** Requests that changed state (any non-GET answered 2xx). */
  writes(): RecordedRequest[];
  env(name: string): FsEnvironment;
  feature(name: string): FsFeature;
  /** Switches an environment to v2 feature versioning, as Flagsmith's migration does: today's states become version 1. */
  enableV2(envName: string): void;
  stop(): Promise<void>;
}

const V2_REFUSAL = {
  detail: 'This environment uses v2 feature versioning. Use the environment feature version endpoint instead.',
};

/** Ready-made faults with Flagsmith's (DRF's) bodies and headers, for `inject({ fault })`. */
export const fsFaults = {
  throttled: (seconds: number): Fault => ({
    kind: 'status',
    status: 429,
    body: { detail: `Request was throttled. Expected available in ${seconds} seconds.` },
    headers: { 'Retry-After': String(seconds) },
  }),
  unauthorized: (): Fault => ({ kind: 'status', status: 401, body: { detail: 'Valid Master API Key not found.' } }),
  notFound: (): Fault => ({ kind: 'status', status: 404, body: { detail: 'Not found.' } }),
  conflict: (): Fault => ({ kind: 'status', status: 409, body: { detail: 'Conflict.' } }),
  v2Refusal: (): Fault => ({ kind: 'status', status: 400, body: V2_REFUSAL }),
  serverError: (status = 500): Fault => ({ kind: 'status', status, body: { detail: 'A server error occurred.' } }),
};

const detail = (status: number, message: string): FakeResponse => ({ status, body: { detail: message } });
const invalid = (field: string, message: string): FakeResponse => ({ status: 400, body: { [field]: [message] } });

export async function startFakeFlagsmith(opts: FakeFlagsmithOptions = {}): Promise<FakeFlagsmith> {
  const token = opts.token ?? 'ser.fake-flagsmith-master-key-00000000';
  const state = seedFlagsmith(opts);
  const apiActor = (): Actor => ({ author: null, at: Date.now() }); // master API key writes have no author

  const envById = (id: unknown) => state.environments.find((e) => e.id === Number(id));
  const envByKey = (key: string) => state.environments.find((e) => e.api_key === key);
  const featureById = (id: unknown) => state.features.find((f) => f.id === Number(id));

  function paginate(items: unknown[], req: RecordedRequest, defaultSize = 999): FakeResponse {
    const size = Math.min(Number(req.query.get('page_size') ?? defaultSize) || defaultSize, state.maxPageSize);
    const pageNo = Number(req.query.get('page') ?? '1');
    const pages = Math.max(1, Math.ceil(items.length / size));
    if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > pages) return detail(404, 'Invalid page.');
    const link = (n: number) => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(n));
      return `http://${String(req.headers.host)}${req.path}?${q}`;
    };
    return {
      status: 200,
      body: {
        count: items.length,
        next: pageNo < pages ? link(pageNo + 1) : null,
        previous: pageNo > 1 ? link(pageNo - 1) : null,
        results: items.slice((pageNo - 1) * size, pageNo * size),
      },
    };
  }

  function handle(req: RecordedRequest): FakeResponse {
    const auth = req.headers.authorization;
    if (!auth) return detail(401, 'Authentication credentials were not provided.');
    if (auth !== `Api-Key ${token}`) return detail(401, 'Valid Master API Key not found.');
    if (req.method !== 'GET') {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return detail(415, `Unsupported media type "${String(req.headers['content-type'] ?? '')}" in request.`);
      if (req.body === undefined || typeof req.body !== 'object')
        return detail(400, 'JSON parse error - Expecting value: line 1 column 1 (char 0)');
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const q = req.query;
    const projectOk = (p: string) => Number(p) === state.project.id;
    let m: Record<string, string> | undefined;

    if (route('/api/v1/projects/', req.path) && req.method === 'GET')
      return {
        status: 200,
        body: [{ id: state.project.id, uuid: state.project.uuid, name: state.project.name, organisation: 1 }],
      };
    if (route('/api/v1/environments/', req.path) && req.method === 'GET') {
      const envs = state.environments.filter((e) => !q.has('project') || e.project === Number(q.get('project')));
      return paginate(envs.map(serializeEnvironment), req, 10);
    }
    if ((m = route('/api/v1/projects/:project/features/', req.path)) && req.method === 'GET') {
      if (!projectOk(m.project)) return detail(404, 'Not found.');
      const env = q.has('environment') ? envById(q.get('environment')) : undefined;
      if (q.has('environment') && !env) return detail(404, 'Not found.');
      const search = q.get('search')?.toLowerCase();
      const rows = state.features
        .filter((f) => !search || f.name.toLowerCase().includes(search))
        .map((f) => {
          const def = env ? liveStates(state, env, f.id).find((s) => s.feature_segment === null) : undefined;
          return {
            id: f.id,
            uuid: f.uuid,
            name: f.name,
            type: f.type,
            default_enabled: f.default_enabled,
            initial_value: f.initial_value,
            created_date: f.created_date,
            description: f.description,
            tags: [],
            multivariate_options: f.multivariate_options,
            is_archived: false,
            owners: [],
            group_owners: [],
            project: f.project,
            environment_feature_state: def
              ? {
                  id: def.id,
                  feature_state_value: rawValue(def.value),
                  environment: def.environment,
                  identity: null,
                  feature_segment: null,
                  enabled: def.enabled,
                }
              : null,
            num_segment_overrides: env ? liveFeatureSegments(state, env, f.id).length : 0,
            num_identity_overrides: null,
          };
        });
      return paginate(rows, req);
    }
    if (route('/api/v1/features/featurestates/', req.path) && req.method === 'GET') {
      const env = envById(q.get('environment'));
      if (!env) return invalid('environment', "'environment' GET parameter is required.");
      const features = q.has('feature')
        ? state.features.filter((f) => f.id === Number(q.get('feature')))
        : state.features;
      let rows = features.flatMap((f) => liveStates(state, env, f.id));
      if (q.has('feature_segment')) rows = rows.filter((s) => s.feature_segment === Number(q.get('feature_segment')));
      return paginate(rows.map(serializeValueState), req, 10);
    }
    if (route('/api/v1/features/feature-segments/', req.path) && req.method === 'GET') {
      const env = envById(q.get('environment'));
      const feature = featureById(q.get('feature'));
      if (!env || !feature) return invalid(env ? 'feature' : 'environment', 'This field is required.');
      const rows = liveFeatureSegments(state, env, feature.id).map((x) => ({
        id: x.id,
        uuid: x.uuid,
        segment: x.segment,
        priority: x.priority,
        environment: x.environment,
        segment_name: state.segments.find((s) => s.id === x.segment)?.name ?? '',
        is_feature_specific: false,
      }));
      return paginate(rows, req, 10);
    }
    if ((m = route('/api/v1/projects/:project/segments/', req.path))) {
      if (!projectOk(m.project)) return detail(404, 'Not found.');
      if (req.method === 'GET') return paginate(state.segments.map(serializeSegment), req, 10);
      if (req.method === 'POST') {
        if (typeof body.name !== 'string' || !body.name) return invalid('name', 'This field is required.');
        const rules = parseRules(body.rules);
        if (typeof rules === 'string') return invalid('rules', rules);
        return { status: 201, body: serializeSegment(createSegment(state, body.name, rules, apiActor())) };
      }
    }
    if ((m = route('/api/v1/projects/:project/segments/:id/associated-features/', req.path)) && req.method === 'GET') {
      const segId = Number(m.id);
      const rows = state.environments.flatMap((env) =>
        state.features.flatMap((f) =>
          liveFeatureSegments(state, env, f.id).some((x) => x.segment === segId)
            ? [{ id: f.id, feature: f.id, environment: env.id }]
            : [],
        ),
      );
      return paginate(rows, req, 10);
    }
    if ((m = route('/api/v1/projects/:project/segments/:id/', req.path))) {
      const seg = state.segments.find((s) => s.id === Number(m?.id));
      if (!projectOk(m.project) || !seg) return detail(404, 'Not found.');
      if (req.method === 'GET') return { status: 200, body: serializeSegment(seg) };
      if (req.method === 'PATCH') {
        if (body.rules !== undefined) {
          const rules = parseRules(body.rules);
          if (typeof rules === 'string') return invalid('rules', rules);
          replaceSegmentRules(state, seg, rules, apiActor());
        }
        return { status: 200, body: serializeSegment(seg) };
      }
    }
    if (
      (m = route('/api/v1/environments/:key/featurestates/:id/', req.path)) &&
      (req.method === 'PATCH' || req.method === 'PUT')
    ) {
      const env = envByKey(m.key);
      const fs = state.states.find(
        (s) => s.id === Number(m?.id) && s.environment === env?.id && s.feature_segment === null,
      );
      if (!env || !fs) return detail(404, 'Not found.');
      if (env.use_v2_feature_versioning) return { status: 400, body: V2_REFUSAL };
      const patch = readPatch(body, featureById(fs.feature) as FsFeature, true);
      if (typeof patch === 'string') return invalid('non_field_errors', patch);
      updateState(state, fs, patch, apiActor());
      return { status: 200, body: serializeBasicState(fs) };
    }
    if (
      (m = route('/api/v1/features/featurestates/:id/', req.path)) &&
      (req.method === 'PATCH' || req.method === 'PUT')
    ) {
      const fs = state.states.find((s) => s.id === Number(m?.id));
      if (!fs) return detail(404, 'Not found.');
      if (envById(fs.environment)?.use_v2_feature_versioning) return { status: 400, body: V2_REFUSAL };
      const patch = readPatch(body, featureById(fs.feature) as FsFeature, false);
      if (typeof patch === 'string') return invalid('non_field_errors', patch);
      updateState(state, fs, patch, apiActor());
      return { status: 200, body: serializeValueState(fs) };
    }
    if (
      (m = route('/api/v1/environments/:key/features/:feature/create-segment-override/', req.path)) &&
      req.method === 'POST'
    ) {
      const env = envByKey(m.key);
      const feature = featureById(m.feature);
      if (!env || !feature) return detail(404, 'Not found.');
      if (env.use_v2_feature_versioning) return { status: 400, body: V2_REFUSAL };
      const segId = (body.feature_segment as { segment?: unknown } | undefined)?.segment;
      if (!state.segments.some((s) => s.id === segId)) return invalid('feature_segment', 'Invalid segment.');
      if (body.feature_state_value === undefined) return invalid('feature_state_value', 'This field is required.');
      if (liveFeatureSegments(state, env, feature.id).some((x) => x.segment === segId))
        return invalid('non_field_errors', 'The fields environment, feature, segment must make a unique set.');
      const patch = readPatch(body, feature, false);
      if (typeof patch === 'string') return invalid('non_field_errors', patch);
      const fs = createOverride(
        state,
        env,
        feature,
        segId as number,
        { enabled: patch.enabled ?? false, value: patch.value as FsValue, versionUuid: null },
        apiActor(),
      );
      return { status: 201, body: serializeValueState(fs) };
    }
    if ((m = route('/api/v1/environments/:env/features/:feature/versions/', req.path))) {
      const env = envById(m.env);
      const feature = featureById(m.feature);
      if (!env || !feature) return detail(404, 'Not found.');
      if (req.method === 'GET') {
        const rows = state.versions
          .filter((v) => v.environment === env.id && v.feature === feature.id)
          .reverse()
          .map(serializeVersion);
        return paginate(rows, req, 10);
      }
      if (req.method === 'POST') return createVersion(state, env, feature, body);
    }
    if (
      (m = route('/api/v1/environments/:env/features/:feature/versions/:uuid/featurestates/', req.path)) &&
      req.method === 'GET'
    ) {
      const version = state.versions.find(
        (v) => v.uuid === m?.uuid && v.environment === Number(m?.env) && v.feature === Number(m?.feature),
      );
      if (!version) return detail(404, 'Not found.');
      const rows = state.states
        .filter((s) => s.environment_feature_version === version.uuid)
        .map((s) => {
          const fseg = state.featureSegments.find((x) => x.id === s.feature_segment);
          return {
            ...serializeValueState(s),
            feature_segment: fseg
              ? { id: fseg.id, segment: fseg.segment, priority: fseg.priority, uuid: fseg.uuid }
              : null,
          };
        });
      return { status: 200, body: rows };
    }
    if ((m = route('/api/v1/projects/:project/audit/', req.path)) && req.method === 'GET') {
      if (!projectOk(m.project)) return detail(404, 'Not found.');
      const envIds = q.getAll('environments').map(Number);
      const search = q.get('search')?.toLowerCase();
      const rows = state.audit
        .filter((a) => envIds.length === 0 || (a.environment !== null && envIds.includes(a.environment)))
        .filter((a) => !search || a.log.toLowerCase().includes(search))
        .sort((a, b) => Date.parse(b.created_date) - Date.parse(a.created_date) || b.id - a.id)
        .map((a) => serializeAudit(a, state, false));
      return paginate(rows, req);
    }
    if ((m = route('/api/v1/projects/:project/audit/:id/', req.path)) && req.method === 'GET') {
      const a = state.audit.find((x) => x.id === Number(m?.id));
      return a && projectOk(m.project)
        ? { status: 200, body: serializeAudit(a, state, true) }
        : detail(404, 'Not found.');
    }
    return detail(404, 'Not found.');
  }

  const server = await startFakeHttp(handle);
  return {
    url: server.url,
    token,
    state,
    requests: server.requests,
    inject: server.inject,
    clearInjections: server.clearInjections,
    writes: () => server.requests.filter((r) => r.method !== 'GET' && (r.status ?? 0) >= 200 && (r.status ?? 0) < 300),
    env: (name) => {
      const e = state.environments.find((x) => x.name === name);
      if (!e) throw new Error(`fake Flagsmith: no environment ${name}`);
      return e;
    },
    feature: (name) => {
      const f = state.features.find((x) => x.name === name);
      if (!f) throw new Error(`fake Flagsmith: no feature ${name}`);
      return f;
    },
    enableV2(envName) {
      const env = state.environments.find((x) => x.name === envName);
      if (!env || env.use_v2_feature_versioning) return;
      const at = new Date(Date.now() - 1).toISOString();
      for (const f of state.features) {
        const version = uuid();
        state.versions.push({
          uuid: version,
          environment: env.id,
          feature: f.id,
          created_at: at,
          updated_at: at,
          published: true,
          live_from: at,
          published_by: null,
          created_by: null,
          description: 'v2 migration',
        });
        for (const s of state.states)
          if (s.environment === env.id && s.feature === f.id && s.environment_feature_version === null)
            s.environment_feature_version = version;
        for (const x of state.featureSegments)
          if (x.environment === env.id && x.feature === f.id && x.environment_feature_version === null)
            x.environment_feature_version = version;
      }
      env.use_v2_feature_versioning = true;
    },
    stop: server.stop,
  };
}
