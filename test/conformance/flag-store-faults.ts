import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createEventBus } from '../../main/core/event-bus';
import { createRolloutService } from '../../main/rollout/rollout-service';
import { openStore } from '../../main/store';
import { isRampartError } from '../../shared/errors';
import type { CaseRegistrar } from './cases';
import { leaks } from './error-recorder';
import { otherExposure, type SuiteContext } from './flag-store-fixture';
import { liveState } from './flag-store-reads';

/** Bodies a vendor (or a proxy, or a half-written file) might answer with that are not its documented shape. */
export const MALFORMED_BODIES = ['<html><body>502 Bad Gateway</body></html>', '{"unexpected": true}', '[]', ''];

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (e: unknown) => e,
  );
}

export function faultCases(r: CaseRegistrar, c: SuiteContext): void {
  r.add(
    'malformed',
    'a malformed answer is vendor_error naming the vendor, never a crash or a made-up state',
    async () => {
      for (const body of MALFORMED_BODIES) {
        await c.fx.reset();
        await c.fx.malformNextRead(body);
        const e = await failure(c.store.getFlag(c.fx.flagKey));
        expect(isRampartError(e), `${JSON.stringify(body)}: a RampartError, got ${String(e)}`).toBe(true);
        expect(e, JSON.stringify(body)).toMatchObject({
          code: 'vendor_error',
          message: expect.stringMatching(c.traits.vendor),
        });
      }
      await c.fx.reset();
    },
  );

  if (c.traits.lostAnswers) {
    r.add(
      'lost-answer',
      'a ramp whose write answer is lost is settled by reading back: done (at once or after reconcile), never failed',
      async () => {
        if (!c.fx.faults) throw new Error('the fixture says it can lose write answers but has no faults');
        await c.fx.reset();
        const db = openStore(':memory:');
        const service = createRolloutService({
          flagStore: () => c.store,
          audit: db.audit,
          changes: db.changes,
          processes: db.processes,
          bus: createEventBus(),
          user: () => 'conformance',
          settleDelaysMs: [],
          ownGraceMs: 0,
        });
        const last = () => db.audit.list({ limit: 1, flagKey: c.fx.flagKey })[0];
        try {
          const to = otherExposure(c.fx.baseExposure);
          const lost = c.fx.faults.loseNextWriteAnswer();
          const req = {
            connectionId: c.store.connectionId,
            flagKey: c.fx.flagKey,
            env: c.fx.env,
            to,
            expected: c.fx.baseExposure,
            comment: 'conformance: lost answer',
            override: true,
            door: 'cli' as const,
          };
          await service.ramp(req).catch((e: unknown) => c.errors.push(e));
          await lost.applied;
          expect(['done', 'unknown']).toContain(last().result);
          if (last().result === 'unknown') await service.reconcile();
          expect(last()).toMatchObject({ result: 'done', to: { exposure: to } });
          expect(last().trail.map((t) => t.result)).not.toContain('failed');
          expect((await c.fx.raw()).exposure).toBe(to);
        } finally {
          service.close();
          db.close();
        }
      },
    );
  }

  if (c.traits.credentials) {
    r.add('echoed-secret', 'an error body that quotes the credentials back never puts them in the error', async () => {
      if (!c.fx.faults || c.fx.secrets.length === 0)
        throw new Error('the fixture has credentials but cannot make the vendor echo them');
      c.fx.faults.echoSecret(c.fx.secrets);
      const e = await failure(c.store.getFlag(c.fx.flagKey));
      expect(isRampartError(e), String(e)).toBe(true);
      expect(leaks([e], c.fx.secrets)).toEqual([]);
    });

    r.add(
      'refused-credential',
      'a refused credential is unauthorized, and the planted credential is in no error (also when echoed)',
      async () => {
        if (!c.fx.storeWithSecret || !c.fx.faults)
          throw new Error('the fixture has credentials but no store with another one');
        const planted = `rampart-planted-${randomBytes(12).toString('hex')}`;
        const other = c.fx.storeWithSecret(planted);
        const refused = await failure(other.getFlag(c.fx.flagKey));
        expect(refused).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(c.traits.vendor) });
        c.fx.faults.echoSecret([planted]);
        const echoed = await failure(other.getFlag(c.fx.flagKey));
        expect(leaks([refused, echoed], [planted, ...c.fx.secrets])).toEqual([]);
      },
    );
  }

  r.add(
    'live-after-faults',
    'after every fault above, the adapter reads the vendor’s state again as it is',
    async () => {
      await c.fx.reset();
      const live = await liveState(c);
      expect({ enabled: live.enabled, exposure: live.exposure }).toEqual({
        enabled: true,
        exposure: c.fx.baseExposure,
      });
    },
  );
}

/** Registered last: every error the suite collected is searched for the fixture's credentials. */
export function secretScanCase(r: CaseRegistrar, c: SuiteContext): void {
  if (!c.traits.credentials) return;
  r.add(
    'no-secret-anywhere',
    'no credential in any error the adapter threw during this suite (message, JSON, wire form, inspect)',
    async () => {
      // By now the suite has seen not_found, conflicts, malformed answers and echoed credentials.
      expect(c.errors.length).toBeGreaterThanOrEqual(4);
      expect(leaks(c.errors, c.fx.secrets)).toEqual([]);
    },
  );
}
