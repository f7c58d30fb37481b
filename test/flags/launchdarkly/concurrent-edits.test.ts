import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../../support/vendor-servers/fake-launchdarkly';
import { ldStore, patches } from './helpers';

/**
 * Issue 9, "No silent lost update" on LaunchDarkly: a semantic patch has no version precondition, so another
 * writer's change landing between Rampart's read and its write shows afterwards as a `_version` jump in the PATCH
 * answer; the audit log's `currentVersion` says whose change it was. The fake's `mutate` fault lands that change
 * just before it handles Rampart's PATCH.
 */
let fake: FakeLaunchDarkly;
afterEach(async () => fake?.stop());

const FLAG = 'new-checkout';
const auditReads = () => fake.requests.filter((r) => r.path.startsWith('/api/v2/auditlog'));

/** Another writer lands `change` in `env` right before Rampart's PATCH is handled. */
function otherWriterBeforePatch(env: string, change: Parameters<FakeLaunchDarkly['edit']>[2], actor?: string) {
  fake.inject({
    method: 'PATCH',
    fault: {
      kind: 'mutate',
      apply: () => fake.edit(FLAG, env, change, actor ? { actor: { token: actor } } : { comment: 'from the LD UI' }),
    },
  });
}

const addRule = (cfg: { rules?: unknown[] }) => {
  cfg.rules = [...(cfg.rules ?? []), { _id: 'r-beta', clauses: [], variation: 1 }];
};

describe('LaunchDarkly: a change by someone else between the read and the write', () => {
  it('a semantic-patch ramp reports who changed what, with both versions, and keeps the write', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake, { exposureWrites: 'semantic-patch' });
    const live = (await store.getFlag(FLAG)).envs.production;
    otherWriterBeforePatch('production', addRule);
    const report = await store.setExposure(FLAG, 'production', 25, { expected: 5, comment: 'ramp', live });
    expect(report?.concurrentEdit?.actor).toBe('alice@example.com');
    expect(report?.concurrentEdit?.summary).toMatch(
      /^LaunchDarkly's flag version moved from 1 to 3: alice@example\.com targeting: updateFlag in production at \d\d:\d\d:\d\d UTC \(version 2\)\. Rampart's rollout was applied on top of it/,
    );
    expect(fake.state.flags[0].environments.production.rules).toHaveLength(1); // their rule stands
    expect((await store.getFlag(FLAG)).envs.production.exposure).toBe(25);
  });

  it('a rollback is never refused for it: the flag is off, and the report says another change landed', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    const live = (await store.getFlag(FLAG)).envs.production;
    otherWriterBeforePatch(
      'production',
      (cfg) => {
        cfg.fallthrough = {
          rollout: {
            variations: [
              { variation: 0, weight: 70000 },
              { variation: 1, weight: 30000 },
            ],
          },
        };
      },
      'deploy-bot',
    );
    const report = await store.rollback(FLAG, 'production', { comment: 'errors up', live });
    expect(patches(fake)).toHaveLength(1);
    expect(fake.state.flags[0].environments.production.on).toBe(false);
    expect(report.concurrentEdit).toMatchObject({ actor: 'token deploy-bot' });
    expect(report.concurrentEdit?.summary).toMatch(/token deploy-bot rollout 5% → 70% in production/);
    expect(report.concurrentEdit?.summary).toMatch(/the flag is off in production whatever it changed/);
  });

  it('without a jump nothing is said, and the audit log is not read', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake, { exposureWrites: 'semantic-patch' });
    const live = (await store.getFlag(FLAG)).envs.production;
    expect(await store.setExposure(FLAG, 'production', 25, { expected: 5, comment: 'ramp', live })).toEqual({});
    const again = (await store.getFlag(FLAG)).envs.production;
    expect(await store.rollback(FLAG, 'production', { comment: 'back', live: again })).toEqual({});
    expect(auditReads()).toHaveLength(0);
  });

  it('the audit log unreadable: says plainly that the version moved and another change landed', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    const live = (await store.getFlag(FLAG)).envs.production;
    otherWriterBeforePatch('production', addRule);
    // Reads are retried on a 5xx: the audit log stays down for all of them.
    fake.inject({
      path: '/api/v2/auditlog',
      times: 10,
      fault: { kind: 'status', status: 503, body: { message: 'down' } },
    });
    const report = await store.rollback(FLAG, 'production', { comment: 'errors up', live });
    expect(report.concurrentEdit?.actor).toBeUndefined();
    expect(report.concurrentEdit?.summary).toMatch(
      /^LaunchDarkly's flag version moved from 1 to 3: another change landed between Rampart's read and its write \(Rampart could not read LaunchDarkly's audit log: .*503/,
    );
    expect(report.concurrentEdit?.summary).toMatch(/Check the flag's change history in LaunchDarkly\.$/);
  });

  it('a hanging audit log holds the rollback\u2019s answer 5 s at most, and the concurrent edit is still reported', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    const live = (await store.getFlag(FLAG)).envs.production;
    otherWriterBeforePatch('production', addRule);
    fake.inject({ path: '/api/v2/auditlog', times: 10, fault: { kind: 'delay', ms: 9_000 } });
    // Answered after 9 s the audit log would name alice: the budget's own words prove it was not waited for.
    const report = await store.rollback(FLAG, 'production', { comment: 'errors up', live });
    expect(report.concurrentEdit?.summary).toMatch(
      /version moved from 1 to 3: another change landed .*could not read LaunchDarkly's audit log: no answer within 5 s/,
    );
  }, 20_000);

  it('a change in another environment is a note, not a concurrent edit of this one', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    const live = (await store.getFlag(FLAG)).envs.production;
    otherWriterBeforePatch('staging', (cfg) => (cfg.on = true));
    const report = await store.rollback(FLAG, 'production', { comment: 'errors up', live });
    expect(report.concurrentEdit).toBeUndefined();
    expect(report.note).toMatch(
      /version moved from 1 to 3: alice@example\.com off → on in staging .*another environment/,
    );
  });

  it('a JSON Patch ramp (the default) is refused as a conflict instead: test /version', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    const live = (await store.getFlag(FLAG)).envs.production;
    otherWriterBeforePatch('production', addRule);
    await expect(
      store.setExposure(FLAG, 'production', 25, { expected: 5, comment: 'ramp', live }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(fake.state.flags[0].environments.production.fallthrough?.rollout?.variations[1].weight).toBe(95000);
  });
});
