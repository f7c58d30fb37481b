import { route, startFakeHttp, type FakeHttpServer, type FakeResponse, type RecordedRequest } from './fake-http';

/**
 * A minimal Unleash 6 admin API for the security tests: enough for list / get / history / ramp / rollback, and it
 * REQUIRES one of the accepted tokens in `Authorization` (Unleash takes it raw) — so a flow that works proves the
 * token really travelled, and a flow against a revoked token gets Unleash's 401. Its error bodies never echo the
 * token (Unleash's do not either), so any token found in Rampart's output came from Rampart.
 */
export interface FakeUnleash {
  url: string;
  requests: RecordedRequest[];
  /** Replace the accepted tokens (e.g. [] to revoke everything); read-only tokens get 403 on writes. */
  acceptTokens(tokens: string[], opts?: { readOnly?: boolean }): void;
  rollout(flagKey: string, env: string): number | undefined;
  stop(): Promise<void>;
}

interface Strategy {
  id: string;
  name: string;
  parameters: Record<string, string>;
  constraints: unknown[];
  segments: number[];
  variants: unknown[];
  disabled: boolean;
  sortOrder: number;
}
interface Env {
  name: string;
  enabled: boolean;
  strategies: Strategy[];
}

export async function startFakeUnleash(opts: {
  tokens: string[];
  project?: string;
  flags?: string[];
}): Promise<FakeUnleash> {
  let tokens = new Set(opts.tokens);
  let readOnly = false;
  const project = opts.project ?? 'default';
  const envNames = ['development', 'production'];
  const flags = new Map<string, Env[]>();
  for (const [i, key] of (opts.flags ?? ['checkout-v2', 'search-ranker']).entries()) {
    flags.set(
      key,
      envNames.map((name) => ({
        name,
        enabled: name === 'production',
        strategies: [
          {
            id: `${key}-${name}-rollout`,
            name: 'flexibleRollout',
            parameters: { rollout: String(10 + i * 15), stickiness: 'default', groupId: key },
            constraints: [],
            segments: [],
            variants: [],
            disabled: false,
            sortOrder: 0,
          },
        ],
      })),
    );
  }

  const json = (status: number, body?: unknown): FakeResponse => ({ status, body });
  const notFound = (what: string) => json(404, { name: 'NotFoundError', message: `Could not find ${what}` });

  function handle(req: RecordedRequest): FakeResponse {
    const given = req.headers.authorization;
    if (!given || !tokens.has(given)) {
      // The shape Unleash answers a missing or wrong API token with; the token itself is not repeated.
      return json(401, {
        name: 'AuthenticationRequired',
        message: 'You must log in to use Unleash. Your request had no authorization header, or an invalid one.',
      });
    }
    if (readOnly && req.method !== 'GET') {
      return json(403, {
        name: 'NoAccessError',
        message: 'You need permission=UPDATE_FEATURE_STRATEGY to perform this action',
      });
    }
    let m: Record<string, string> | undefined;
    if ((m = route('/api/admin/environments/project/:project', req.path)) && req.method === 'GET') {
      if (m.project !== project) return notFound(`project ${m.project}`);
      return json(200, {
        version: 1,
        environments: envNames.map((name, i) => ({ name, enabled: true, sortOrder: i + 1 })),
      });
    }
    if (req.path === '/api/admin/search/features' && req.method === 'GET') {
      return json(200, { features: [...flags.keys()].map((name) => ({ name, project })), total: flags.size });
    }
    if (req.path === '/api/admin/search/events' || req.path === '/api/admin/events') {
      return json(200, { events: [], total: 0 });
    }
    if ((m = route('/api/admin/projects/:project/features/:flag', req.path)) && req.method === 'GET') {
      const envs = flags.get(m.flag);
      if (m.project !== project || !envs) return notFound(`feature ${m.flag}`);
      return json(200, { name: m.flag, project, description: null, archived: false, environments: envs });
    }
    if (
      (m = route('/api/admin/projects/:project/features/:flag/environments/:env', req.path)) &&
      req.method === 'GET'
    ) {
      const env = flags.get(m.flag)?.find((e) => e.name === m?.env);
      return env ? json(200, env) : notFound(`environment ${m.env}`);
    }
    if (
      (m = route('/api/admin/projects/:project/features/:flag/environments/:env/strategies/:id', req.path)) &&
      req.method === 'PATCH'
    ) {
      const strategy = flags
        .get(m.flag)
        ?.find((e) => e.name === m?.env)
        ?.strategies.find((s) => s.id === m?.id);
      if (!strategy) return notFound(`strategy ${m.id}`);
      const ops = Array.isArray(req.body) ? (req.body as { op: string; path: string; value: unknown }[]) : [];
      for (const op of ops) {
        if (op.op !== 'replace' || op.path !== '/parameters/rollout' || typeof op.value !== 'string')
          return json(400, { name: 'BadDataError', message: 'unsupported patch' });
        strategy.parameters.rollout = op.value;
      }
      return json(200, strategy);
    }
    if (
      (m = route('/api/admin/projects/:project/features/:flag/environments/:env/:onoff', req.path)) &&
      req.method === 'POST'
    ) {
      const env = flags.get(m.flag)?.find((e) => e.name === m?.env);
      if (!env || (m.onoff !== 'on' && m.onoff !== 'off')) return notFound(req.path);
      env.enabled = m.onoff === 'on';
      return { status: 200 };
    }
    return notFound(`${req.method} ${req.path}`);
  }

  const server: FakeHttpServer = await startFakeHttp(handle);
  return {
    url: server.url,
    requests: server.requests,
    acceptTokens(next, o) {
      tokens = new Set(next);
      readOnly = o?.readOnly === true;
    },
    rollout(flagKey, env) {
      const raw = flags.get(flagKey)?.find((e) => e.name === env)?.strategies[0]?.parameters.rollout;
      return raw === undefined ? undefined : Number(raw);
    },
    stop: server.stop,
  };
}
