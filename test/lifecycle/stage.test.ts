import { describe, expect, it } from 'vitest';
import { changeLabel, type ChangeState, type FlagChange } from '../../shared/domain/flags';
import { DAY_MS, type LifecycleRow } from '../../shared/domain/lifecycle';
import { compareRows, deriveStage, type StageInput } from '../../main/lifecycle/stage';

const NOW = Date.UTC(2026, 2, 14, 12);
let seq = 0;
function change(
  daysAgo: number,
  kind: FlagChange['kind'],
  from: ChangeState | null,
  to: ChangeState | null,
  actor = 'alice',
  env = 'production',
): FlagChange {
  return {
    id: `c:${seq++}`,
    connectionId: 'c',
    flagKey: 'f',
    env,
    at: NOW - daysAgo * DAY_MS,
    kind,
    from,
    to,
    label: changeLabel(kind, from, to),
    actor,
    source: 'vendor',
  };
}
const input = (o: Partial<StageInput>): StageInput => ({
  state: { enabled: true, exposure: 100 },
  changes: [],
  observation: null,
  planRunning: false,
  staleDays: 30,
  now: NOW,
  ...o,
});

describe('the lifecycle stage of a flag × environment', () => {
  it('is created while nothing ever served the treatment, with its creator as owner', () => {
    const s = deriveStage(
      input({
        state: { enabled: false, exposure: 0 },
        changes: [change(60, 'created', null, { enabled: false, exposure: 0 }, 'carol', '*')],
      }),
    );
    expect(s).toMatchObject({ stage: 'created', owner: 'carol', createdAt: NOW - 60 * DAY_MS, staleReason: null });
  });

  it('is rolling out between 0 and 100 %, and while a plan runs even at 100 %', () => {
    expect(
      deriveStage(
        input({
          state: { enabled: true, exposure: 25 },
          changes: [change(40, 'exposure', { exposure: 5 }, { exposure: 25 })],
        }),
      ).stage,
    ).toBe('rolling-out');
    expect(
      deriveStage(input({ changes: [change(40, 'exposure', { exposure: 50 }, { exposure: 100 })], planRunning: true }))
        .stage,
    ).toBe('rolling-out');
  });

  it('is released since the change that made it so, and stale once unchanged for the threshold', () => {
    const released = [change(40, 'exposure', { exposure: 50 }, { exposure: 100 }, 'bob')];
    const fresh = deriveStage(input({ changes: released, staleDays: 45 }));
    expect(fresh).toMatchObject({ stage: 'released', since: NOW - 40 * DAY_MS, sinceBasis: 'exact', lastActor: 'bob' });
    const stale = deriveStage(input({ changes: released }));
    expect(stale).toMatchObject({ stage: 'stale', doneAs: 'released', since: NOW - 40 * DAY_MS });
    expect(stale.staleReason).toBe('released to everyone and unchanged for 40 days; the threshold is 30 days');
  });

  it('counts any change as activity: a targeting edit 10 days ago keeps a flag released 40 days ago fresh', () => {
    const s = deriveStage(
      input({
        changes: [
          change(40, 'exposure', { exposure: 50 }, { exposure: 100 }),
          change(10, 'targeting', null, { targeting: 'added default strategy' }),
        ],
      }),
    );
    expect(s).toMatchObject({ stage: 'released', since: NOW - 40 * DAY_MS });
  });

  it('is off (and then stale) once it was exposed and turned off', () => {
    const changes = [
      change(90, 'enabled', { enabled: false }, { enabled: true }),
      change(35, 'enabled', { enabled: true }, { enabled: false }),
    ];
    expect(deriveStage(input({ state: { enabled: false, exposure: 100 }, changes, staleDays: 60 })).stage).toBe('off');
    expect(deriveStage(input({ state: { enabled: false, exposure: 100 }, changes }))).toMatchObject({
      stage: 'stale',
      doneAs: 'off',
    });
  });

  it('says "at least" when only Rampart\'s own first sighting dates the state (a store without history)', () => {
    const obs = {
      firstSeenAt: NOW - 31 * DAY_MS,
      stateSince: NOW - 31 * DAY_MS,
      transitioned: false,
      everExposed: true,
    };
    const s = deriveStage(input({ observation: obs }));
    expect(s).toMatchObject({ stage: 'stale', sinceBasis: 'at-least', since: NOW - 31 * DAY_MS });
    expect(s.staleReason).toContain('at least');
    expect(
      deriveStage(input({ observation: { ...obs, firstSeenAt: NOW - DAY_MS, stateSince: NOW - DAY_MS } })).stage,
    ).toBe('released');
  });

  it('goes stale when its exposure metric shows no evaluation for the threshold, even after a recent change', () => {
    const changes = [change(5, 'exposure', { exposure: 50 }, { exposure: 100 })];
    const measured = 'its exposure metric (requests by v, hourly and every 1 min over the last 2 h)';
    const silent = { lastAt: null, dataFrom: NOW - 30 * DAY_MS, measured };
    const s = deriveStage(input({ changes, evaluation: silent }));
    expect(s.stage).toBe('stale');
    expect(s.staleReason).toContain('not evaluated in the last 30 days');
    expect(s.staleReason).toContain(measured); // the reason says what was measured
    expect(deriveStage(input({ changes, evaluation: { ...silent, lastAt: NOW - 2 * 3_600_000 } })).stage).toBe(
      'released',
    );
    expect(deriveStage(input({ changes, evaluation: undefined })).stage).toBe('released'); // no data: no claim
  });

  it('never calls a flag stale for silence longer than the data it has, nor a flag younger than the threshold', () => {
    const measured = 'its exposure metric';
    // The metric has only had a series for the flag for 3 days, all zero: 3 days of silence, not 30.
    const short = { lastAt: null, dataFrom: NOW - 3 * DAY_MS, measured };
    const old = [change(40, 'created', null, null), change(5, 'exposure', { exposure: 50 }, { exposure: 100 })];
    expect(deriveStage(input({ changes: old, evaluation: short })).stage).toBe('released');
    expect(deriveStage(input({ changes: old, evaluation: { ...short, dataFrom: NOW - 30 * DAY_MS } })).stage).toBe(
      'stale',
    );
    // Created 25 minutes ago (tester 2, F13): whatever the metric says, it cannot have been silent for 30 days.
    const young = [change(25 / 1440, 'created', null, { enabled: true, exposure: 100 })];
    const whole = { lastAt: null, dataFrom: NOW - 30 * DAY_MS, measured };
    expect(deriveStage(input({ changes: young, evaluation: whole })).stage).toBe('released');
  });

  it('is archived when the store says so, dated by the archive event', () => {
    const s = deriveStage(
      input({
        state: null,
        changes: [change(70, 'created', null, null, 'dan', '*'), change(3, 'archived', null, null, 'dan', '*')],
      }),
    );
    expect(s).toMatchObject({ stage: 'archived', since: NOW - 3 * DAY_MS, owner: 'dan' });
  });

  it('sorts by stage, then longest done first', () => {
    const row = (flagKey: string, stage: LifecycleRow['stage'], since: number | null) =>
      ({ flagKey, stage, since, env: 'production' }) as LifecycleRow;
    const rows = [
      row('a', 'released', NOW - DAY_MS),
      row('b', 'stale', NOW - 40 * DAY_MS),
      row('c', 'stale', NOW - 90 * DAY_MS),
      row('d', 'rolling-out', null),
      row('e', 'released', NOW - 9 * DAY_MS),
    ];
    expect(rows.sort(compareRows).map((r) => r.flagKey)).toEqual(['c', 'b', 'e', 'a', 'd']);
  });
});

describe('dating a state Rampart saw change', () => {
  it('trusts a recorded change that ends in the live state over the later sighting of it', () => {
    const obs = { firstSeenAt: NOW - 10 * DAY_MS, stateSince: NOW - 60_000, transitioned: true, everExposed: true };
    const restored = [change(40, 'exposure', { exposure: 25 }, { exposure: 5 })];
    expect(
      deriveStage(input({ state: { enabled: true, exposure: 5 }, changes: restored, observation: obs })),
    ).toMatchObject({ since: NOW - 40 * DAY_MS, sinceBasis: 'exact' });
    // A change Rampart never recorded (the file edited while nobody watched): only the sighting dates it.
    expect(
      deriveStage(input({ state: { enabled: true, exposure: 50 }, changes: restored, observation: obs })),
    ).toMatchObject({ since: NOW - 60_000, sinceBasis: 'at-least' });
  });
});
