import { describe } from 'vitest';
import { caseRegistrar, useFixture } from './cases';
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
    useFixture(makeFixture, (fx) => {
      c.fx = fx;
      c.store = recorder.wrap(fx.store);
    });

    const r = caseRegistrar(name, options.defects, options.timeoutMs);
    readCases(r, c);
    writeCases(r, c);
    faultCases(r, c);
    secretScanCase(r, c);
    r.checkDefects();
  });
}
