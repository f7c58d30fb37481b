import { expect } from 'vitest';
import { roundToStep } from '../../main/rollout/exposure-rules';
import type { TreatmentReach } from '../../shared/domain/flags';
import { isRampartError } from '../../shared/errors';
import type { CaseRegistrar } from './cases';
import { otherExposure, type SuiteContext } from './flag-store-fixture';
import { liveState } from './flag-store-reads';

const close = (a: number | null | undefined, b: number) => a !== null && a !== undefined && Math.abs(a - b) < 1e-9;

/** Both the adapter and the vendor's own state show `exposure`. */
async function expectExposure(c: SuiteContext, exposure: number): Promise<void> {
  const seen = (await liveState(c)).exposure;
  expect(close(seen, exposure), `the adapter reads ${String(seen)}, expected ${exposure}`).toBe(true);
  const raw = (await c.fx.raw()).exposure;
  expect(close(raw, exposure), `the vendor stores ${String(raw)}, expected ${exposure}`).toBe(true);
}

/** The read-back proof and the vendor agree: `none` only when the vendor really serves the treatment to nobody. */
async function expectReachAgrees(c: SuiteContext, when: string): Promise<TreatmentReach> {
  const reach = await c.store.treatmentReach(c.fx.flagKey, c.fx.env);
  const raw = await c.fx.raw();
  if (raw.servesTreatment)
    expect(reach.state, `${when}: the vendor serves the treatment, the adapter says ${reach.detail}`).not.toBe('none');
  return reach;
}

export function writeCases(r: CaseRegistrar, c: SuiteContext): void {
  r.add('exposure-on-grid', 'setExposure writes an exposure on the grid exactly; the vendor stores it', async () => {
    await c.fx.reset();
    const to = otherExposure(c.fx.baseExposure);
    const live = await liveState(c);
    await c.store.setExposure(c.fx.flagKey, c.fx.env, to, {
      expected: live.exposure,
      live,
      comment: 'conformance: ramp on the grid',
    });
    await expectExposure(c, to);
  });

  r.add(
    'exposure-rounding',
    'setExposure lands on the store’s exposureStep: between grid points, the nearest one',
    async () => {
      await c.fx.reset();
      const step = c.store.capabilities().exposureStep;
      const base = otherExposure(c.fx.baseExposure);
      for (const offset of [0.4, 1.6]) {
        const asked = base + offset * step;
        const live = await liveState(c);
        await c.store.setExposure(c.fx.flagKey, c.fx.env, asked, {
          expected: live.exposure,
          live,
          comment: `conformance: ramp to ${asked}`,
        });
        await expectExposure(c, roundToStep(asked, step));
      }
    },
  );

  const title = c.traits.versionCheck
    ? 'refuses a write based on a read that someone else’s edit made stale (the vendor-level check), writing nothing'
    : 'has no vendor-level version check (writesHaveVersionCheck false): a write on a stale read lands whole or is refused whole';
  r.add('version-check', title, async () => {
    await c.fx.reset();
    const live = await liveState(c);
    await c.fx.editElsewhere();
    const to = otherExposure(c.fx.baseExposure);
    const outcome = await c.store
      .setExposure(c.fx.flagKey, c.fx.env, to, { expected: live.exposure, live, comment: 'conformance: stale read' })
      .then(
        () => 'written' as const,
        (e: unknown) => e,
      );
    const raw = (await c.fx.raw()).exposure;
    if (c.traits.versionCheck || outcome !== 'written') {
      expect(isRampartError(outcome) && outcome.code, `refused as a conflict, got ${String(outcome)}`).toBe('conflict');
      expect(close(raw, c.fx.baseExposure), `nothing written: the vendor stores ${String(raw)}`).toBe(true);
    } else {
      expect(close(raw, to), `written whole: the vendor stores ${String(raw)}`).toBe(true);
    }
  });

  for (const withLive of [true, false]) {
    r.add(
      withLive ? 'rollback' : 'rollback-without-live',
      `rollback ${withLive ? 'with the live read' : 'without a pre-read (live: null)'}: treatmentReach is none and the vendor agrees`,
      async () => {
        await c.fx.reset();
        expect((await c.fx.raw()).servesTreatment, 'the reset flag serves the treatment').toBe(true);
        const live = withLive ? await liveState(c) : null;
        const report = await c.store.rollback(c.fx.flagKey, c.fx.env, { comment: 'conformance: kill switch', live });
        expect(typeof report).toBe('object');
        const reach = await c.store.treatmentReach(c.fx.flagKey, c.fx.env);
        expect(reach.state, reach.detail).toBe('none');
        expect((await c.fx.raw()).servesTreatment, 'a raw read of the vendor after the rollback').toBe(false);
      },
    );
  }

  r.add(
    'reach-while-served',
    'treatmentReach is never none while the vendor serves the treatment (base, 1 %, 100 %, off, on)',
    async () => {
      await c.fx.reset();
      expect((await expectReachAgrees(c, `on at ${c.fx.baseExposure}%`)).state).not.toBe('none');
      for (const to of [1, 100]) {
        const live = await liveState(c);
        await c.store.setExposure(c.fx.flagKey, c.fx.env, to, {
          expected: live.exposure,
          live,
          comment: `conformance: ${to}%`,
        });
        expect((await c.fx.raw()).servesTreatment, `the vendor at ${to}%`).toBe(true);
        await expectReachAgrees(c, `on at ${to}%`);
      }
      await c.store.setEnabled(c.fx.flagKey, c.fx.env, false, { comment: 'conformance: off' });
      await expectReachAgrees(c, 'turned off');
      await c.store.setEnabled(c.fx.flagKey, c.fx.env, true, { comment: 'conformance: on again' });
      expect((await c.fx.raw()).servesTreatment, 'the vendor once on again at 100%').toBe(true);
      await expectReachAgrees(c, 'on again');
    },
  );

  for (const field of c.traits.commentFields) {
    r.add(`comment-${field}`, `passes the comment of a ${field} to the vendor's own comment field`, async () => {
      if (!c.fx.lastVendorComment)
        throw new Error('the fixture says the vendor has a comment field but cannot read it (lastVendorComment)');
      await c.fx.reset();
      const comment = `conformance ${field} ${Math.random().toString(36).slice(2, 10)}`;
      const live = await liveState(c);
      if (field === 'rollback') await c.store.rollback(c.fx.flagKey, c.fx.env, { comment, live });
      else
        await c.store.setExposure(c.fx.flagKey, c.fx.env, otherExposure(c.fx.baseExposure), {
          expected: live.exposure,
          live,
          comment,
        });
      expect(await c.fx.lastVendorComment()).toContain(comment);
    });
  }
}
