import { RampartError } from '../../../shared/errors';
import { VENDOR, type FsClient } from './fs-client';
import {
  FsEnvironment,
  FsFeature,
  FsFeatureSegment,
  FsFeatureState,
  FsProjects,
  FsSegment,
  FsVersionFeatureState,
  paged,
} from './fs-schemas';
import type { LiveFeature, LiveOverride } from './fs-state';

/**
 * Reads of the live configuration. `GET /api/v1/features/featurestates/?environment=&feature=` returns the LIVE
 * states in v1 and v2-versioned environments alike (Flagsmith resolves the live version), so reads need no
 * versioning branch; the segment of each override comes from `/api/v1/features/feature-segments/`.
 */

const EnvPage = paged(FsEnvironment);
const FeaturePage = paged(FsFeature);
const StatePage = paged(FsFeatureState);
const FeatureSegmentPage = paged(FsFeatureSegment);
const SegmentPage = paged(FsSegment);

/** The connection's `project` is Flagsmith's numeric project id, or the project's name. */
export async function resolveProjectId(client: FsClient, project: string): Promise<number> {
  if (/^\d+$/.test(project)) return Number(project);
  const projects = await client.get('/api/v1/projects/', FsProjects);
  const hit =
    projects.find((p) => p.name === project) ?? projects.find((p) => p.name.toLowerCase() === project.toLowerCase());
  if (!hit) {
    throw new RampartError(
      'not_found',
      `${VENDOR}: project '${project}' not found (the API key sees: ${projects.map((p) => p.name).join(', ') || 'none'})`,
    );
  }
  return hit.id;
}

export function listEnvironments(client: FsClient, projectId: number): Promise<FsEnvironment[]> {
  return client.all(`/api/v1/environments/?project=${projectId}`, EnvPage);
}

/** An environment named by its key (the client-side `api_key`), its numeric id, or its name. */
export function findEnvironment(envs: FsEnvironment[], arg: string): FsEnvironment {
  const hit =
    envs.find((e) => e.api_key === arg) ??
    envs.find((e) => String(e.id) === arg) ??
    envs.find((e) => e.name === arg) ??
    envs.find((e) => e.name.toLowerCase() === arg.toLowerCase());
  if (!hit)
    throw new RampartError(
      'not_found',
      `${VENDOR}: environment '${arg}' not found (environments: ${envs.map((e) => e.name).join(', ') || 'none'})`,
    );
  return hit;
}

export function listFeatures(
  client: FsClient,
  projectId: number,
  opts: { environment?: number; search?: string } = {},
): Promise<FsFeature[]> {
  const q = new URLSearchParams();
  if (opts.environment !== undefined) q.set('environment', String(opts.environment));
  if (opts.search) q.set('search', opts.search);
  return client.all(`/api/v1/projects/${projectId}/features/${q.toString() ? `?${q}` : ''}`, FeaturePage);
}

export async function findFeature(client: FsClient, projectId: number, flagKey: string): Promise<FsFeature> {
  const hit = (await listFeatures(client, projectId, { search: flagKey })).find((f) => f.name === flagKey);
  if (!hit)
    throw new RampartError('not_found', `${VENDOR}: flag '${flagKey}' not found in project ${projectId}`, { flagKey });
  return hit;
}

export function listSegments(client: FsClient, projectId: number): Promise<FsSegment[]> {
  return client.all(`/api/v1/projects/${projectId}/segments/`, SegmentPage);
}

/** Segments by id, fetched once per id per operation. */
export function segmentCache(client: FsClient, projectId: number, seed: FsSegment[] = []) {
  const cache = new Map<number, Promise<FsSegment>>(seed.map((s) => [s.id, Promise.resolve(s)]));
  return (id: number): Promise<FsSegment> => {
    let hit = cache.get(id);
    if (!hit) {
      hit = client.get(`/api/v1/projects/${projectId}/segments/${id}/`, FsSegment);
      cache.set(id, hit);
    }
    return hit;
  };
}

export type SegmentLookup = ReturnType<typeof segmentCache>;

async function overridesOf(
  client: FsClient,
  env: FsEnvironment,
  feature: FsFeature,
  states: FsFeatureState[],
  segment: SegmentLookup,
): Promise<LiveOverride[]> {
  const fsegs = await client.all(
    `/api/v1/features/feature-segments/?environment=${env.id}&feature=${feature.id}`,
    FeatureSegmentPage,
  );
  return Promise.all(
    fsegs.map(async (fseg) => ({
      featureSegmentId: fseg.id,
      segmentId: fseg.segment,
      priority: fseg.priority ?? Number.MAX_SAFE_INTEGER,
      segmentName: fseg.segment_name,
      state: states.find((s) => s.feature_segment === fseg.id),
      segment: await segment(fseg.segment),
    })),
  );
}

/** The live configuration of one feature in one environment, read fresh. */
export async function readLive(
  client: FsClient,
  env: FsEnvironment,
  feature: FsFeature,
  segment: SegmentLookup,
): Promise<LiveFeature> {
  const all = await client.all(
    `/api/v1/features/featurestates/?environment=${env.id}&feature=${feature.id}`,
    StatePage,
  );
  const states = all.filter((s) => !s.identity);
  const def = states.find((s) => s.feature_segment === null || s.feature_segment === undefined);
  // Identity overrides are not part of the exposure, but they can serve the flag on: the kill switch must know.
  const identityOverridesOn = all.filter((s) => s.identity && s.enabled).length;
  return { feature, def, overrides: await overridesOf(client, env, feature, states, segment), identityOverridesOn };
}

/** Every feature's live configuration in one environment, with one states query for the whole environment. */
export async function readEnvironment(
  client: FsClient,
  projectId: number,
  env: FsEnvironment,
  segment: SegmentLookup,
): Promise<LiveFeature[]> {
  const features = await listFeatures(client, projectId, { environment: env.id });
  const states = (await client.all(`/api/v1/features/featurestates/?environment=${env.id}`, StatePage)).filter(
    (s) => !s.identity,
  );
  return Promise.all(
    features.map(async (feature) => {
      const mine = states.filter((s) => s.feature === feature.id);
      const def = mine.find((s) => s.feature_segment === null || s.feature_segment === undefined);
      const hasOverrides = (feature.num_segment_overrides ?? 1) > 0 || mine.some((s) => s.feature_segment);
      return { feature, def, overrides: hasOverrides ? await overridesOf(client, env, feature, mine, segment) : [] };
    }),
  );
}

/** A feature's configuration as of one v2 version (for history: what a published version changed). */
export async function readVersion(
  client: FsClient,
  env: FsEnvironment,
  feature: FsFeature,
  versionUuid: string,
  segment: SegmentLookup,
): Promise<LiveFeature> {
  const states = await client.get(
    `/api/v1/environments/${env.id}/features/${feature.id}/versions/${encodeURIComponent(versionUuid)}/featurestates/`,
    FsVersionFeatureState.array(),
  );
  const def = states.find((s) => !s.feature_segment);
  const overrides = await Promise.all(
    states
      .filter((s) => s.feature_segment)
      .map(async (s) => {
        const segId = s.feature_segment?.segment as number;
        return {
          segmentId: segId,
          priority: s.feature_segment?.priority ?? Number.MAX_SAFE_INTEGER,
          state: { ...s, feature_segment: s.feature_segment?.id ?? null },
          segment: await segment(segId),
        };
      }),
  );
  return { feature, def: def ? { ...def, feature_segment: null } : undefined, overrides };
}
