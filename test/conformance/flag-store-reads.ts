import { expect } from 'vitest';
import {
  Environment,
  FlagChange,
  FlagState,
  FlagStoreCapabilities,
  changeLabel,
  formatPercent,
  type EnvState,
} from '../../shared/domain/flags';
import { isRampartError } from '../../shared/errors';
import type { CaseRegistrar } from './cases';
import { otherExposure, type SuiteContext } from './flag-store-fixture';

/** The live state of the suite's flag in its environment, through the adapter. */
export async function liveState(c: SuiteContext): Promise<EnvState> {
  const flag = await c.store.getFlag(c.fx.flagKey);
  const state = flag.envs[c.fx.env];
  if (!state)
    throw new Error(`getFlag(${c.fx.flagKey}) has no environment ${c.fx.env}: ${Object.keys(flag.envs).join(', ')}`);
  return state;
}

/** Cases that only read: capabilities, environments, flags, an unknown flag, history ids and paging. */
export function readCases(r: CaseRegistrar, c: SuiteContext): void {
  r.add('capabilities', 'capabilities are well-formed, stable, and match what the adapter offers', async () => {
    const caps = FlagStoreCapabilities.parse(c.store.capabilities());
    expect(c.store.capabilities()).toEqual(caps);
    expect(caps.exposureStep).toBeGreaterThan(0);
    expect(caps.exposureStep).toBeLessThanOrEqual(1);
    // A grid that reaches 100 % exactly (1, 0.01, 0.001 …).
    expect(Math.abs(100 / caps.exposureStep - Math.round(100 / caps.exposureStep))).toBeLessThan(1e-6);
    expect(caps.canWatch).toBe(typeof c.fx.store.watch === 'function');
    expect(caps.writesHaveVersionCheck).toBe(c.traits.versionCheck);
  });

  r.add('environments', 'lists its environments, and every environment a flag has is among them', async () => {
    const envs = (await c.store.environments()).map((e) => Environment.parse(e));
    const keys = envs.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const want of c.fx.environments) expect(keys).toContain(want);
    const flag = await c.store.getFlag(c.fx.flagKey);
    for (const env of Object.keys(flag.envs)) expect(keys).toContain(env);
  });

  r.add('flags', 'lists its flags in the contract shape; getFlag agrees with the list', async () => {
    await c.fx.reset();
    const flags = await c.store.listFlags();
    for (const f of flags) FlagState.parse(f);
    const listed = flags.find((f) => f.key === c.fx.flagKey);
    expect(listed, `listFlags() has ${c.fx.flagKey}`).toBeDefined();
    const got = FlagState.parse(await c.store.getFlag(c.fx.flagKey));
    expect(got.key).toBe(c.fx.flagKey);
    const pick = (s: EnvState | undefined) => ({ enabled: s?.enabled, exposure: s?.exposure });
    expect(pick(got.envs[c.fx.env])).toEqual(pick(listed?.envs[c.fx.env]));
    expect(pick(got.envs[c.fx.env])).toEqual({ enabled: true, exposure: c.fx.baseExposure });
  });

  r.add('unknown-flag', 'getFlag of an unknown flag is not_found, naming the flag', async () => {
    const key = 'rampart-conformance-no-such-flag';
    const e = await c.store.getFlag(key).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isRampartError(e), `a RampartError, got ${String(e)}`).toBe(true);
    expect(e).toMatchObject({ code: 'not_found' });
    expect((e as Error).message).toContain(key);
  });

  if (c.traits.history) {
    r.add(
      'history-ids',
      'history after a ramp: old → new label, contract shape, oldest first, ids stable across calls',
      async () => {
        await c.fx.reset();
        const from = Date.now() - 1_000;
        const to = otherExposure(c.fx.baseExposure);
        const live = await liveState(c);
        await c.store.setExposure(c.fx.flagKey, c.fx.env, to, {
          expected: live.exposure,
          live,
          comment: 'conformance: history after a ramp',
        });
        const range = { from, to: Date.now() + 1_000, flagKey: c.fx.flagKey, env: c.fx.env };
        const first = (await c.store.history(range)).map((ch) => FlagChange.parse(ch));
        const again = await c.store.history(range);
        expect(again.map((ch) => ch.id)).toEqual(first.map((ch) => ch.id));
        expect(new Set(first.map((ch) => ch.id)).size).toBe(first.length);
        for (const ch of first) {
          expect(ch.id.startsWith(`${c.store.connectionId}:`), ch.id).toBe(true);
          expect(ch.connectionId).toBe(c.store.connectionId);
          const known = ch.from !== null && ch.to !== null;
          if ((ch.kind === 'exposure' || ch.kind === 'enabled') && known)
            expect(ch.label).toBe(changeLabel(ch.kind, ch.from, ch.to));
          // No old state (a strategy added) or one the vendor's log does not keep: the label still says the new value.
          if (ch.kind === 'exposure' && ch.from === null)
            expect(ch.label).toContain(`→ ${formatPercent(ch.to?.exposure ?? 0)}`);
        }
        expect(first.map((ch) => ch.at)).toEqual([...first.map((ch) => ch.at)].sort((a, b) => a - b));
        const ramp = first.filter((ch) => ch.kind === 'exposure').at(-1);
        expect(ramp).toMatchObject({ flagKey: c.fx.flagKey, env: c.fx.env, to: { exposure: to } });
        if (c.traits.oldExposureInHistory) {
          expect(ramp?.label).toBe(`rollout ${c.fx.baseExposure}% → ${to}%`);
          expect(ramp?.from).toMatchObject({ exposure: c.fx.baseExposure });
        } else {
          expect(ramp?.from, 'the vendor keeps no old value: none is made up').toBeNull();
          expect(ramp?.label).toContain(`→ ${to}%`);
        }
      },
    );
  } else {
    r.add(
      'history-none',
      'keeps no history of its own (the core records what it sees): history is empty even after a write',
      async () => {
        await c.fx.reset();
        const live = await liveState(c);
        await c.store.setExposure(c.fx.flagKey, c.fx.env, otherExposure(c.fx.baseExposure), {
          expected: live.exposure,
          live,
          comment: 'conformance: no history',
        });
        expect(await c.store.history({ from: 0, to: Date.now() + 60_000 })).toEqual([]);
      },
    );
  }

  if (c.traits.history) {
    r.add(
      'history-paging',
      'history over more than one page: every change once, old → new labels, with actors',
      async () => {
        if (!c.fx.makeHistory)
          throw new Error('the fixture says the vendor keeps history but cannot make any (makeHistory)');
        const made = await c.fx.makeHistory();
        expect(made.expected.length).toBeGreaterThan(made.page);
        const got = (await c.store.history(made.range)).map((ch) => FlagChange.parse(ch));
        expect(new Set(got.map((ch) => ch.id)).size, 'no change twice').toBe(got.length);
        const flags = new Set(made.expected.map((e) => e.flagKey));
        const kinds = new Set<string>(made.expected.map((e) => e.kind));
        const byFlag = (list: { flagKey: string; kind: string; label: string }[], key: string) =>
          list.filter((e) => e.flagKey === key && kinds.has(e.kind)).map((e) => e.label);
        for (const key of flags)
          expect(byFlag(got, key), `labels of ${key}, oldest first`).toEqual(byFlag(made.expected, key));
        const mine = got.filter((ch) => flags.has(ch.flagKey));
        if (c.store.capabilities().historyHasActors && made.actor)
          for (const ch of mine) expect(ch.actor).toBe(made.actor);
      },
    );
  }
}
