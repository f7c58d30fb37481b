import { changeLabel, type ChangeState, type FlagChange } from '../../../shared/domain/flags';
import type { HistoryRange } from '../flag-store';
import type { FsClient } from './fs-client';
import { readVersion, type SegmentLookup } from './fs-read';
import { FsAuditDetail, FsAuditEntry, FsVersion, paged, type FsEnvironment, type FsFeature } from './fs-schemas';
import { envStateOf, formatSplit } from './fs-state';

/**
 * Flag history from Flagsmith's audit log (`/api/v1/projects/{id}/audit/`, newest first, no time filter: paged back
 * until past the window). Old → new comes from the entry detail's `change_details` (feature-state `enabled`), or,
 * for a v2 environment's "New version published", from comparing that version's states with the previous one.
 * A segment edit ("Segment updated: …") keeps no rule values in Flagsmith's log, so a ramp-segment change is shown
 * as an exposure change whose new value is known only for the latest edit (it is the current split).
 */

const AuditPage = paged(FsAuditEntry);
const VersionPage = paged(FsVersion);

export interface RampSegmentUse {
  flagKey: string;
  env: FsEnvironment;
  split: number;
}

export interface HistoryCtx {
  client: FsClient;
  connectionId: string;
  projectId: number;
  envs: FsEnvironment[];
  features: FsFeature[];
  /** Ramp segments (by segment id) and where they ramp, from the current configuration. */
  rampSegments: Map<number, RampSegmentUse[]>;
  segment: SegmentLookup;
}

const PATTERNS: [RegExp, string][] = [
  [/^Flag state updated for feature: (.+)$/, 'state'],
  [/^Flag state \/ Remote config value updated for feature '(.+)' and segment '(.+)'$/, 'override-state'],
  [/^Segment override created for feature '(.+)' and segment '(.+)'$/, 'override-created'],
  [/^Flag state \/ Remote config value deleted for feature '(.+)' and segment '(.+)'$/, 'override-deleted'],
  [/^New version published for feature: (.+)$/, 'version'],
  [/^New Flag \/ Remote Config created: (.+)$/, 'created'],
  [/^Flag \/ Remote Config Deleted: (.+)$/, 'deleted'],
  [/^Segment updated: (.+)$/, 'segment'],
];

export function classifyLog(log: string): { kind: string; feature?: string; segment?: string } {
  for (const [re, kind] of PATTERNS) {
    const m = re.exec(log);
    if (m) return kind === 'segment' ? { kind, segment: m[1] } : { kind, feature: m[1], segment: m[2] };
  }
  const feature = /for feature:? '?([^']+?)'?(?: by |$)/.exec(log)?.[1];
  return { kind: 'other', feature };
}

export function fsActorOf(e: FsAuditEntry): string | undefined {
  if (!e.author) return undefined; // Admin API key writes carry no author in Flagsmith's audit log
  const name = [e.author.first_name, e.author.last_name].filter(Boolean).join(' ');
  return e.author.email || name || undefined;
}

const onOff = (b: unknown) => (b ? 'on' : 'off');

export async function fsHistory(ctx: HistoryCtx, range: HistoryRange, onlyEnv?: FsEnvironment): Promise<FlagChange[]> {
  const pastWindow = (items: FsAuditEntry[]) => items.some((i) => Date.parse(i.created_date) < range.from);
  const q = new URLSearchParams();
  if (onlyEnv) q.set('environments', String(onlyEnv.id));
  if (range.flagKey) q.set('search', range.flagKey);
  const entries = await ctx.client.all(`/api/v1/projects/${ctx.projectId}/audit/?${q}`, AuditPage, pastWindow);
  // Segment edits have no environment and do not name the flag: ask for them separately when a ramp segment exists.
  if (ctx.rampSegments.size > 0) {
    entries.push(
      ...(await ctx.client.all(
        `/api/v1/projects/${ctx.projectId}/audit/?search=${encodeURIComponent('Segment updated: ')}`,
        AuditPage,
        pastWindow,
      )),
    );
  }
  const latestSegmentEdit = new Map<number, number>();
  for (const e of entries) {
    if (e.related_object_type === 'SEGMENT' && e.related_object_id != null)
      latestSegmentEdit.set(e.related_object_id, Math.max(latestSegmentEdit.get(e.related_object_id) ?? 0, e.id));
  }

  const out: FlagChange[] = [];
  const seen = new Set<number>();
  const versionLists = new Map<string, Promise<{ uuid: string }[]>>();
  for (const e of entries) {
    const at = Date.parse(e.created_date);
    if (seen.has(e.id) || at < range.from || at > range.to) continue;
    seen.add(e.id);
    const c = classifyLog(e.log);
    const base = { connectionId: ctx.connectionId, at, actor: fsActorOf(e), source: 'vendor' as const };

    if (c.kind === 'segment') {
      for (const use of (e.related_object_id != null && ctx.rampSegments.get(e.related_object_id)) || []) {
        if ((range.flagKey && use.flagKey !== range.flagKey) || (onlyEnv && use.env.id !== onlyEnv.id)) continue;
        const latest = latestSegmentEdit.get(e.related_object_id as number) === e.id;
        out.push({
          ...base,
          id: `${ctx.connectionId}:${e.id}:${use.flagKey}:${use.env.api_key}`,
          flagKey: use.flagKey,
          env: use.env.api_key,
          kind: 'exposure',
          from: null,
          to: latest ? { exposure: use.split } : null,
          label: latest
            ? `rollout → ${formatSplit(use.split)}% (segment '${c.segment}')`
            : `rollout changed (segment '${c.segment}'; Flagsmith keeps no earlier split)`,
        });
      }
      continue;
    }
    const feature = ctx.features.find((f) => f.name === c.feature);
    if (!c.feature || (range.flagKey && c.feature !== range.flagKey)) continue;
    const env = ctx.envs.find((x) => x.id === e.environment?.id) ?? onlyEnv;
    const envKey = env?.api_key ?? '*';
    const make = (
      kind: FlagChange['kind'],
      from: ChangeState | null,
      to: ChangeState | null,
      label?: string,
    ): FlagChange => ({
      ...base,
      id: `${ctx.connectionId}:${e.id}:${kind}`,
      flagKey: c.feature as string,
      env: envKey,
      kind,
      from,
      to,
      label: label ?? changeLabel(kind, from, to),
    });

    if (c.kind === 'state' || c.kind === 'override-state') {
      const detail = await ctx.client.get(`/api/v1/projects/${ctx.projectId}/audit/${e.id}/`, FsAuditDetail);
      const enabled = detail.change_details.find((d) => d.field === 'enabled');
      const isRamp =
        c.kind === 'state' ||
        [...ctx.rampSegments.values()].flat().some((u) => u.flagKey === c.feature && u.env.id === env?.id);
      if (enabled && isRamp) {
        const suffix = c.kind === 'override-state' ? ` (segment '${c.segment}')` : '';
        out.push(
          make(
            'enabled',
            { enabled: !!enabled.old },
            { enabled: !!enabled.new },
            `${onOff(enabled.old)} → ${onOff(enabled.new)}${suffix}`,
          ),
        );
      } else if (enabled)
        out.push(
          make(
            'targeting',
            null,
            { targeting: `segment '${c.segment}' ${onOff(enabled.new)}` },
            `targeting: segment '${c.segment}' ${onOff(enabled.old)} → ${onOff(enabled.new)}`,
          ),
        );
      else out.push(make('other', null, null, e.log));
    } else if (c.kind === 'version' && env && feature && e.related_object_uuid) {
      out.push(...(await versionChanges(ctx, env, feature, e.related_object_uuid, versionLists, make)));
    } else if (c.kind === 'override-created' || c.kind === 'override-deleted') {
      const verb = c.kind === 'override-created' ? 'added' : 'removed';
      out.push(
        make(
          'targeting',
          null,
          { targeting: `segment override '${c.segment}' ${verb}` },
          `targeting: segment override '${c.segment}' ${verb}`,
        ),
      );
    } else if (c.kind === 'created') out.push(make('created', null, null));
    else if (c.kind === 'deleted') out.push(make('archived', null, null, 'deleted'));
    else out.push(make('other', null, null, e.log));
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

type Make = (kind: FlagChange['kind'], from: ChangeState | null, to: ChangeState | null, label?: string) => FlagChange;

/** What a published v2 version changed: its states against the version published before it. */
async function versionChanges(
  ctx: HistoryCtx,
  env: FsEnvironment,
  feature: FsFeature,
  uuid: string,
  lists: Map<string, Promise<{ uuid: string }[]>>,
  make: Make,
): Promise<FlagChange[]> {
  const key = `${env.id}:${feature.id}`;
  if (!lists.has(key)) {
    const list = ctx.client
      .all(`/api/v1/environments/${env.id}/features/${feature.id}/versions/`, VersionPage)
      .then((vs) =>
        vs
          .filter((v) => v.published !== false && v.live_from)
          .sort((a, b) => Date.parse(b.live_from ?? '') - Date.parse(a.live_from ?? '')),
      );
    lists.set(key, list);
  }
  const versions = (await lists.get(key)) ?? [];
  const idx = versions.findIndex((v) => v.uuid === uuid);
  const previous = idx >= 0 ? versions[idx + 1] : undefined;
  if (!previous) return [make('other', null, null, 'new version published')];
  const [after, before] = await Promise.all([
    readVersion(ctx.client, env, feature, uuid, ctx.segment),
    readVersion(ctx.client, env, feature, previous.uuid, ctx.segment),
  ]);
  const a = envStateOf(after);
  const b = envStateOf(before);
  const out: FlagChange[] = [];
  if (a.enabled !== b.enabled) out.push(make('enabled', { enabled: b.enabled }, { enabled: a.enabled }));
  if (a.exposure !== b.exposure) out.push(make('exposure', { exposure: b.exposure }, { exposure: a.exposure }));
  if (out.length === 0 && a.targeting !== b.targeting)
    out.push(make('targeting', null, { targeting: a.targeting ?? 'none' }));
  return out.length ? out : [make('other', null, null, 'new version published')];
}
