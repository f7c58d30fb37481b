export { rejection as caught } from '../../support/rejection';
import { LaunchDarklyConnection } from '../../../shared/domain/connections';
import { defaultHttpDeps, type HttpDeps } from '../../../main/net/http-client';
import { createLaunchDarklyStore, type LaunchDarklyStoreOptions } from '../../../main/flags/launchdarkly';
import type { FakeLaunchDarkly } from '../../support/vendor-servers/fake-launchdarkly';

/** Backoff sleeps cut short (the rate-limit tests use the real clock instead). */
export const fastHttp: HttpDeps = { ...defaultHttpDeps, sleep: async () => undefined };

export function ldStore(fake: FakeLaunchDarkly, extra: Partial<LaunchDarklyStoreOptions> = {}) {
  const connection = LaunchDarklyConnection.parse({
    id: 'ld-test',
    name: 'LD test',
    kind: 'launchdarkly',
    url: fake.url,
    project: 'default',
  });
  return createLaunchDarklyStore({ connection, token: fake.token, http: fastHttp, ...extra });
}

export function patches(fake: FakeLaunchDarkly) {
  return fake.requests.filter((r) => r.method === 'PATCH');
}
