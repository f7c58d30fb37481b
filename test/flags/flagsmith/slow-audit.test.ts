import { expect, it } from 'vitest';
import { startFakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { fsStore } from './helpers';

/**
 * The concurrent-edit check after a Flagsmith write reads the audit log as a best effort (fs-concurrent-edits.ts):
 * a hanging audit log costs one short deadline, not the read budget × retries — a rollback once waited 40 s on it —
 * and the answer says plainly that whether someone else edited the flag is unknown.
 */
it('a rollback with a hanging audit log answers after one short deadline, saying the check could not be made', async () => {
  const fake = await startFakeFlagsmith();
  try {
    const PROD = 'Production';
    const store = fsStore(fake);
    const live = (await store.getFlag('new-checkout')).envs[fake.env(PROD).api_key];
    fake.inject({ method: 'GET', path: /\/audit\//, times: 100, fault: { kind: 'delay', ms: 11_000 } });
    const report = await store.rollback('new-checkout', PROD, { comment: 'kill', live });
    expect(fake.requests.filter((q) => q.path.includes('/audit/'))).toHaveLength(1);
    expect(report?.concurrentEdit).toBeUndefined();
    expect(report?.note).toMatch(/whether someone else edited 'new-checkout' in Production meanwhile is unknown/);
    expect(report?.note).toMatch(/timed out after 3000 ms/);
  } finally {
    await fake.stop();
  }
}, 30_000);
