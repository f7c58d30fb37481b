import { it } from 'vitest';

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

export function caseRegistrar(suite: string, defects: KnownDefects = {}): CaseRegistrar {
  const ids = new Set<string>();
  return {
    add(id, title, fn, timeoutMs) {
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
