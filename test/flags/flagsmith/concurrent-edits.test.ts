import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFlagsmith, type FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { ALICE } from '../../support/vendor-servers/flagsmith-state';
import { updateState } from '../../support/vendor-servers/flagsmith-writes';
import { createVersion } from '../../support/vendor-servers/flagsmith-requests';
import { dashboard, defaultState, fsStore } from './helpers';

/**
 * Issue 9, "No silent lost update" on Flagsmith: no version check exists (docs/integrations.md 2.7), so a change by
 * someone else between Rampart's read and its write is found afterwards, in a second read and in the audit log
 * (entries about the flag that are not Rampart's own). The fake's `mutate` fault lands that change just before it
 * handles Rampart's write.
 */
let fake: FakeFlagsmith;
afterEach(async () => fake?.stop());

const PROD = 'Production';
const envKey = () => fake.env(PROD).api_key;
const seen = async (flag: string) => (await fsStore(fake).getFlag(flag)).envs[envKey()];

function beforeFirstWrite(apply: () => void) {
  fake.inject({
    path: /^\/api\/v1\/(projects|features|environments)\//,
    method: 'PATCH',
    fault: { kind: 'mutate', apply },
  });
}

describe('Flagsmith: a change by someone else between the read and the write', () => {
  it('a ramp while alice moves the same split: named with her log line, and Rampart replaced it', async () => {
    fake = await startFakeFlagsmith();
    const live = await seen('new-checkout');
    beforeFirstWrite(() => dashboard.split(fake, 'checkout-5pct', '40', ALICE, Date.now()));
    const report = await fsStore(fake).setExposure('new-checkout', PROD, 25, { expected: 5, comment: 'ramp', live });
    expect(report?.concurrentEdit?.actor).toBe('alice@example.com');
    expect(report?.concurrentEdit?.summary).toMatch(
      /^Flagsmith's audit log shows a change to 'new-checkout' in Production by others while Rampart read and wrote it: alice@example\.com: "Segment updated: checkout-5pct" at \d\d:\d\d:\d\d UTC; Flagsmith has no version check: where it changed what Rampart wrote, Rampart replaced it\.$/,
    );
  });

  it('a rollback while an API key turns the default on: no author invented, and the flag still rolled back', async () => {
    fake = await startFakeFlagsmith();
    const live = await seen('new-checkout');
    beforeFirstWrite(() =>
      updateState(
        fake.state,
        defaultState(fake, 'new-checkout', PROD),
        { enabled: true },
        { author: null, at: Date.now() },
      ),
    );
    const store = fsStore(fake);
    const report = await store.rollback('new-checkout', PROD, { comment: 'errors up', live });
    expect(report.concurrentEdit?.actor).toBeUndefined();
    expect(report.concurrentEdit?.summary).toContain(
      'someone (the audit log names no author: an API key): "Flag state updated for feature: new-checkout"',
    );
    // Their default on would serve everyone: the rollback was sent once more from the read after the write.
    expect((await store.treatmentReach('new-checkout', PROD)).state).toBe('none');
    expect(fake.writes().map((w) => w.method)).toEqual(['PATCH', 'PATCH']); // the override, then the default
  });

  it("another flag's change in the same moment is not this flag's concurrent edit; a quiet write says nothing", async () => {
    fake = await startFakeFlagsmith();
    const live = await seen('new-checkout');
    beforeFirstWrite(() => dashboard.toggle(fake, 'legacy-search', PROD, true, ALICE, Date.now()));
    const store = fsStore(fake);
    expect(await store.setExposure('new-checkout', PROD, 25, { expected: 5, comment: 'ramp', live })).toEqual({});
    expect(defaultState(fake, 'legacy-search', PROD).enabled).toBe(true); // the other change did land
    expect(
      await store.rollback('new-checkout', PROD, { comment: 'errors up', live: await seen('new-checkout') }),
    ).toEqual({});
  });

  it('a v2-versioned environment: its own published versions are told apart by uuid (no false alarm)', async () => {
    fake = await startFakeFlagsmith();
    fake.enableV2(PROD);
    const store = fsStore(fake);
    expect(
      await store.rollback('new-checkout', PROD, { comment: 'errors up', live: await seen('new-checkout') }),
    ).toEqual({});
    expect(fake.state.audit.at(-1)?.related_object_type).toBe('EF_VERSION');
    expect(await store.setEnabled('new-checkout', PROD, true, { comment: 'fixed' })).toEqual({});
  });

  it('a v2 environment: a version someone else published meanwhile is named, and the rollback still holds', async () => {
    fake = await startFakeFlagsmith();
    fake.enableV2(PROD);
    const store = fsStore(fake);
    const live = await seen('new-checkout');
    const defaultOn = {
      feature_states_to_update: [
        {
          feature_segment: null,
          enabled: true,
          feature_state_value: { type: 'unicode', string_value: null, integer_value: null, boolean_value: null },
        },
      ],
      publish_immediately: true,
    };
    fake.inject({
      method: 'POST',
      path: /\/versions\/$/,
      fault: {
        kind: 'mutate',
        apply: () => createVersion(fake.state, fake.env(PROD), fake.feature('new-checkout'), defaultOn),
      },
    });
    const report = await store.rollback('new-checkout', PROD, { comment: 'errors up', live });
    expect(report.concurrentEdit?.summary).toMatch(
      /by others while Rampart read and wrote it: someone \(the audit log names no author: an API key\): "New version published for feature: new-checkout" at .*; Flagsmith has no version check: where it changed what Rampart wrote, Rampart replaced it\.$/,
    );
    expect((await store.treatmentReach('new-checkout', PROD)).state).toBe('none');
  });

  it('the audit log unreadable: the second read still shows that something else changed, without a name', async () => {
    fake = await startFakeFlagsmith();
    const live = await seen('new-checkout');
    beforeFirstWrite(() =>
      updateState(
        fake.state,
        defaultState(fake, 'new-checkout', PROD),
        { value: { type: 'unicode', string_value: 'v2', integer_value: null, boolean_value: null } },
        { author: ALICE, at: Date.now() },
      ),
    );
    fake.inject({ path: /\/audit\/$/, times: 10, fault: { kind: 'status', status: 503, body: { detail: 'down' } } });
    const report = await fsStore(fake).setExposure('new-checkout', PROD, 25, { expected: 5, comment: 'ramp', live });
    expect(report?.concurrentEdit?.actor).toBeUndefined();
    expect(report?.concurrentEdit?.summary).toMatch(
      /^Something else changed 'new-checkout' in Production while Rampart read and wrote it, and Flagsmith's audit log does not show who \(Rampart could not read Flagsmith's audit log: .*503.*\); the read after the write shows the value of the environment default changed/,
    );
  });
});
