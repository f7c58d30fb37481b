import { describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import { TOKEN, connection } from '../../support/vendor-servers/fake-unleash';
import { STRATEGY, STRATEGY_ID, fakeUnleashEnv } from '../../support/vendor-servers/fake-unleash-env';
import { rolloutStrategy } from './fixtures';

/**
 * The concurrent-edit check after a ramp (unleash-write-check.ts), against a fake Unleash that records events the
 * way 6.10.1 does: what the rollout service read, someone else's edit at a chosen moment, Rampart's PATCH, then
 * the report. The server clock may be skewed from Rampart's: the check must not depend on them agreeing.
 */
const webAndIos = [{ values: ['web', 'ios'], operator: 'IN', contextName: 'appName' }];

function setup(skewMs = 0) {
  const env = fakeUnleashEnv({ skewMs });
  const store = createUnleashStore({ connection, token: TOKEN, http: env.fake.http });
  /**
   * The rollout service's read, then `beforeWrite` (after the read, before the PATCH is sent), `between` (while the
   * PATCH is on its way), the PATCH, `afterPatch` (before its answer), then the check.
   */
  async function ramp(between?: () => void, afterPatch?: () => void, beforeWrite?: () => void) {
    const live = (await store.getFlag('checkout-v2')).envs.production;
    beforeWrite?.();
    if (between || afterPatch) {
      env.fake.on('PATCH', STRATEGY, (c) => {
        between?.();
        env.tick();
        const body = env.someone.patch(STRATEGY_ID, c.body as never, 'rampart-token');
        env.tick();
        afterPatch?.();
        return { body };
      });
    }
    return store.setExposure('checkout-v2', 'production', 50, { expected: 5, comment: 'ramp', live });
  }
  return { ...env, store, ramp };
}

const setRollout = (value: string) => [{ op: 'replace', path: '/parameters/rollout', value }];

describe('Unleash concurrent-edit check', () => {
  it('reports a rollout someone set between the read and the write as replaced, with who and when', async () => {
    const u = setup();
    const report = await u.ramp(() => u.someone.patch(STRATEGY_ID, setRollout('30')));
    const theirs = u.events.find((e) => e.createdBy === 'alice');
    expect(report?.concurrentEdit).toEqual({
      at: Date.parse(theirs?.createdAt ?? ''),
      actor: 'alice',
      summary: `Concurrent edit in Unleash: alice set rollout 30% at ${theirs?.createdAt.slice(11, 23)} UTC, 5 ms before Rampart wrote 50%: Rampart's write replaced it.`,
    });
    expect(u.state.strategies[0].parameters.rollout).toBe('50');
  });

  it('says a constraint change made meanwhile was kept (the PATCH touches the rollout only)', async () => {
    const u = setup();
    const report = await u.ramp(() =>
      u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/constraints', value: webAndIos }]),
    );
    expect(report?.concurrentEdit?.summary).toMatch(
      /alice changed the constraints of the flexibleRollout strategy at .* before Rampart wrote 50%: Rampart's write kept it\.$/,
    );
    expect(u.state.strategies[0].constraints).toEqual(webAndIos);
  });

  it('says so when Unleash wrote back the old constraints (its PATCH read the strategy before their edit landed)', async () => {
    const u = setup();
    u.fake.on('PATCH', STRATEGY, (c) => {
      const stale = structuredClone(u.state.strategies[0]); // what Unleash's controller read
      u.tick();
      u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/constraints', value: webAndIos }]);
      u.tick();
      const body = u.someone.patch(
        STRATEGY_ID,
        [{ op: 'replace', path: '/constraints', value: stale.constraints }, ...(c.body as never[])],
        'rampart-token',
      );
      return { body };
    });
    const live = (await u.store.getFlag('checkout-v2')).envs.production;
    const report = await u.store.setExposure('checkout-v2', 'production', 50, { expected: 5, comment: 'ramp', live });
    expect(report?.concurrentEdit?.summary).toMatch(
      /Rampart's write undid it \(its constraints are gone: Unleash writes back the whole strategy it read a moment before\)/,
    );
  });

  it('reports an edit that landed right after the write and replaced it, and one that left it alone', async () => {
    const u = setup();
    const report = await u.ramp(undefined, () => u.someone.patch(STRATEGY_ID, setRollout('25')));
    expect(report?.concurrentEdit?.summary).toMatch(
      /alice set rollout 25% at .*, 5 ms after Rampart wrote 50%: it replaced Rampart's write \(the rollout is now 25%\)\.$/,
    );

    const v = setup();
    const off = await v.ramp(undefined, () => v.someone.setEnabled(false));
    expect(off?.concurrentEdit?.summary).toMatch(
      /alice turned production off at .* after Rampart wrote 50%: Rampart's write stays\.$/,
    );
  });

  it("counts a slow write by its order, not its time: Unleash's createdAt is when its transaction STARTED", async () => {
    const backdate = () => {
      const theirs = u.events.at(-1);
      if (theirs) theirs.createdAt = new Date(Date.parse(theirs.createdAt) - 1_000).toISOString(); // began before the read
    };
    const u = setup();
    const after = await u.ramp(undefined, () => (u.someone.patch(STRATEGY_ID, setRollout('25')), backdate()));
    expect(after?.concurrentEdit?.summary).toMatch(
      /alice set rollout 25% at .*, while Rampart wrote 50% \(saved just after it\): it replaced Rampart's write/,
    );

    const v = setup();
    const before = await v.ramp(() => {
      v.someone.patch(STRATEGY_ID, setRollout('30'));
      const theirs = v.events.at(-1);
      if (theirs) theirs.createdAt = new Date(Date.parse(theirs.createdAt) - 1_000).toISOString();
    });
    expect(before?.concurrentEdit?.summary).toMatch(
      /alice set rollout 30% .*before Rampart wrote 50%: Rampart's write replaced it\.$/,
    );
  });

  it('does not report edits the read already showed, even just before it', async () => {
    const u = setup();
    u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/constraints', value: webAndIos }]);
    u.someone.setEnabled(false);
    u.someone.setEnabled(true);
    expect(await u.ramp()).toEqual({});
  });

  it('lists several edits, the lost ones first, and counts the rest', async () => {
    const u = setup();
    const report = await u.ramp(() => {
      u.someone.setEnabled(false, 'bob');
      u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/constraints', value: webAndIos }]);
      u.someone.patch(STRATEGY_ID, setRollout('30'));
      u.someone.add({ ...rolloutStrategy('100'), id: 'carols', constraints: [] }, 'carol');
    });
    const summary = report?.concurrentEdit?.summary ?? '';
    expect(report?.concurrentEdit?.actor).toBe('alice');
    expect(summary).toMatch(
      /^Concurrent edit in Unleash: alice set rollout 30% .*replaced it; bob turned production off .*kept it; alice changed the constraints .*kept it; and 1 more edit by others meanwhile\.$/,
    );
  });

  it('an off-then-on made after the read is reported once it is surely after the read', async () => {
    const u = setup();
    const report = await u.ramp(undefined, undefined, () => {
      u.tick(50); // the rollout service checks metrics and audits before writing: 50 ms after the read's answer
      u.someone.setEnabled(false, 'bob');
      u.someone.setEnabled(true, 'bob');
    });
    expect(report?.concurrentEdit?.summary).toMatch(
      /^Concurrent edit in Unleash: bob turned production off .*kept it; bob turned production on .*kept it\.$/,
    );
  });

  it('does not depend on the clocks agreeing: the server 10 minutes ahead or behind', async () => {
    for (const skew of [600_000, -600_000]) {
      const u = setup(skew);
      u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/constraints', value: webAndIos }]); // before the read
      const report = await u.ramp(() => u.someone.patch(STRATEGY_ID, setRollout('30')));
      expect(report?.concurrentEdit?.summary).toMatch(
        /^Concurrent edit in Unleash: alice set rollout 30% .*replaced it\.$/,
      );
    }
  });

  it('still writes, and says it could not check, when the event log cannot be read', async () => {
    const u = setup();
    u.fake.on('GET', '/api/admin/search/events', { status: 403, body: { message: 'You need permission READ_EVENTS' } });
    const report = await u.ramp();
    expect(u.state.strategies[0].parameters.rollout).toBe('50');
    expect(report?.note).toMatch(
      /^The write landed, but Rampart could not read Unleash's event log to check for edits made by others while it wrote \(Unleash: bad or insufficient token .*READ_EVENTS\); check the flag's history in Unleash\.$/,
    );
    expect(report?.concurrentEdit).toBeUndefined();
  });

  it('falls back to the PATCH answer when the event log does not show an edit the answer reveals', async () => {
    const u = setup();
    u.fake.on('GET', '/api/admin/search/events', { body: { events: [], total: 0 } });
    const report = await u.ramp(() =>
      u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/constraints', value: webAndIos }]),
    );
    expect(report?.concurrentEdit?.summary).toBe(
      "Concurrent edit in Unleash: the flexibleRollout strategy's constraints changed between Rampart's read and its write, and Unleash's event log does not say who; Rampart's write kept the change.",
    );
  });

  it('pages back through a busy event log until it reaches the read', async () => {
    const u = setup();
    const report = await u.ramp(() => {
      u.someone.patch(STRATEGY_ID, setRollout('30'));
      for (let i = 0; i < 150; i++)
        u.someone.patch(STRATEGY_ID, [{ op: 'replace', path: '/parameters/stickiness', value: `field-${i}` }], 'bot');
    });
    expect(u.fake.calls.filter((c) => c.path === '/api/admin/search/events').map((c) => c.query.get('offset'))).toEqual(
      ['0', '100'],
    );
    expect(report?.concurrentEdit?.summary).toMatch(
      /^Concurrent edit in Unleash: alice set rollout 30% .*replaced it; bot changed the other parameters of the flexibleRollout strategy .*kept it; bot .*kept it; and 148 more edits by others meanwhile\.$/,
    );
  });
});
