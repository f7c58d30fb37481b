import { changeLabel, type ChangeState, type FlagChange } from '../../../shared/domain/flags';
import type { HistoryRange } from '../flag-store';
import type { LdClient } from './ld-client';
import { LdAuditDetail, LdAuditPage, LdFlag, type LdAuditEntry } from './ld-schemas';
import { envStateOf } from './ld-state';

/**
 * Flag history from LaunchDarkly's audit log: `GET /api/v2/auditlog?spec=proj/<p>:env/<e>:flag/<f>&after&before&limit`
 * (newest first, `_links.next` to page back), then `GET /api/v2/auditlog/{id}` per entry for `previousVersion` /
 * `currentVersion` (whole-flag snapshots), which give old → new for `on` and the fallthrough exposure.
 */

const PAGE_LIMIT = 20; // the documented maximum

/** `proj/default:env/production:flag/new-checkout` → its parts. */
export function parseSpec(spec: string): { env?: string; flag?: string } {
  const out: { env?: string; flag?: string } = {};
  for (const part of spec.split(':')) {
    const [type, name] = part.split(';')[0].split('/', 2);
    if (type === 'env') out.env = name;
    if (type === 'flag') out.flag = name;
  }
  return out;
}

export function actorOf(e: LdAuditEntry): string | undefined {
  if (e.member) {
    const name = [e.member.firstName, e.member.lastName].filter(Boolean).join(' ');
    return e.member.email ?? (name || undefined);
  }
  if (e.token?.name) return `token ${e.token.name}`;
  if (e.app?.name) return `app ${e.app.name}`;
  return undefined;
}

function snapshot(v: unknown): LdFlag | undefined {
  const r = LdFlag.safeParse(v);
  return r.success ? r.data : undefined;
}

function stateIn(flag: LdFlag | undefined, env: string): ChangeState | null {
  const cfg = flag?.environments?.[env];
  if (!flag || !cfg) return null;
  const s = envStateOf(flag, cfg);
  return { enabled: s.enabled, exposure: s.exposure };
}

/** One audit entry → the changes it made in `env`: on/off and exposure separately, else targeting / other. */
export function changesFromEntry(connectionId: string, e: LdAuditDetail, flagKey: string, env: string): FlagChange[] {
  const before = snapshot(e.previousVersion);
  const after = snapshot(e.currentVersion);
  const from = stateIn(before, env);
  const to = stateIn(after, env);
  const base = {
    connectionId,
    flagKey,
    env,
    at: e.date,
    actor: actorOf(e),
    ...(e.comment ? { comment: e.comment } : {}),
    source: 'vendor' as const,
  };
  const make = (
    kind: FlagChange['kind'],
    f: ChangeState | null,
    t: ChangeState | null,
    label?: string,
  ): FlagChange => ({
    ...base,
    id: `${connectionId}:${e._id}:${kind}`,
    kind,
    from: f,
    to: t,
    label: label ?? changeLabel(kind, f, t),
  });
  const text = e.shortDescription || e.titleVerb || e.description || 'changed';
  if (!before && after) return [make('created', null, to)];
  if (before && after && !before.archived && after.archived) return [make('archived', from, to)];
  const out: FlagChange[] = [];
  if (from && to && from.enabled !== to.enabled)
    out.push(make('enabled', { enabled: from.enabled }, { enabled: to.enabled }));
  if (from && to && from.exposure !== to.exposure)
    out.push(make('exposure', { exposure: from.exposure }, { exposure: to.exposure }));
  if (out.length) return out;
  const cfgBefore = before?.environments?.[env];
  const cfgAfter = after?.environments?.[env];
  if (
    cfgBefore &&
    cfgAfter &&
    JSON.stringify([cfgBefore.rules, cfgBefore.targets, cfgBefore.contextTargets]) !==
      JSON.stringify([cfgAfter.rules, cfgAfter.targets, cfgAfter.contextTargets])
  ) {
    return [make('targeting', null, { targeting: text }, `targeting: ${text}`)];
  }
  return [make('other', null, null, text)];
}

export async function ldHistory(
  client: LdClient,
  connectionId: string,
  projectKey: string,
  range: HistoryRange,
): Promise<FlagChange[]> {
  const spec = `proj/${projectKey}:env/${range.env ?? '*'}:flag/${range.flagKey ?? '*'}`;
  // `after`/`before` are exclusive in LaunchDarkly; widen by 1 ms so the range is inclusive.
  const q = new URLSearchParams({
    spec,
    after: String(range.from - 1),
    before: String(range.to + 1),
    limit: String(PAGE_LIMIT),
  });
  const entries = await client.allPages(`/api/v2/auditlog?${q}`, LdAuditPage, (items) =>
    items.some((i) => i.date < range.from),
  );

  const seen = new Set<string>();
  const changes: FlagChange[] = [];
  for (const entry of entries) {
    if (seen.has(entry._id) || entry.date < range.from || entry.date > range.to) continue;
    seen.add(entry._id);
    if (entry.kind && entry.kind !== 'flag') continue;
    const resources = entry.target?.resources ?? entry.accesses?.map((a) => a.resource ?? '') ?? [];
    const targets = resources.map(parseSpec).filter((r): r is { env: string; flag: string } => !!r.env && !!r.flag);
    const relevant = targets.filter(
      (t) => (!range.flagKey || t.flag === range.flagKey) && (!range.env || t.env === range.env),
    );
    if (relevant.length === 0) continue;
    const detail = await client.get(`/api/v2/auditlog/${encodeURIComponent(entry._id)}`, LdAuditDetail);
    for (const t of relevant) changes.push(...changesFromEntry(connectionId, detail, t.flag, t.env));
  }
  return changes.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}
