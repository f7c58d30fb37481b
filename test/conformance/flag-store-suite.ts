import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { caseRegistrar } from './cases';
import { createErrorRecorder } from './error-recorder';
import { faultCases, secretScanCase } from './flag-store-faults';
import type { FlagStoreFixture, FlagStoreSuiteOptions, SuiteContext } from './flag-store-fixture';
import { readCases } from './flag-store-reads';
import { writeCases } from './flag-store-writes';

export type { FlagStoreFixture, FlagStoreTraits } from './flag-store-fixture';

/**
 * The one conformance suite every FlagStore adapter passes (issue 13), against the contract in
 * main/flags/flag-store.ts and docs/integrations.md: reads in the contract shape, an unknown flag is not_found,
 * history with stable ids and old → new labels over more than one page, setExposure on the store's step, the
 * vendor-level check on a stale read (or its documented absence), the kill switch proven by treatmentReach AND a raw
 * read of the vendor, reach never `none` while the treatment is served, the comment in the vendor's field, a lost
 * write answer settled by the read-back, malformed answers as vendor_error naming the vendor, and no credential in
 * any error. Cases run in order on one fixture; every write case starts from `reset()`.
 */
export function describeFlagStore(
  name: string,
  makeFixture: () => Promise<FlagStoreFixture>,
  options: FlagStoreSuiteOptions,
): void {
  describe(`FlagStore conformance: ${name}`, () => {
    const recorder = createErrorRecorder();
    const c = { errors: recorder.errors, traits: options.traits } as SuiteContext;
    let startError: unknown;

    beforeAll(async () => {
      try {
        c.fx = await makeFixture();
        c.store = recorder.wrap(c.fx.store);
      } catch (e) {
        startError = e; // every case fails with it (a missing component says how to install it), none is skipped
      }
    }, 240_000); // a real server's first start (Unleash: ≈200 migrations) is slower than any case
    beforeEach(() => {
      if (startError) throw startError;
    });
    afterAll(async () => {
      await c.fx?.close();
    });

    const r = caseRegistrar(name, options.defects);
    const add: typeof r.add = (id, title, fn, timeoutMs) => r.add(id, title, fn, timeoutMs ?? options.timeoutMs);
    const registrar = { add, checkDefects: r.checkDefects };
    readCases(registrar, c);
    writeCases(registrar, c);
    faultCases(registrar, c);
    secretScanCase(registrar, c);
    r.checkDefects();
  });
}
