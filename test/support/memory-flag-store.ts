import type { FlagState, FlagStoreCapabilities } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
import type { FlagStore } from '../../main/flags/flag-store';

/**
 * An in-memory FlagStore for unit tests of the rollout logic (the real adapters have their own tests against real
 * or documented-shape servers). Failures are injected per call so tests can break a write, a read-back, or both.
 */
export function memoryFlagStore(initial: FlagState[], caps: Partial<FlagStoreCapabilities> = {}) {
  const flags = new Map(initial.map((f) => [f.key, structuredClone(f)]));
  const writes: string[] = [];
  const fail = { write: null as RampartError | null, writeButApply: null as RampartError | null, read: null as RampartError | null, readAfterWrites: -1, ignoreWrites: false };

  function flag(key: string): FlagState {
    const f = flags.get(key);
    if (!f) throw new RampartError('not_found', `memory: no flag '${key}'`);
    return f;
  }
  const readGuard = () => {
    if (fail.read && (fail.readAfterWrites < 0 || writes.length >= fail.readAfterWrites)) throw fail.read;
  };

  const store: FlagStore = {
    connectionId: 'mem',
    capabilities: () => ({ exposureStep: 1, historyHasActors: false, writesHaveVersionCheck: false, canWatch: false, ...caps }),
    environments: async () => [{ key: 'production', name: 'production' }],
    listFlags: async () => (readGuard(), [...flags.values()].map((f) => structuredClone(f))),
    getFlag: async (key) => (readGuard(), structuredClone(flag(key))),
    history: async () => [],
    async setExposure(key, env, percent, opts) {
      writes.push(`exposure ${key} ${env} ${percent}`);
      if (fail.write) throw fail.write;
      const s = flag(key).envs[env];
      if ((s.exposure ?? 0) !== (opts.expected ?? 0)) throw new RampartError('conflict', 'memory: moved', { live: s.exposure });
      if (!fail.ignoreWrites) s.exposure = percent;
      if (fail.writeButApply) throw fail.writeButApply;
    },
    async setEnabled(key, env, on) {
      writes.push(`enabled ${key} ${env} ${on}`);
      if (fail.write) throw fail.write;
      if (!fail.ignoreWrites) flag(key).envs[env].enabled = on;
      if (fail.writeButApply) throw fail.writeButApply;
    },
  };
  return { store, flags, writes, fail };
}

export const checkoutFlag = (exposure = 5, enabled = true): FlagState => ({
  key: 'checkout-v2',
  name: 'New checkout',
  variants: ['on', 'off'],
  envs: { production: { enabled, exposure, treatment: 'on', control: 'off' } },
});
