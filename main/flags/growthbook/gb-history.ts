import { changeLabel, type ChangeState, type FlagChange } from '../../../shared/domain/flags';
import { RampartError } from '../../../shared/errors';
import { pathOf, type VendorClient } from '../../net/vendor-client';
import type { HistoryRange } from '../flag-store';
import { isUnknownEndpoint, VENDOR } from './gb-client';
import { GbRevisionsPage, type GbFeature, type GbRevision } from './gb-schemas';
import { exposureOf, rampOf } from './gb-state';

/**
 * Flag history from GrowthBook's revisions (docs/growthbook.md "History"): `GET /api/v1/features/{id}/revisions`,
 * newest first, paged by offset, each a whole snapshot of the rules per environment. Consecutive PUBLISHED
 * revisions are compared per environment: the ramp's coverage gives old → new exposure, `environmentsEnabled`
 * (recorded by servers that keep toggles as revisions) gives on/off, any other rule change is targeting. A
 * revision's `date` is when its draft was created (v1 has no publish date), which for Rampart's own draft-and-
 * publish is the same moment. Ids are `<connection>:<feature>:v<version>:<env>:<kind>`, stable across reads.
 */

const PAGE = 100;

function stateIn(feature: GbFeature, rev: GbRevision | undefined, env: string): ChangeState | null {
  const rules = rev?.rules?.[env];
  if (!rev || !rules) return null;
  const asOf: GbFeature = { ...feature, defaultValue: rev.defaultValue ?? feature.defaultValue };
  return {
    exposure: exposureOf(
      rampOf(asOf, { enabled: true, defaultValue: rev.defaultValue ?? feature.environments[env]?.defaultValue, rules }),
    ),
  };
}

export function changesOf(
  connectionId: string,
  feature: GbFeature,
  prev: GbRevision | undefined,
  cur: GbRevision,
  env: string,
): FlagChange[] {
  const base = {
    connectionId,
    flagKey: feature.id,
    env,
    at: Date.parse(cur.date),
    ...(cur.publishedBy || cur.createdBy ? { actor: cur.publishedBy || cur.createdBy } : {}),
    ...(cur.comment ? { comment: cur.comment } : {}),
    source: 'vendor' as const,
  };
  const make = (
    kind: FlagChange['kind'],
    from: ChangeState | null,
    to: ChangeState | null,
    label?: string,
  ): FlagChange => ({
    ...base,
    id: `${connectionId}:${feature.id}:v${cur.version}:${env}:${kind}`,
    kind,
    from,
    to,
    label: label ?? changeLabel(kind, from, to),
  });
  const to = stateIn(feature, cur, env);
  if (!prev) return cur.version <= 1 || cur.baseVersion === 0 ? [make('created', null, to)] : [];
  const out: FlagChange[] = [];
  const enabled = cur.environmentsEnabled?.[env];
  if (enabled !== undefined) out.push(make('enabled', { enabled: !enabled }, { enabled }));
  const from = stateIn(feature, prev, env);
  if (from && to && from.exposure !== to.exposure) out.push(make('exposure', from, to));
  else if (JSON.stringify(prev.rules?.[env] ?? null) !== JSON.stringify(cur.rules?.[env] ?? null)) {
    const text = cur.comment?.trim() || 'rules changed';
    out.push(make('targeting', null, { targeting: text }, `targeting: ${text}`));
  }
  if (prev.defaultValue !== undefined && cur.defaultValue !== undefined && prev.defaultValue !== cur.defaultValue) {
    out.push(make('other', null, null, `default value ${prev.defaultValue} → ${cur.defaultValue}`));
  }
  return out;
}

async function revisionsOf(client: VendorClient, feature: GbFeature, from: number): Promise<GbRevision[]> {
  try {
    return await client.all(
      pathOf`/api/v1/features/${feature.id}/revisions`,
      GbRevisionsPage,
      { kind: 'offset', limit: PAGE, items: (p) => p.revisions, nextOffset: (p) => (p.hasMore ? p.nextOffset : null) },
      // Newest first: one revision older than the range is the basis of the first change in it.
      { enough: (items) => items.some((r) => Date.parse(r.date) < from && r.status === 'published') },
    );
  } catch (e) {
    if (isUnknownEndpoint(e))
      throw new RampartError(
        'vendor_error',
        `${VENDOR}: this server has no revisions endpoint (GET /api/v1/features/{id}/revisions), so its flag history cannot be read; upgrade GrowthBook`,
      );
    throw e;
  }
}

export async function gbHistory(
  client: VendorClient,
  connectionId: string,
  features: GbFeature[],
  range: HistoryRange,
): Promise<FlagChange[]> {
  const changes: FlagChange[] = [];
  for (const feature of features) {
    if (range.flagKey && feature.id !== range.flagKey) continue;
    // Nothing changed since before the range: no revision can fall in it.
    if (feature.dateUpdated && Date.parse(feature.dateUpdated) < range.from) continue;
    const published = (await revisionsOf(client, feature, range.from))
      .filter((r) => r.status === 'published')
      .sort((a, b) => a.version - b.version);
    const envs = range.env ? [range.env] : Object.keys(feature.environments);
    published.forEach((cur, i) => {
      const at = Date.parse(cur.date);
      if (at < range.from || at > range.to) return;
      for (const env of envs) changes.push(...changesOf(connectionId, feature, published[i - 1], cur, env));
    });
  }
  return changes.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}
