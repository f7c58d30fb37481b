import { afterAll, beforeAll, beforeEach, it } from 'vitest';

/**
 * Known defects: case id → what is wrong (which adapter rule is broken). A case listed here is registered with
 * `it.fails`, so CI stays green while the defect stays visible in the test name; when the adapter is fixed the
 * case starts "failing" and the entry must go. An id that names no case of the suite is an error (a typo would
 * otherwise hide a defect).
 */
export type KnownDefects = Readonly<Record<string, string>>;

export interface CaseRegistrar {
  /** Registers one conformance case under a stable id (the key used in KnownDefects). */
  add(id: string, title: string, fn: () => Promise<void>, timeoutMs?: number): void;
  /** Call once every case is registered. */
  checkDefects(): void;
}

/** `defaultTimeoutMs`: the suite's timeout for a case that names none (real servers are slower than fakes). */
export function caseRegistrar(suite: string, defects: KnownDefects = {}, defaultTimeoutMs?: number): CaseRegistrar {
  const ids = new Set<string>();
  return {
    add(id, title, fn, caseTimeoutMs) {
      const timeoutMs = caseTimeoutMs ?? defaultTimeoutMs;
      if (ids.has(id)) throw new Error(`${suite}: case id ${id} registered twice`);
      ids.add(id);
      const defect = defects[id];
      if (defect) it.fails(`${title} — KNOWN DEFECT: ${defect}`, fn, timeoutMs);
      else it(`${title} [${id}]`, fn, timeoutMs);
    },
    checkDefects() {
      const stray = Object.keys(defects).filter((id) => !ids.has(id));
      if (stray.length > 0) throw new Error(`${suite}: known defects name no case of this suite: ${stray.join(', ')}`);
    },
  };
}

/**
 * A suite's fixture around its cases: made once before them and closed after. A fixture that cannot start fails every
 * case with its error (a missing component says how to install it), so none is skipped. `ready` wires the started
 * fixture into the suite's context.
 */
export function useFixture<F extends { close(): Promise<void> }>(make: () => Promise<F>, ready: (fx: F) => void): void {
  let fx: F | undefined;
  let startError: unknown;
  beforeAll(async () => {
    try {
      fx = await make();
      ready(fx);
    } catch (e) {
      startError = e;
    }
  }, 240_000); // a real server's first start (Unleash: ≈200 migrations) is slower than any case
  beforeEach(() => {
    if (startError) throw startError;
  });
  afterAll(async () => {
    await fx?.close();
  });
}
