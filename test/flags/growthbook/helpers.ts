export { rejection as caught } from '../../support/rejection';
import { GrowthBookConnection } from '../../../shared/kinds/growthbook';
import { defaultHttpDeps, type HttpDeps } from '../../../main/net/http-client';
import { createGrowthBookStore, type GrowthBookStoreOptions } from '../../../main/flags/growthbook';
import type { FakeGrowthBook } from '../../support/vendor-servers/fake-growthbook';

/** Backoff sleeps cut short (the rate-limit tests use the real clock instead). */
export const fastHttp: HttpDeps = { ...defaultHttpDeps, sleep: async () => undefined };

export function gbStore(
  fake: FakeGrowthBook,
  extra: Omit<Partial<GrowthBookStoreOptions>, 'connection'> & { connection?: Partial<GrowthBookConnection> } = {},
) {
  const { connection: c, ...rest } = extra;
  const connection = GrowthBookConnection.parse({
    id: 'gb-test',
    name: 'GB test',
    kind: 'growthbook',
    url: fake.url,
    ...c,
  });
  return createGrowthBookStore({ connection, token: fake.token, http: fastHttp, ...rest });
}

/** Requests other than reads, in order, as `METHOD path`. */
export function writeCalls(fake: FakeGrowthBook): string[] {
  return fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

/** A rule of the live state, as stored by the fake. */
export function liveRule(fake: FakeGrowthBook, featureId: string, env: string, id: string) {
  return fake.rules(featureId, env).find((r) => r.id === id);
}
