import { route, startFakeHttp, type FakeResponse, type Fault, type Injection, type RecordedRequest } from './fake-http';
import { applyJsonPatch, applySemanticPatch } from './launchdarkly-patch';
import {
  clone,
  flagSpec,
  makeEnvironment,
  makeFlag,
  recordFlagChange,
  specMatches,
  type AuditActor,
  type FlagSeed,
  type LdFlag,
  type LdFlagConfig,
  type LdState,
} from './launchdarkly-state';

/**
 * A local LaunchDarkly REST v2 look-alike for contract tests. It answers with the documented shapes, keeps state (a
 * write is visible on read-back and in the audit log), and validates requests as LaunchDarkly does: the raw access
 * token in `Authorization`, semantic patch only with its Content-Type, JSON Patch `test` → 409, 405 where approvals
 * are required, audit-log `limit` 1–20 with `_links.next` paging. Faults are injected with `inject(...)`.
 */

export interface FakeLaunchDarklyOptions {
  token?: string;
  projectKey?: string;
  environments?: { key: string; name: string }[];
  flags?: FlagSeed[];
  approvalRequired?: string[];
}

export interface FakeLaunchDarkly {
  url: string;
  token: string;
  state: LdState;
  requests: RecordedRequest[];
  inject(injection: Injection): void;
  clearInjections(): void;
  /** A change made by someone else (UI or another tool): bumps versions and writes an audit entry. */
  edit(
    flagKey: string,
    env: string,
    change: (cfg: LdFlagConfig, flag: LdFlag) => void,
    opts?: { at?: number; actor?: AuditActor; comment?: string },
  ): void;
  /** Requests that changed state (PATCH answered 200). */
  writes(): RecordedRequest[];
  stop(): Promise<void>;
}

const SEMANTIC = 'domain-model=launchdarkly.semanticpatch';

export const DEFAULT_LD_FLAGS: FlagSeed[] = [
  {
    key: 'new-checkout',
    name: 'New checkout',
    envs: {
      production: {
        on: true,
        fallthrough: {
          rollout: {
            variations: [
              { variation: 0, weight: 5000 },
              { variation: 1, weight: 95000 },
            ],
            contextKind: 'user',
          },
        },
      },
      staging: { on: false },
    },
  },
  {
    key: 'search-ranker',
    name: 'Search ranker',
    variations: [
      { value: 'classic', name: 'classic' },
      { value: 'bm25', name: 'bm25' },
      { value: 'neural', name: 'neural' },
    ],
    envs: {
      production: {
        on: true,
        offVariation: 0,
        fallthrough: {
          rollout: {
            variations: [
              { variation: 0, weight: 80000 },
              { variation: 1, weight: 10000 },
              { variation: 2, weight: 10000 },
            ],
          },
        },
      },
    },
  },
];

/** Ready-made faults with LaunchDarkly's documented bodies and headers, for `inject({ fault })`. */
export const ldFaults = {
  rateLimited: (resetAtEpochMs: number): Fault => ({
    kind: 'status',
    status: 429,
    body: { code: 'rate_limited', message: 'You have made too many requests' },
    headers: { 'X-Ratelimit-Reset': String(resetAtEpochMs), 'X-Ratelimit-Global-Remaining': '0' },
  }),
  approvalRequired: (): Fault => ({
    kind: 'status',
    status: 405,
    body: { code: 'method_not_allowed', message: 'Approval is required to make this change' },
  }),
  conflict: (): Fault => ({
    kind: 'status',
    status: 409,
    body: { code: 'conflict', message: 'The API request conflicts with a concurrent API request. Retry' },
  }),
  unauthorized: (): Fault => ({
    kind: 'status',
    status: 401,
    body: { code: 'unauthorized', message: 'Invalid access token' },
  }),
  notFound: (): Fault => ({
    kind: 'status',
    status: 404,
    body: { code: 'not_found', message: 'Invalid resource identifier' },
  }),
  serverError: (status = 500): Fault => ({
    kind: 'status',
    status,
    body: { code: 'internal_server_error', message: 'Internal error' },
  }),
};

function err(status: number, code: string, message: string, headers?: Record<string, string>): FakeResponse {
  return { status, body: { code, message, id: `req-${Date.now()}` }, headers };
}

function page<T>(
  items: T[],
  q: URLSearchParams,
  basePath: string,
  defLimit: number,
  maxLimit: number,
): FakeResponse | { slice: T[]; links: Record<string, unknown> } {
  const limit = q.has('limit') ? Number(q.get('limit')) : defLimit;
  const offset = q.has('offset') ? Number(q.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    return err(400, 'invalid_request', `limit must be between 1 and ${maxLimit}`);
  if (!Number.isInteger(offset) || offset < 0)
    return err(400, 'invalid_request', 'offset must be a non-negative integer');
  const slice = items.slice(offset, offset + limit);
  const self = new URLSearchParams(q);
  const links: Record<string, unknown> = { self: { href: `${basePath}?${self}`, type: 'application/json' } };
  if (offset + limit < items.length) {
    const next = new URLSearchParams(q);
    next.set('limit', String(limit));
    next.set('offset', String(offset + limit));
    links.next = { href: `${basePath}?${next}`, type: 'application/json' };
  }
  return { slice, links };
}

function flagView(flag: LdFlag, env: string | null, summary: boolean): Record<string, unknown> {
  const out = clone(flag) as unknown as Record<string, unknown>;
  if (env === null) {
    delete out.environments; // API version 20240415: environments only when filtered by environment
    return out;
  }
  const cfg = clone(flag.environments[env]) as Partial<LdFlagConfig>;
  if (summary) {
    delete cfg.rules;
    delete cfg.targets;
    delete cfg.contextTargets;
    delete cfg.prerequisites;
  }
  out.environments = { [env]: cfg };
  return out;
}

export async function startFakeLaunchDarkly(opts: FakeLaunchDarklyOptions = {}): Promise<FakeLaunchDarkly> {
  const token = opts.token ?? 'api-00000000-fake-ld-token-0000';
  const projectKey = opts.projectKey ?? 'default';
  const state: LdState = {
    projectKey,
    environments: (
      opts.environments ?? [
        { key: 'production', name: 'Production' },
        { key: 'staging', name: 'Staging' },
      ]
    ).map((e) => makeEnvironment(e.key, e.name)),
    flags: [],
    audit: [],
    approvalRequired: new Set(opts.approvalRequired ?? []),
    tokenName: 'rampart-ci',
  };
  state.flags = (opts.flags ?? DEFAULT_LD_FLAGS).map((f) => makeFlag(state, f));
  const envKeys = () => state.environments.map((e) => e.key);
  const findFlag = (key: string) => state.flags.find((f) => f.key === key);

  function handle(req: RecordedRequest): FakeResponse {
    if (req.headers.authorization !== token) return err(401, 'unauthorized', 'Invalid access token');
    const q = req.query;
    let m: Record<string, string> | undefined;

    if ((m = route('/api/v2/projects/:project/environments', req.path)) && req.method === 'GET') {
      if (m.project !== projectKey) return err(404, 'not_found', 'Unknown project');
      const p = page(state.environments, q, req.path, 20, 200);
      if ('status' in p) return p;
      return { status: 200, body: { items: p.slice, totalCount: state.environments.length, _links: p.links } };
    }
    if ((m = route('/api/v2/flags/:project', req.path)) && req.method === 'GET') {
      if (m.project !== projectKey) return err(404, 'not_found', 'Unknown project');
      const env = q.get('env');
      if (env !== null && !envKeys().includes(env)) return err(404, 'not_found', `Unknown environment ${env}`);
      const live = state.flags.filter((f) => !f.archived);
      const p = page(live, q, req.path, 20, 100);
      if ('status' in p) return p;
      const summary = q.get('summary') !== '0' && q.get('summary') !== 'false';
      return {
        status: 200,
        body: { items: p.slice.map((f) => flagView(f, env, summary)), totalCount: live.length, _links: p.links },
      };
    }
    if ((m = route('/api/v2/flags/:project/:flag', req.path))) {
      if (m.project !== projectKey) return err(404, 'not_found', 'Unknown project');
      const flag = findFlag(m.flag);
      if (!flag) return err(404, 'not_found', 'Unknown resource');
      if (req.method === 'GET') {
        const env = q.get('env');
        if (env !== null && !envKeys().includes(env)) return err(404, 'not_found', `Unknown environment ${env}`);
        const view = env === null ? (clone(flag) as unknown as Record<string, unknown>) : flagView(flag, env, false);
        return { status: 200, body: view };
      }
      if (req.method === 'PATCH') return patchFlag(req, flag);
    }
    if (route('/api/v2/auditlog', req.path) && req.method === 'GET') return listAudit(q);
    if ((m = route('/api/v2/auditlog/:id', req.path)) && req.method === 'GET') {
      const entry = state.audit.find((a) => a._id === m?.id);
      return entry ? { status: 200, body: entry } : err(404, 'not_found', 'Unknown resource');
    }
    return err(404, 'not_found', `No route ${req.method} ${req.path}`);
  }

  function patchFlag(req: RecordedRequest, flag: LdFlag): FakeResponse {
    const type = String(req.headers['content-type'] ?? '');
    // One media type only: a doubled header ("…, application/json") is not a semantic patch, nor valid JSON Patch.
    if (!/^application\/json(;\s*domain-model=launchdarkly\.semanticpatch)?$/.test(type)) {
      return err(415, 'unsupported_media_type', `Unsupported Content-Type ${type}`);
    }
    if (req.body === undefined) return err(400, 'invalid_request', 'Request body is not valid JSON');
    const outcome = type.includes(SEMANTIC)
      ? applySemanticPatch(flag, req.body, envKeys())
      : applyJsonPatch(flag, req.body);
    if (!outcome.ok) return err(outcome.status, outcome.code, outcome.message);
    const gated = outcome.envs.find((e) => state.approvalRequired.has(e));
    if (gated)
      return err(
        405,
        'method_not_allowed',
        `Approval is required to change this flag in ${gated}; create an approval request`,
      );
    const previous = clone(flag);
    const next = outcome.flag;
    const now = Date.now();
    next._version = flag._version + 1;
    for (const e of outcome.envs) {
      next.environments[e].version = flag.environments[e].version + 1;
      next.environments[e].lastModified = now;
    }
    state.flags[state.flags.indexOf(flag)] = next;
    for (const e of outcome.envs.length ? outcome.envs : ['*']) {
      recordFlagChange(state, {
        flag: next,
        env: e,
        previous,
        date: now,
        actor: { token: state.tokenName },
        comment: outcome.comment,
        action: outcome.action,
        delta: outcome.delta,
      });
    }
    return { status: 200, body: next };
  }

  function listAudit(q: URLSearchParams): FakeResponse {
    const limit = q.has('limit') ? Number(q.get('limit')) : 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 20)
      return err(400, 'invalid_request', 'limit must be between 1 and 20');
    const before = q.has('before') ? Number(q.get('before')) : Infinity;
    const after = q.has('after') ? Number(q.get('after')) : -Infinity;
    const spec = q.get('spec');
    const text = q.get('q')?.toLowerCase();
    const hits = state.audit
      .filter((a) => a.date < before && a.date > after)
      .filter((a) => !spec || a.target.resources.some((r) => specMatches(spec, r)))
      .filter((a) => !text || a.name.toLowerCase().includes(text) || a.description.toLowerCase().includes(text))
      .sort((x, y) => y.date - x.date);
    const items = hits.slice(0, limit).map((a) => {
      const listing: Record<string, unknown> = { ...a };
      delete listing.delta;
      delete listing.previousVersion;
      delete listing.currentVersion;
      return listing;
    });
    const links: Record<string, unknown> = { self: { href: `/api/v2/auditlog?${q}`, type: 'application/json' } };
    if (hits.length > limit) {
      const next = new URLSearchParams(q);
      next.set('before', String(hits[limit - 1].date));
      links.next = { href: `/api/v2/auditlog?${next}`, type: 'application/json' };
    }
    return { status: 200, body: { items, _links: links } };
  }

  const server = await startFakeHttp(handle);
  return {
    url: server.url,
    token,
    state,
    requests: server.requests,
    inject: server.inject,
    clearInjections: server.clearInjections,
    edit(flagKey, env, change, o = {}) {
      const flag = findFlag(flagKey);
      if (!flag) throw new Error(`fake LaunchDarkly: no flag ${flagKey}`);
      const previous = clone(flag);
      change(flag.environments[env], flag);
      flag._version++;
      flag.environments[env].version++;
      flag.environments[env].lastModified = o.at ?? Date.now();
      recordFlagChange(state, {
        flag,
        env,
        previous,
        date: o.at ?? Date.now(),
        actor: o.actor ?? { member: { _id: 'm1', email: 'alice@example.com', firstName: 'Alice', lastName: 'Ng' } },
        comment: o.comment,
        action: 'updateFlag',
      });
    },
    writes: () => server.requests.filter((r) => r.method !== 'GET' && r.status === 200),
    stop: server.stop,
  };
}

export { flagSpec };
