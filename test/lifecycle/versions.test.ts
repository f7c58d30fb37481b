import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain/audit';
import { changeLabel, type ChangeState, type FlagChange } from '../../shared/domain/flags';
import { buildVersions } from '../../main/lifecycle/versions';

const T = Date.UTC(2026, 2, 1);
let n = 0;
function change(
  min: number,
  kind: FlagChange['kind'],
  from: ChangeState | null,
  to: ChangeState | null,
  o: Partial<FlagChange> = {},
): FlagChange {
  return {
    id: `u:${n++}`,
    connectionId: 'u',
    flagKey: 'f',
    env: 'production',
    at: T + min * 60_000,
    kind,
    from,
    to,
    label: changeLabel(kind, from, to),
    actor: 'alice',
    source: 'vendor',
    ...o,
  };
}
const live = { enabled: true, exposure: 25, targeting: 'everyone; sticky on userId' };

describe('version history of a flag × environment', () => {
  it('rebuilds each state backwards from the live one, with a readable diff and who/why', () => {
    const changes = [
      change(0, 'exposure', null, { exposure: 5 }),
      change(10, 'enabled', { enabled: false }, { enabled: true }),
      change(20, 'exposure', { exposure: 5 }, { exposure: 25 }, { actor: 'bob', comment: 'p99 flat' }),
    ];
    const v = buildVersions({ changes, audit: [], live, step: 1, storeName: 'Unleash' });
    expect(v.map((x) => [x.version, x.state.enabled, x.state.exposure, x.state.exposureKnown])).toEqual([
      [1, false, null, false], // before the oldest change: off, exposure not said
      [2, false, 5, true],
      [3, true, 5, true],
      [4, true, 25, true],
    ]);
    expect(v[0]).toMatchObject({
      label: 'before: rollout 0% → 5%',
      restorable: { ok: false, reason: 'the history does not say what the exposure was then' },
    });
    v.shift();
    expect(v[2]).toMatchObject({
      current: true,
      actor: 'bob',
      comment: 'p99 flat',
      diff: [{ field: 'exposure', from: '5%', to: '25%' }],
    });
    expect(v[1].diff).toEqual([{ field: 'enabled', from: 'off', to: 'on' }]);
    expect(v[1].restorable).toEqual({ ok: true, reason: null });
    expect(v[2].restorable.ok).toBe(false);
  });

  it('refuses a state from before a targeting change, and one whose exposure the history never said', () => {
    const changes = [
      change(0, 'exposure', null, { exposure: 5 }),
      change(5, 'targeting', null, { targeting: 'added userWithId strategy' }),
      change(9, 'exposure', { exposure: 5 }, { exposure: 25 }),
    ];
    const v = buildVersions({ changes, audit: [], live, step: 1, storeName: 'Unleash' }).slice(1);
    expect(v[0].restorable.ok).toBe(false);
    expect(v[0].restorable.reason).toMatch(
      /targeting changed since then \(it is now: everyone; sticky on userId\).*restore the targeting in Unleash/,
    );
    expect(v[1].diff).toContainEqual({ field: 'targeting', from: 'as before', to: 'added userWithId strategy' });
    expect(v[1].restorable.ok).toBe(true); // after the targeting change: on/off and exposure are all that differs

    const unknown = buildVersions({
      changes: [
        change(0, 'enabled', { enabled: false }, { enabled: true }),
        change(1, 'exposure', null, { exposure: 25 }),
      ],
      audit: [],
      live,
      step: 1,
      storeName: 'Unleash',
    });
    expect(unknown[1].state.exposureKnown).toBe(false);
    expect(unknown[1].restorable.reason).toBe('the history does not say what the exposure was then');
  });

  it("joins Rampart's own writes with their audit rows, and adds confirmed writes the timeline lacks", () => {
    const entry = (
      actionId: string,
      at: number,
      from: { enabled: boolean; exposure: number },
      to: { enabled: boolean; exposure: number },
    ): AuditEntry => ({
      actionId,
      at,
      user: 'carol',
      door: 'cli',
      owner: null,
      connectionId: 'u',
      flagKey: 'f',
      env: 'production',
      action: 'ramp',
      from,
      to,
      comment: `ramp ${actionId}`,
      result: 'done',
      error: null,
      reason: null,
      detail: { readBack: to },
      finishedAt: at + 100,
      override: false,
      trail: [],
    });
    const own = change(
      30,
      'exposure',
      { enabled: true, exposure: 5 },
      { enabled: true, exposure: 25 },
      { id: 'u:rampart:a1', source: 'rampart' },
    );
    const audit = [
      entry('a1', T + 30 * 60_000, { enabled: true, exposure: 5 }, { enabled: true, exposure: 25 }),
      entry('a0', T, { enabled: true, exposure: 1 }, { enabled: true, exposure: 5 }),
    ];
    const v = buildVersions({ changes: [own], audit, live, step: 1, storeName: 'Unleash' });
    expect(v.map((x) => x.label)).toEqual([
      'before: ramp (from the audit)',
      'ramp (from the audit)',
      'rollout 5% → 25%',
    ]);
    expect(v[0]).toMatchObject({ state: { enabled: true, exposure: 1 }, restorable: { ok: true } }); // what the oldest write changed from
    v.shift();
    expect(v.map((x) => x.source)).toEqual(['audit', 'rampart']);
    expect(v[0].state).toMatchObject({ enabled: true, exposure: 5 });
    expect(v[1].audit).toEqual({ actionId: 'a1', action: 'ramp', door: 'cli', result: 'done' });
    expect(v[1]).toMatchObject({ comment: 'ramp a1', actor: 'alice' }); // the marker's actor, the audit's comment
  });
});
