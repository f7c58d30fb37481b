/**
 * State of the fake LaunchDarkly: environments, flags and the audit log, in the documented REST v2 shapes
 * (launchdarkly/api-client-typescript docs/FeatureFlag.md, FeatureFlagConfig.md, Rollout.md, Environment.md,
 * AuditLogEntryListingRep.md, AuditLogEntryRep.md). Flags refer to variations by INDEX; semantic patch by `_id`.
 */

export interface LdVariation {
  _id: string;
  value: unknown;
  name?: string;
}

export interface LdRollout {
  variations: { variation: number; weight: number }[];
  bucketBy?: string;
  contextKind?: string;
  seed?: number;
}

export interface LdFlagConfig {
  on: boolean;
  archived: boolean;
  salt: string;
  sel: string;
  lastModified: number;
  version: number;
  targets: { values: string[]; variation: number; contextKind?: string }[];
  contextTargets: { values: string[]; variation: number; contextKind?: string }[];
  rules: { _id: string; clauses: unknown[]; variation?: number; rollout?: LdRollout; description?: string }[];
  fallthrough: { variation?: number; rollout?: LdRollout };
  offVariation?: number;
  prerequisites: { key: string; variation: number }[];
  _site: { href: string; type: string };
  _environmentName: string;
  trackEvents: boolean;
  trackEventsFallthrough: boolean;
}

export interface LdFlag {
  key: string;
  name: string;
  kind: 'boolean' | 'multivariate';
  description: string;
  _version: number;
  creationDate: number;
  variations: LdVariation[];
  temporary: boolean;
  tags: string[];
  archived: boolean;
  _links: Record<string, { href: string; type: string }>;
  customProperties: Record<string, unknown>;
  experiments: { baselineIdx: number; items: unknown[] };
  environments: Record<string, LdFlagConfig>;
}

export interface LdEnvironment {
  _id: string;
  key: string;
  name: string;
  /** The SDK and mobile keys are secrets in real LaunchDarkly; the adapter must never surface them. */
  apiKey: string;
  mobileKey: string;
  color: string;
  defaultTtl: number;
  secureMode: boolean;
  defaultTrackEvents: boolean;
  requireComments: boolean;
  confirmChanges: boolean;
  tags: string[];
  critical: boolean;
  _links: Record<string, { href: string; type: string }>;
}

export interface LdMember {
  _id: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

export interface LdAuditEntry {
  _id: string;
  _accountId: string;
  _links: Record<string, { href: string; type: string }>;
  date: number;
  accesses: { action: string; resource: string }[];
  kind: string;
  name: string;
  description: string;
  shortDescription: string;
  comment?: string;
  member?: LdMember & { _links: Record<string, unknown> };
  token?: { _id: string; name: string; serviceToken: boolean };
  titleVerb: string;
  title: string;
  target: { name: string; resources: string[] };
  // Detail-only fields (GET /api/v2/auditlog/{id}).
  delta?: unknown;
  previousVersion?: unknown;
  currentVersion?: unknown;
}

export interface LdState {
  projectKey: string;
  environments: LdEnvironment[];
  flags: LdFlag[];
  audit: LdAuditEntry[];
  /** Environments where changes need an approval request (PATCH answers 405). */
  approvalRequired: Set<string>;
  /** Name the audit log shows for changes made with the access token. */
  tokenName: string;
}

let idCounter = 0;
export function fakeId(prefix: string): string {
  idCounter++;
  return `${prefix}${idCounter.toString(16).padStart(8, '0')}-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function makeEnvironment(key: string, name: string): LdEnvironment {
  return {
    _id: fakeId('e'),
    key,
    name,
    apiKey: `sdk-${fakeId('')}`,
    mobileKey: `mob-${fakeId('')}`,
    color: '417505',
    defaultTtl: 0,
    secureMode: false,
    defaultTrackEvents: false,
    requireComments: false,
    confirmChanges: false,
    tags: [],
    critical: key === 'production',
    _links: { self: { href: `/api/v2/projects/default/environments/${key}`, type: 'application/json' } },
  };
}

export function makeConfig(env: LdEnvironment, cfg: Partial<LdFlagConfig>): LdFlagConfig {
  return {
    on: false,
    archived: false,
    salt: 'c2FsdA==',
    sel: 'sel',
    lastModified: Date.now(),
    version: 1,
    targets: [],
    contextTargets: [],
    rules: [],
    fallthrough: { variation: 0 },
    prerequisites: [],
    _site: { href: `/default/${env.key}/features/x`, type: 'text/html' },
    _environmentName: env.name,
    trackEvents: false,
    trackEventsFallthrough: false,
    ...cfg,
  };
}

export interface FlagSeed {
  key: string;
  name?: string;
  variations?: { value: unknown; name?: string }[];
  /** Per environment key: the parts of the config to set. Environments not listed get an "off" config. */
  envs?: Record<string, Partial<LdFlagConfig>>;
}

/** A flag in the documented shape. Boolean flags list `true` first, as LaunchDarkly creates them. */
export function makeFlag(state: Pick<LdState, 'environments' | 'projectKey'>, seed: FlagSeed): LdFlag {
  const variations = (seed.variations ?? [{ value: true }, { value: false }]).map((v) => ({ _id: fakeId('v'), ...v }));
  const boolean = variations.length === 2 && variations.every((v) => typeof v.value === 'boolean');
  const environments: Record<string, LdFlagConfig> = {};
  for (const env of state.environments) {
    const offIdx = boolean ? variations.findIndex((v) => v.value === false) : 0;
    environments[env.key] = makeConfig(env, {
      offVariation: offIdx,
      fallthrough: { variation: offIdx },
      ...seed.envs?.[env.key],
    });
  }
  return {
    key: seed.key,
    name: seed.name ?? seed.key,
    kind: boolean ? 'boolean' : 'multivariate',
    description: '',
    _version: 1,
    creationDate: Date.now() - 86_400_000,
    variations,
    temporary: true,
    tags: [],
    archived: false,
    _links: { self: { href: `/api/v2/flags/${state.projectKey}/${seed.key}`, type: 'application/json' } },
    customProperties: {},
    experiments: { baselineIdx: 0, items: [] },
    environments,
  };
}

export function flagSpec(projectKey: string, env: string | undefined, flagKey: string): string {
  return env ? `proj/${projectKey}:env/${env}:flag/${flagKey}` : `proj/${projectKey}:flag/${flagKey}`;
}

/** Resource specifier match with `*` wildcards per name (tags after `;` are ignored). */
export function specMatches(pattern: string, resource: string): boolean {
  const parts = (s: string) => s.split(':').map((p) => p.split(';')[0]);
  const pp = parts(pattern);
  const rp = parts(resource);
  if (pp.length !== rp.length) return false;
  return pp.every((p, i) => {
    const re = new RegExp(
      `^${p
        .split('*')
        .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return re.test(rp[i]);
  });
}

export interface AuditActor {
  member?: LdMember;
  token?: string;
}

/** Appends an audit entry for a change of `flag` in `env` (previous/current are whole-flag snapshots). */
export function recordFlagChange(
  state: LdState,
  p: {
    flag: LdFlag;
    env: string;
    previous: LdFlag;
    date: number;
    actor: AuditActor;
    comment?: string;
    action: string;
    delta?: unknown;
  },
): LdAuditEntry {
  const spec = flagSpec(state.projectKey, p.env, p.flag.key);
  const who = p.actor.member ? p.actor.member.email : (p.actor.token ?? 'someone');
  const entry: LdAuditEntry = {
    _id: fakeId('a'),
    _accountId: 'acct-1',
    _links: { self: { href: '', type: 'application/json' } },
    date: p.date,
    accesses: [{ action: p.action, resource: spec }],
    kind: 'flag',
    name: p.flag.name,
    description: `- ${p.action} in ${p.env}`,
    shortDescription: p.action,
    ...(p.comment ? { comment: p.comment } : {}),
    ...(p.actor.member ? { member: { ...p.actor.member, _links: {} } } : {}),
    ...(p.actor.token ? { token: { _id: 't1', name: p.actor.token, serviceToken: false } } : {}),
    titleVerb: 'changed the flag',
    title: `${who} changed the flag ${p.flag.name} in ${p.env}`,
    target: { name: p.flag.name, resources: [spec] },
    ...(p.delta !== undefined ? { delta: p.delta } : {}),
    previousVersion: clone(p.previous),
    currentVersion: clone(p.flag),
  };
  entry._links.self.href = `/api/v2/auditlog/${entry._id}`;
  state.audit.push(entry);
  return entry;
}

/**
 * Validates a flag after a patch, as LaunchDarkly rejects an invalid result: every `variation` index in range, a
 * fallthrough with exactly one of `variation` or `rollout`, rollout weights integers 0–100000 that sum to 100000.
 */
export function validateFlag(flag: LdFlag): string | undefined {
  const n = flag.variations.length;
  const validIdx = (i: unknown) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n;
  for (const [envKey, cfg] of Object.entries(flag.environments)) {
    if (typeof cfg.on !== 'boolean') return `environments.${envKey}.on must be a boolean`;
    const ft = cfg.fallthrough as { variation?: unknown; rollout?: LdRollout } | undefined;
    if (!ft || typeof ft !== 'object') return `environments.${envKey}.fallthrough is required`;
    const hasVar = ft.variation !== undefined && ft.variation !== null;
    const hasRollout = ft.rollout !== undefined && ft.rollout !== null;
    if (hasVar === hasRollout)
      return `environments.${envKey}.fallthrough must have exactly one of variation or rollout`;
    if (hasVar && !validIdx(ft.variation))
      return `environments.${envKey}.fallthrough.variation is not a variation index`;
    if (hasRollout) {
      const vs = ft.rollout?.variations;
      if (!Array.isArray(vs) || vs.length === 0)
        return `environments.${envKey}.fallthrough.rollout.variations is required`;
      let sum = 0;
      for (const v of vs) {
        if (!validIdx(v.variation)) return `rollout variation ${String(v.variation)} is not a variation index`;
        if (!Number.isInteger(v.weight) || v.weight < 0 || v.weight > 100000)
          return `rollout weight ${String(v.weight)} must be an integer 0-100000`;
        sum += v.weight;
      }
      if (sum !== 100000) return `rollout weights sum to ${sum}, not 100000`;
    }
    if (cfg.offVariation !== undefined && !validIdx(cfg.offVariation))
      return `environments.${envKey}.offVariation is not a variation index`;
  }
  return undefined;
}
