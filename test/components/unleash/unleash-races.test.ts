import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import type { FlagStore, WriteReport } from '../../../main/flags/flag-store';
import { UnleashConnection } from '../../../shared/domain/connections';
import { isRampartError } from '../../../shared/errors';
import { startDelayProxy, type DelayProxy } from './delay-proxy';
import { startUnleash, type RunningUnleash } from './harness';
import {
  EDIT_KINDS,
  RAMPART_TARGET,
  START_ROLLOUT,
  adminClient,
  envPath,
  judgeRace,
  otherEdit,
  seedRaceFlag,
  seededRandom,
  type Admin,
  type EditKind,
  type RaceResult,
  type RawEvent,
  type RawStrategy,
} from './race-support';

/**
 * Issue 9: a ramp on Unleash while someone else edits the same strategy. 100 races with no added latency and 100
 * with 150 ms added between the adapter and Unleash (delay-proxy.ts). Each race: a fresh flag at 25%; Rampart does
 * what the rollout service does (getFlag, compare with what the user saw, setExposure with that read as
 * `opts.live`) while a second actor — its own admin token, raw HTTP — sets the rollout, saves new constraints the
 * way Unleash's UI does, or turns the environment off, at a random offset around the ramp. Every race must end
 * with both edits in the final state, or a conflict, or the adapter reporting the concurrent edit: 0 silent losses.
 */
let unleash: RunningUnleash;
let proxy: DelayProxy;
let store: FlagStore;
let admin: Admin;
let alice: Admin;
const started = Date.now();
const SEED = Number(process.env.RAMPART_RACE_SEED ?? 20_260_309);
/** 100 per run in CI; a soak run can ask for more. */
const RACES = Number(process.env.RAMPART_RACE_COUNT ?? 100);

let startError: unknown;
beforeEach(() => {
  if (startError) throw startError;
});

beforeAll(async () => {
  try {
    unleash = await startUnleash();
    proxy = await startDelayProxy(unleash.url);
    const connection = UnleashConnection.parse({
      id: 'unleash-races',
      name: 'Unleash races',
      kind: 'unleash',
      url: proxy.url,
      rollbackMode: 'zero',
    });
    store = createUnleashStore({ connection, token: unleash.token });
    admin = adminClient(unleash.url, unleash.token);
    alice = adminClient(unleash.url, unleash.secondActor.token);
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await proxy?.close();
  await unleash?.stop();
  console.info(`unleash races: ${((Date.now() - started) / 1000).toFixed(1)} s including server start and stop`);
});

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

interface Outcome {
  kind: EditKind;
  offsetMs: number;
  result: RaceResult;
  report?: WriteReport;
  detail?: unknown;
}

/** What the rollout service does for one ramp: one read, the comparison with what the user saw, the write. */
async function rampLikeTheService(flag: string): Promise<{ conflict: boolean; report?: WriteReport }> {
  const live = (await store.getFlag(flag)).envs.production;
  if (live.exposure !== START_ROLLOUT) return { conflict: true };
  try {
    const report = await store.setExposure(flag, 'production', RAMPART_TARGET, {
      expected: START_ROLLOUT,
      comment: 'race',
      live,
    });
    return { conflict: false, report: report ?? undefined };
  } catch (e) {
    if (isRampartError(e) && e.code === 'conflict') return { conflict: true };
    throw e;
  }
}

async function race(flag: string, kind: EditKind, offsetMs: number): Promise<Outcome> {
  const strategyId = await seedRaceFlag(admin, flag);
  const t0 = performance.now() + 5;
  const [ramp] = await Promise.all([
    sleepUntil(t0 + Math.max(0, -offsetMs)).then(() => rampLikeTheService(flag)),
    sleepUntil(t0 + Math.max(0, offsetMs)).then(() => otherEdit(alice, kind, flag, strategyId)),
  ]);
  const env = await admin<{ enabled: boolean; strategies: RawStrategy[] }>('GET', envPath(flag));
  const strategy = env.strategies.find((s) => s.id === strategyId);
  if (!strategy) throw new Error(`race ${flag}: strategy ${strategyId} is gone`);
  const { events } = await admin<{ events: RawEvent[] }>(
    'GET',
    `/api/admin/search/events?feature=IS:${flag}&limit=100`,
  );
  const result = judgeRace({
    kind,
    conflict: ramp.conflict,
    report: ramp.report,
    final: { enabled: env.enabled, strategy },
    events: [...events].sort((a, b) => a.id - b.id),
    searches: proxy.searches.filter((s) => s.feature === `IS:${flag}`),
    otherActor: unleash.secondActor.name,
    rampartActor: 'rampart-harness',
  });
  // A loss carries what is needed to understand it: the event log, what the adapter saw of it, what it said.
  const detail =
    result === 'SILENT LOSS'
      ? {
          events: events.map(
            (e) =>
              `${e.id} ${e.type} ${e.createdBy} ${e.createdAt} ${e.preData?.parameters?.rollout}→${e.data?.parameters?.rollout}`,
          ),
          adapterSaw: proxy.searches.filter((x) => x.feature === `IS:${flag}`).map((x) => x.eventIds),
          final: { enabled: env.enabled, rollout: strategy.parameters.rollout, constraints: strategy.constraints },
          report: ramp.report,
        }
      : undefined;
  return { kind, offsetMs, result, report: ramp.report, ...(detail ? { detail } : {}) };
}

/** How long one ramp takes at this latency (median of 5, after a warm-up), so the offsets cover all of it. */
async function rampDuration(label: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const flag = `calibrate-${label}-${i}`;
    await seedRaceFlag(admin, flag);
    const t = performance.now();
    expect((await rampLikeTheService(flag)).conflict).toBe(false);
    if (i >= 2) times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2];
}

async function runRaces(label: string, count: number, lanes: number): Promise<Outcome[]> {
  const random = seededRandom(SEED + label.length);
  const duration = await rampDuration(label);
  // The other actor's request starts up to half a ramp (+15 ms, its own round trip) before Rampart's read, and up
  // to a little after Rampart's last request.
  const plan = Array.from({ length: count }, (_, i) => ({
    flag: `race-${label}-${i}`,
    kind: EDIT_KINDS[i % EDIT_KINDS.length],
    offsetMs: Math.round(-(duration / 2 + 15) + random() * (duration * 1.6 + 15)),
  }));
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < plan.length; i += lanes)
        outcomes.push(await race(plan[i].flag, plan[i].kind, plan[i].offsetMs));
    }),
  );
  printTable(label, duration, outcomes);
  return outcomes;
}

function printTable(label: string, duration: number, outcomes: readonly Outcome[]): void {
  const results = [...new Set(outcomes.map((o) => o.result))].sort();
  const rows = EDIT_KINDS.map(
    (k) =>
      `  ${k.padEnd(12)} ${results.map((r) => `${r}: ${outcomes.filter((o) => o.kind === k && o.result === r).length}`).join(', ')}`,
  );
  const lost = outcomes.filter((o) => o.result === 'SILENT LOSS').length;
  console.info(
    [
      `unleash races (${label}; seed ${SEED}; one ramp ≈ ${duration.toFixed(0)} ms): ${outcomes.length} races, ${lost} silent losses`,
      ...rows,
    ].join('\n'),
  );
  const example = outcomes.find((o) => o.result === 'reported')?.report?.concurrentEdit?.summary;
  if (example) console.info(`  e.g. ${example}`);
}

/** The report must say the truth: a lost edit is called lost, a kept one is not, and the actor is the other one. */
function checkReports(outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  for (const o of outcomes) {
    const edit = o.report?.concurrentEdit;
    if (!edit) continue;
    if (edit.actor !== undefined && edit.actor !== unleash.secondActor.name)
      problems.push(`${o.kind}@${o.offsetMs}: actor ${edit.actor}`);
    if (o.result === 'reported' && !/replaced|undid|removed|does not show/.test(edit.summary))
      problems.push(`${o.kind}@${o.offsetMs}: a lost edit not called lost: ${edit.summary}`);
    if (o.result === 'preserved, reported' && /replaced|undid/.test(edit.summary))
      problems.push(`${o.kind}@${o.offsetMs}: a kept edit called lost: ${edit.summary}`);
  }
  return problems;
}

describe('Unleash ramps racing a second actor (real Unleash 6.10.1)', () => {
  it('100 races without added latency: 0 silent losses, reports tell the truth', async () => {
    proxy.delayMs = 0;
    const outcomes = await runRaces('direct', RACES, 1);
    expect(outcomes.filter((o) => o.result === 'SILENT LOSS')).toEqual([]);
    expect(checkReports(outcomes)).toEqual([]);
    // The offsets really make the edits overlap: some are reported, some end in a conflict.
    expect(
      outcomes.filter((o) => o.result === 'reported' || o.result === 'preserved, reported').length,
    ).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.result === 'conflict').length).toBeGreaterThan(0);
  });

  it('100 races with 150 ms added between the adapter and Unleash: 0 silent losses', async () => {
    proxy.delayMs = 150;
    const outcomes = await runRaces('latency', RACES, 4);
    expect(outcomes.filter((o) => o.result === 'SILENT LOSS')).toEqual([]);
    expect(checkReports(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.result === 'reported').length).toBeGreaterThan(0);
  });
});
