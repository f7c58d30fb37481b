import type { FlagStore } from '../../main/flags/flag-store';
import { RampartError } from '../../shared/errors';
import { describeFlagStore, type FlagStoreFixture } from './flag-store-suite';
import { launchDarklyFixture, LD_TRAITS } from './fixtures/launchdarkly';

/**
 * The suite can fail: each mutant below is the LaunchDarkly adapter with one kind of defect planted, and lists as
 * "known defects" exactly the cases that must catch it. `it.fails` turns red if a listed case passes anyway (the
 * suite missed the defect), and every unlisted case must still pass (the mutant broke only what it says).
 */
function mutant(
  change: (store: FlagStore, fx: FlagStoreFixture) => Partial<FlagStore>,
): () => Promise<FlagStoreFixture> {
  return async () => {
    const fx = await launchDarklyFixture();
    return { ...fx, store: { ...fx.store, ...change(fx.store, fx) } };
  };
}

describeFlagStore(
  'mutant: treatmentReach always says none',
  mutant(() => ({ treatmentReach: async () => ({ state: 'none', detail: 'planted defect' }) })),
  { traits: LD_TRAITS, defects: { 'reach-while-served': 'planted: reach says none while the treatment is served' } },
);

describeFlagStore(
  'mutant: unstable history ids, exposures floored to whole percent',
  mutant((s) => ({
    history: async (range) => (await s.history(range)).map((c) => ({ ...c, id: `${c.id}:${Math.random()}` })),
    setExposure: (flagKey, env, percent, opts) => s.setExposure(flagKey, env, Math.floor(percent), opts),
  })),
  {
    traits: LD_TRAITS,
    defects: {
      'history-ids': 'planted: ids change between calls',
      'exposure-rounding': 'planted: 40.0016 lands at 40',
    },
  },
);

describeFlagStore(
  'mutant: errors quote the token, an unknown flag is an internal error',
  mutant((s, fx) => ({
    getFlag: (key) =>
      s.getFlag(key).catch((e: RampartError) => {
        throw new RampartError(
          e.code === 'not_found' ? 'internal' : e.code,
          `${e.message} (sent with token ${fx.secrets[0]})`,
        );
      }),
  })),
  {
    traits: LD_TRAITS,
    defects: {
      'unknown-flag': 'planted: not_found becomes internal',
      'echoed-secret': 'planted: the token in the message',
      'no-secret-anywhere': 'planted: the token in the message',
    },
  },
);

describeFlagStore(
  'mutant: rollback does nothing, writes ignore the read they were given',
  mutant((s) => ({
    rollback: async () => ({}),
    setExposure: (flagKey, env, percent, opts) => s.setExposure(flagKey, env, percent, { ...opts, live: undefined }),
  })),
  {
    traits: LD_TRAITS,
    defects: {
      rollback: 'planted: nothing written',
      'rollback-without-live': 'planted: nothing written',
      'comment-rollback': 'planted: nothing written',
      'version-check': 'planted: a fresh read replaces the stale one, so the vendor check never sees it',
    },
  },
);
