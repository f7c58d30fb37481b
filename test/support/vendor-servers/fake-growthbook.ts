import { route, startFakeHttp, type FakeResponse, type Fault, type Injection, type RecordedRequest } from './fake-http';
import { gbError, handleDrafts } from './fake-growthbook-drafts';
import {
  clone,
  featureView,
  findFeature,
  liveRevision,
  makeFeature,
  publishNow,
  revisionView,
  type FeatureSeed,
  type GbRule,
  type GbState,
} from './fake-growthbook-state';

/**
 * A local GrowthBook REST API v1 look-alike for contract tests (docs/growthbook.md). Documented shapes and server
 * behaviour: `Authorization: Bearer <secret key>` (or Basic with the key as user), `limit` 1–100 / `offset` paging
 * with `hasMore`/`nextOffset`, errors as `{message}` with 400 for a missing feature, toggles and legacy updates
 * published at once as revisions, drafts that branch, merge or conflict on publish, approvals that refuse, and a
 * server "without the drafts API" (`noDraftsApi`). Faults are injected with `inject(...)` (./fake-http.ts).
 */

export interface FakeGrowthBookOptions {
  token?: string;
  environments?: { id: string; description?: string; projects?: string[] }[];
  features?: FeatureSeed[];
  requireReviews?: string[];
  noDraftsApi?: boolean;
}

export interface FakeGrowthBook {
  url: string;
  token: string;
  state: GbState;
  requests: RecordedRequest[];
  inject(injection: Injection): void;
  clearInjections(): void;
  /** Someone else publishes a change (dashboard user): a new live revision. */
  edit(
    featureId: string,
    env: string,
    change: (rules: GbRule[]) => void,
    opts?: { comment?: string; actor?: string; at?: number },
  ): void;
  /** The live rule list of an environment, as stored (not as the API shows it). */
  rules(featureId: string, env: string): GbRule[];
  /** Requests that changed something (every answered non-GET with 200). */
  writes(): RecordedRequest[];
  stop(): Promise<void>;
}

export const DEFAULT_GB_FEATURES: FeatureSeed[] = [
  {
    id: 'new-checkout',
    description: 'The new checkout flow',
    envs: {
      production: {
        enabled: true,
        rules: [
          { id: 'fr_ramp', type: 'rollout', value: 'true', coverage: 0.05, hashAttribute: 'id', description: '' },
        ],
      },
      staging: {
        enabled: true,
        rules: [
          {
            id: 'fr_qa',
            type: 'force',
            value: 'true',
            condition: '{"email":{"$regex":"@example.com$"}}',
            description: 'QA',
          },
        ],
      },
    },
  },
  {
    id: 'button-color',
    valueType: 'string',
    defaultValue: 'blue',
    envs: {
      production: {
        enabled: true,
        rules: [{ id: 'fr_color', type: 'rollout', value: 'green', coverage: 0.2, hashAttribute: 'id' }],
      },
    },
  },
];

/** Ready-made faults with GrowthBook's documented bodies and headers (express-rate-limit, handler errors). */
export const gbFaults = {
  rateLimited: (resetSeconds: number): Fault => ({
    kind: 'status',
    status: 429,
    body: { message: 'Too many requests, limit to 60 per minute' },
    headers: {
      'Retry-After': String(resetSeconds),
      'RateLimit-Limit': '60',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(resetSeconds),
      'RateLimit-Policy': '60;w=60',
    },
  }),
  serverError: (status = 500): Fault => ({ kind: 'status', status, body: { message: 'Internal server error' } }),
  unauthorized: (): Fault => ({ kind: 'status', status: 401, body: { message: 'Invalid API key' } }),
};

function paginate<T>(items: T[], q: URLSearchParams): { slice: T[]; fields: Record<string, unknown> } | FakeResponse {
  const limit = q.has('limit') ? Number(q.get('limit')) : 10;
  const offset = q.has('offset') ? Number(q.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return gbError(400, 'Pagination limit must be between 1 and 100');
  if (!Number.isInteger(offset) || offset < 0) return gbError(400, 'Invalid pagination offset');
  const slice = items.slice(offset, offset + limit);
  const hasMore = offset + limit < items.length;
  return {
    slice,
    fields: {
      limit,
      offset,
      count: slice.length,
      total: items.length,
      hasMore,
      nextOffset: hasMore ? offset + limit : null,
    },
  };
}

const READ_ONLY_RULE_FIELDS = ['scheduleType', 'rampScheduleId', 'vendorType'];
const TRUE = [true, 'true', '1', 1];

export async function startFakeGrowthBook(opts: FakeGrowthBookOptions = {}): Promise<FakeGrowthBook> {
  const token = opts.token ?? 'secret_fakeGrowthBook0123456789';
  const state: GbState = {
    environments: (opts.environments ?? [{ id: 'production' }, { id: 'staging' }]).map((e) => ({
      id: e.id,
      description: e.description ?? '',
      projects: e.projects ?? [],
    })),
    features: [],
    revisions: [],
    requireReviews: new Set(opts.requireReviews ?? []),
    noDraftsApi: opts.noDraftsApi ?? false,
    nextRuleId: 1,
  };
  state.features = (opts.features ?? DEFAULT_GB_FEATURES).map((s) => makeFeature(state, s));
  const envIds = () => state.environments.map((e) => e.id);

  function authorized(req: RecordedRequest): boolean {
    const h = String(req.headers.authorization ?? '');
    if (h === `Bearer ${token}`) return true;
    return h.startsWith('Basic ') && Buffer.from(h.slice(6), 'base64').toString('utf8').split(':')[0] === token;
  }

  function handle(req: RecordedRequest): FakeResponse {
    if (!req.headers.authorization) return gbError(400, 'Missing Authorization header');
    if (!authorized(req)) return gbError(401, 'Invalid API key');
    let m: Record<string, string> | undefined;
    const body = (req.body ?? {}) as Record<string, unknown>;

    if (req.path === '/api/v1/environments' && req.method === 'GET')
      return {
        status: 200,
        body: {
          environments: clone(state.environments).map((e) => ({ ...e, toggleOnList: true, defaultState: true })),
        },
      };
    if (req.path === '/api/v1/features' && req.method === 'GET') {
      const project = req.query.get('projectId');
      const list = state.features.filter((f) => !project || f.project === project);
      const p = paginate(list, req.query);
      if ('status' in p) return p;
      return { status: 200, body: { features: p.slice.map((f) => featureView(state, f)), ...p.fields } };
    }
    if ((m = route('/api/v1/features/:id/revisions', req.path)) && req.method === 'GET') {
      const f = findFeature(state, m.id);
      if (!f) return gbError(400, 'Could not find a feature with that key');
      const status = req.query.get('status');
      const list = state.revisions
        .filter((r) => r.featureId === f.id && (!status || r.status === status))
        .sort((a, b) => b.version - a.version);
      const p = paginate(list, req.query);
      if ('status' in p) return p;
      return { status: 200, body: { revisions: p.slice.map(revisionView), ...p.fields } };
    }
    const drafts = handleDrafts(state, req);
    if (drafts) return drafts;
    if ((m = route('/api/v1/features/:id', req.path))) {
      const f = findFeature(state, m.id);
      if (!f)
        return gbError(
          400,
          req.method === 'GET' ? 'Could not find a feature with that key' : `Feature id '${m.id}' not found.`,
        );
      if (req.method === 'GET') return { status: 200, body: { feature: featureView(state, f) } };
      if (req.method === 'POST') return legacyUpdate(f.id, body);
    }
    if ((m = route('/api/v1/features/:id/toggle', req.path)) && req.method === 'POST') {
      const f = findFeature(state, m.id);
      if (!f) return gbError(400, 'Could not find a feature with that key');
      const wanted = (body.environments ?? {}) as Record<string, unknown>;
      if (Object.keys(wanted).length === 0) return gbError(400, 'Request body: environments: Required');
      const changed: Record<string, boolean> = {};
      for (const [env, v] of Object.entries(wanted)) {
        if (!envIds().includes(env)) return gbError(400, `Unknown environment: '${env}'`);
        if (f.enabled[env] !== TRUE.includes(v as never)) changed[env] = TRUE.includes(v as never);
      }
      if (Object.keys(changed).some((env) => state.requireReviews.has(env))) {
        return gbError(
          403,
          `This feature requires a review before publishing changes to: ${Object.keys(changed).join(', ')}. Enable 'REST API always bypasses approval requirements' in organization settings.`,
        );
      }
      if (Object.keys(changed).length)
        publishNow(state, f, { enabled: changed, comment: 'Created via REST API', actor: 'API' });
      return { status: 200, body: { feature: featureView(state, f) } };
    }
    return gbError(404, 'Unknown API endpoint');
  }

  /** `POST /api/v1/features/{id}`: environments' rules replaced as given and published at once (no comment field). */
  function legacyUpdate(id: string, body: Record<string, unknown>): FakeResponse {
    const f = findFeature(state, id);
    if (!f) return gbError(400, `Feature id '${id}' not found.`);
    const envs = (body.environments ?? {}) as Record<string, { enabled?: boolean; rules?: GbRule[] }>;
    const rules: Record<string, GbRule[]> = {};
    for (const [env, settings] of Object.entries(envs)) {
      if (!envIds().includes(env)) return gbError(400, `Unknown environment: '${env}'`);
      for (const r of settings.rules ?? []) {
        const bad = Object.keys(r).find((k) => READ_ONLY_RULE_FIELDS.includes(k));
        if (bad) return gbError(400, `Request body: environments.${env}.rules: Unrecognized key: "${bad}"`);
        if (r.type === 'safe-rollout') return gbError(400, `Request body: environments.${env}.rules: Invalid input`);
      }
      if (settings.rules) rules[env] = settings.rules.map((r) => ({ ...r, id: r.id ?? `fr_${state.nextRuleId++}` }));
    }
    if (Object.keys(rules).some((env) => state.requireReviews.has(env))) {
      return gbError(
        403,
        'This feature requires a review and the API key being used does not have permission to bypass reviews.',
      );
    }
    const changed = Object.keys(rules).filter(
      (env) => JSON.stringify(rules[env]) !== JSON.stringify(liveRevision(state, f).rules[env]),
    );
    if (changed.length)
      publishNow(state, f, {
        rules: Object.fromEntries(changed.map((e) => [e, rules[e]])),
        comment: 'Created via REST API',
        actor: 'API',
      });
    return { status: 200, body: { feature: featureView(state, f) } };
  }

  const server = await startFakeHttp(handle);
  return {
    url: server.url,
    token,
    state,
    requests: server.requests,
    inject: server.inject,
    clearInjections: server.clearInjections,
    edit(featureId, env, change, o = {}) {
      const f = findFeature(state, featureId);
      if (!f) throw new Error(`fake GrowthBook: no feature ${featureId}`);
      const rules = clone(liveRevision(state, f).rules[env] ?? []);
      change(rules);
      publishNow(state, f, {
        rules: { [env]: rules },
        comment: o.comment ?? 'edited in the dashboard',
        actor: o.actor ?? 'Alice Ng',
        at: o.at,
      });
    },
    rules(featureId, env) {
      const f = findFeature(state, featureId);
      if (!f) throw new Error(`fake GrowthBook: no feature ${featureId}`);
      return clone(liveRevision(state, f).rules[env] ?? []);
    },
    writes: () => server.requests.filter((r) => r.method !== 'GET' && r.status === 200),
    stop: server.stop,
  };
}
