export { rejection as caught } from '../../support/rejection';
import { FlagsmithConnection } from '../../../shared/domain/connections';
import { defaultHttpDeps, type HttpDeps } from '../../../main/net/http-client';
import { createFlagsmithStore, type FlagsmithStoreOptions } from '../../../main/flags/flagsmith';
import type { FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import type { FsFeatureState, FsSegment, FsUser } from '../../support/vendor-servers/flagsmith-state';
import { splitRules } from '../../support/vendor-servers/flagsmith-state';
import { replaceSegmentRules, updateState } from '../../support/vendor-servers/flagsmith-writes';

export const fastHttp: HttpDeps = { ...defaultHttpDeps, sleep: async () => undefined };

export function fsStore(fake: FakeFlagsmith, extra: Partial<FlagsmithStoreOptions> & { project?: string } = {}) {
  const connection = FlagsmithConnection.parse({
    id: 'fs-test',
    name: 'Flagsmith test',
    kind: 'flagsmith',
    url: fake.url,
    project: extra.project ?? 'Rampart demo',
  });
  return createFlagsmithStore({ connection, token: fake.token, http: fastHttp, ...extra });
}

/** The live environment-default state of a feature (v1 environments). */
export function defaultState(fake: FakeFlagsmith, feature: string, env: string): FsFeatureState {
  const f = fake.feature(feature);
  const e = fake.env(env);
  const s = fake.state.states.find(
    (x) =>
      x.feature === f.id &&
      x.environment === e.id &&
      x.feature_segment === null &&
      x.environment_feature_version === null,
  );
  if (!s) throw new Error(`no default state for ${feature} in ${env}`);
  return s;
}

export function segmentNamed(fake: FakeFlagsmith, name: string): FsSegment {
  const s = fake.state.segments.find((x) => x.name === name);
  if (!s) throw new Error(`no segment ${name}`);
  return s;
}

/** Someone in the Flagsmith dashboard: the same mutations the API makes, with an author and a time. */
export const dashboard = {
  toggle(fake: FakeFlagsmith, feature: string, env: string, enabled: boolean, author: FsUser, at: number) {
    updateState(fake.state, defaultState(fake, feature, env), { enabled }, { author, at });
  },
  split(fake: FakeFlagsmith, segment: string, value: string, author: FsUser, at: number) {
    replaceSegmentRules(fake.state, segmentNamed(fake, segment), splitRules(value), { author, at });
  },
};

export function writes(fake: FakeFlagsmith) {
  return fake.requests.filter((r) => r.method !== 'GET');
}
