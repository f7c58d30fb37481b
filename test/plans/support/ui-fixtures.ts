import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanPolicy, type DecisionSnapshot, type Plan, type PlanEventKind } from '../../../shared/domain/plans';
import { openDatabase } from '../../../main/store/database';
import { createPlanStore } from '../../../main/plans/plan-store';

/**
 * Plans in the states the live demo does not reach on its own within a test (holding, awaiting approval, rolled
 * back and verifying, recovered, not recovered, completed), on a second flagd store, for the UI screenshots. They are
 * written into the host's data dir and leased to a "fixture" owner until far in the future, so the host's own runner
 * leaves them exactly as written.
 */
export const FIXTURE_CONNECTION = 'fixture-flags';

interface Fixture {
  flag: string;
  state: Plan['state'];
  exposure: number;
  stepIndex: number;
  reason: string;
  steps?: { exposure: number; approval?: boolean }[];
  history: [PlanEventKind, number, number, string][]; // kind, step index, exposure, message (times spaced 12 min)
  rollback?: boolean;
  recovery?: Plan['recovery'];
}

const MIN = 60_000;
export const FIXTURES: Fixture[] = [
  {
    flag: 'fx-holding',
    state: 'holding',
    exposure: 25,
    stepIndex: 2,
    reason: 'Hold: not decided yet (critical metric not yet decided: p99 — keep baking (3 of 4 pass)).',
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5: 1% → 5%'],
      ['advance', 2, 25, 'step 3/5: 5% → 25%'],
      ['hold', 2, 25, 'Hold: not decided yet'],
    ],
  },
  {
    flag: 'fx-approval',
    state: 'awaiting-approval',
    exposure: 25,
    stepIndex: 2,
    reason: 'ready for 50%: waiting for a person’s approval',
    steps: [{ exposure: 1 }, { exposure: 5 }, { exposure: 25 }, { exposure: 50, approval: true }, { exposure: 100 }],
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5'],
      ['advance', 2, 25, 'step 3/5'],
      ['approval-needed', 2, 25, 'ready for 50%: waiting for approval'],
    ],
  },
  {
    flag: 'fx-rollback',
    state: 'rolled-back',
    exposure: 0,
    stepIndex: 1,
    reason:
      'rolled back: Roll back: p99: the always-valid interval [+31.2%, +58.9%] lies entirely above the allowed change.',
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5: 1% → 5%'],
      ['rollback', 1, 0, '5% → off, confirmed by read-back'],
    ],
    rollback: true,
    recovery: { status: 'verifying', deadline: 0, at: null, message: 'not back yet: p99 at 1.18× its baseline' },
  },
  {
    flag: 'fx-recovered',
    state: 'recovered',
    exposure: 0,
    stepIndex: 2,
    reason: 'recovered at 10:07 UTC, 3 min after rollback',
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5'],
      ['advance', 2, 25, 'step 3/5'],
      ['rollback', 2, 0, '25% → off, confirmed by read-back'],
      ['recovered', 2, 0, 'recovered at 10:07 UTC, 3 min after rollback'],
    ],
    rollback: true,
    recovery: { status: 'recovered', deadline: 0, at: 0, message: 'recovered at 10:07 UTC, 3 min after rollback' },
  },
  {
    flag: 'fx-notrecovered',
    state: 'not-recovered',
    exposure: 0,
    stepIndex: 1,
    reason: 'not recovered after 15 min: look beyond this flag (not back yet: p99 at 1.41× its baseline)',
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5'],
      ['rollback', 1, 0, '5% → off'],
      ['not-recovered', 1, 0, 'not recovered after 15 min: look beyond this flag'],
    ],
    rollback: true,
    recovery: {
      status: 'not-recovered',
      deadline: 0,
      at: null,
      message: 'not recovered after 15 min: look beyond this flag (not back yet: p99 at 1.41× its baseline)',
    },
  },
  {
    flag: 'fx-aborted',
    state: 'aborted',
    exposure: 0,
    stepIndex: 1,
    reason: 'aborted: aborted by alice: the payment provider has an incident',
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5'],
      ['abort', 1, 0, '5% → off, confirmed by read-back: aborted by alice'],
      ['recovered', 1, 0, 'recovered at 09:41 UTC, 2 min after rollback'],
    ],
    rollback: true,
    recovery: { status: 'recovered', deadline: 0, at: 0, message: 'recovered at 09:41 UTC, 2 min after rollback' },
  },
  {
    flag: 'fx-completed',
    state: 'completed',
    exposure: 100,
    stepIndex: 4,
    reason: 'reached 100%',
    history: [
      ['start', 0, 1, 'plan started at 1%'],
      ['advance', 1, 5, 'step 2/5'],
      ['advance', 2, 25, 'step 3/5'],
      ['advance', 3, 50, 'step 4/5'],
      ['advance', 4, 100, 'step 5/5'],
      ['complete', 4, 100, 'plan complete at 100%'],
    ],
  },
];

/** The decision a plan in this state last saw: a rollback's for the rolled-back ones, a hold while holding. */
function decisionFor(
  f: Pick<Fixture, 'state' | 'rollback'> | { rollback: true; state?: undefined },
  d: DecisionSnapshot,
): DecisionSnapshot {
  if (f.rollback) {
    const reason = 'Roll back: p99: the always-valid interval [+31.2%, +58.9%] lies entirely above the allowed change.';
    return {
      ...d,
      action: 'rollback',
      verdict: 'fail',
      reason,
      guard: { ...d.guard, act: true, trigger: 'always-valid', reason },
    };
  }
  if (f.state === 'holding')
    return {
      ...d,
      action: 'hold',
      verdict: 'inconclusive',
      reason: 'Hold: not decided yet (critical metric not yet decided: p99 — keep baking (3 of 4 pass)).',
    };
  return d;
}

function flagdFile(path: string): void {
  const flags = Object.fromEntries(
    FIXTURES.map((f) => [
      f.flag,
      {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: {
          fractional: [
            { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] },
            ['on', f.exposure],
            ['off', 100 - f.exposure],
          ],
        },
        metadata: { name: `Fixture: ${f.state}` },
      },
    ]),
  );
  writeFileSync(path, JSON.stringify({ flags }, null, 2));
}

/** The flag file and connection payload for the fixtures' store (saved through the host, like a user would). */
export function fixtureStore(dir: string): { connection: Record<string, unknown>; watches: Record<string, unknown>[] } {
  const file = join(dir, 'fixture-flags.json');
  flagdFile(file);
  return {
    connection: {
      kind: 'flagd',
      id: FIXTURE_CONNECTION,
      name: 'Fixture flags (flagd file)',
      file,
      environment: 'production',
    },
    watches: FIXTURES.map((f) => ({
      id: `fx-${f.flag}`,
      flagConnectionId: FIXTURE_CONNECTION,
      flagKey: f.flag,
      env: 'production',
      metricsConnectionId: 'demo-metrics',
      // The demo's fully rolled-out web service: no treatment/control split for the live decision to judge.
      selector: 'service="web"',
    })),
  };
}

/** Writes the fixture plans into the data dir, with their decision records, leased away from every runner. */
export function writeFixturePlans(dataDir: string, decision: DecisionSnapshot, now: number): string[] {
  const db = openDatabase(join(dataDir, 'rampart.db'));
  const store = createPlanStore(db);
  const ids: string[] = [];
  try {
    for (const f of FIXTURES) {
      const steps = f.steps ?? [1, 5, 25, 50, 100].map((exposure) => ({ exposure }));
      const policy = PlanPolicy.parse({ steps, bakeMs: 15 * MIN, minSamples: 1000 });
      const startedAt = now - f.history.length * 12 * MIN;
      const at = (i: number) => startedAt + i * 12 * MIN;
      const last = at(f.history.length - 1);
      const terminal = ['recovered', 'not-recovered', 'completed', 'aborted'].includes(f.state);
      const seen = decisionFor(f, decision);
      const plan: Plan = {
        id: `plan-${f.flag}`,
        connectionId: FIXTURE_CONNECTION,
        flagKey: f.flag,
        env: 'production',
        watchId: `fx-${f.flag}`,
        policyName: null,
        policy,
        state: f.state,
        reason: f.reason,
        stepIndex: f.stepIndex,
        expected: { enabled: true, exposure: f.exposure },
        initial: { enabled: true, exposure: 0 },
        startedAt,
        startedBy: 'alice',
        comment: 'fixture for the plan screenshots',
        stepStartedAt: at(f.history.findLastIndex((h) => h[0] === 'advance' || h[0] === 'start')),
        lastDataStep: decision.step,
        lastDecision: { ...seen, computedAt: now - 20_000 },
        providerErrors: 0,
        lastProviderErrorAt: null,
        approved: [],
        pending: null,
        pausedBy: null,
        rollback: f.rollback
          ? {
              at: last - (f.state === 'rolled-back' ? 0 : 12 * MIN),
              reason: 'p99 fails past the margin (always-valid)',
              actionId: null,
              fromExposure: 5,
              by: 'autopilot',
            }
          : null,
        recovery: f.recovery
          ? { ...f.recovery, deadline: now + 11 * MIN, at: f.recovery.at === null ? null : last }
          : null,
        annotations: [],
        finishedAt: terminal ? last : null,
        updatedAt: last,
        version: 0,
      };
      const [first, ...rest] = f.history;
      store.insert(plan, {
        planId: plan.id,
        at: at(0),
        kind: first[0],
        stepIndex: first[1],
        exposure: first[2],
        actor: 'alice',
        message: first[3],
        detail: { door: 'cli' },
      });
      rest.forEach(([kind, stepIndex, exposure, message], i) =>
        store.appendEvent({
          planId: plan.id,
          at: at(i + 1),
          kind,
          stepIndex,
          exposure,
          actor: 'autopilot',
          message,
          decision: {
            ...(kind === 'rollback' ? decisionFor({ rollback: true }, decision) : seen),
            computedAt: at(i + 1),
          },
          detail: { door: 'plan' },
        }),
      );
      ids.push(plan.id);
    }
    db.prepare(`UPDATE plans SET lease_owner = 'screenshot-fixture', lease_expires_at = ? WHERE connection_id = ?`).run(
      now + 365 * 86_400_000,
      FIXTURE_CONNECTION,
    );
  } finally {
    db.close();
  }
  return ids;
}
