import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchDecision } from '../../../shared/domain/decision';
import type { Watch } from '../../../shared/domain/metrics';
import type { Plan } from '../../../shared/domain/plans';
import { RampartError } from '../../../shared/errors';
import { openDatabase } from '../../../main/store/database';
import { createPlanStore } from '../../../main/plans/plan-store';
import { createLeases } from '../../../main/plans/lease';
import { createPlanEffects } from '../../../main/plans/plan-effects';
import { createPlanRunner, type RunnerOptions } from '../../../main/plans/runner';
import { createPlansService } from '../../../main/plans/plans-service';
import type { PlanDeps } from '../../../main/plans/plan-deps';
import type { RecoveryResult } from '../../../main/plans/recovery';

export const WATCH: Watch = {
  id: 'w-checkout',
  flagConnectionId: 'mem',
  flagKey: 'checkout-v2',
  env: 'production',
  metricsConnectionId: 'prom',
  selector: 'job="checkout"',
  variantLabel: 'feature_flag_result_variant',
  metrics: [{ name: 'p99', kind: 'latency', unit: 'ms', query: 'p99{{window}}', critical: true }],
  thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
  stepSec: 10,
} as Watch;

/** A decision as the decision service would give it; only the fields plans read matter. */
export function decision(
  step: number,
  action: WatchDecision['action'],
  over: Partial<WatchDecision> = {},
  canaryN = 5000,
): WatchDecision {
  return {
    watchId: WATCH.id,
    flagConnectionId: 'mem',
    flagKey: 'checkout-v2',
    env: 'production',
    step,
    computedAt: step,
    baseline: 'control',
    action,
    reason:
      action === 'rollback'
        ? 'p99 fails past the margin (always-valid)'
        : action === 'advance'
          ? 'every metric passes the margin'
          : 'inconclusive: keep baking',
    verdict: {
      verdict: action === 'advance' ? 'pass' : action === 'rollback' ? 'fail' : 'inconclusive',
      score: action === 'advance' ? 100 : 0,
      metrics: [
        {
          name: 'p99',
          kind: 'latency',
          verdict: action === 'advance' ? 'pass' : 'inconclusive',
          direction: 'same',
          method: 'HL',
          pValue: 0.5,
          estimate: 0,
          ci: [-1, 1],
          ratio: 1,
          baselineN: 30,
          canaryN: 30,
          critical: true,
          reason: 'p99 ok',
        },
        {
          name: 'error_ratio',
          kind: 'errors',
          verdict: 'pass',
          direction: 'same',
          method: 'Newcombe',
          pValue: 0.5,
          estimate: 0,
          ci: [-0.001, 0.001],
          ratio: 1,
          baselineN: 90000,
          canaryN,
          critical: true,
          reason: 'errors ok',
        },
      ],
      watchId: WATCH.id,
      baseline: { kind: 'control', from: step - 60_000, to: step, label: 'concurrent control' },
      // The canary window of the step the plan is on (engine.ts never advances on the previous split's data).
      canary: { from: step, to: step, label: 'treatment' },
      changeId: null,
      queries: { p99: 'histogram_quantile(0.99, …)' },
      computedAt: step,
      extras: {
        sequential: [],
        guard: { act: action === 'rollback', reason: 'x', consecutiveFixedFails: 0, sustain: 3 },
        onset: null,
        suspects: [],
        bakeTime: { text: 'p99 25%: detectable now', minutesMore: 0 },
        srm: null,
      },
    },
    guard: {
      act: action === 'rollback',
      trigger: action === 'rollback' ? 'always-valid' : null,
      sustainedSteps: 0,
      sustain: 3,
      reason: 'guard',
    },
    stale: null,
    providerErrors: 0,
    ...over,
  } as WatchDecision;
}

export interface HarnessOptions {
  exposure?: number;
  enabled?: boolean;
  file?: string;
  /** Share one database file between harnesses (two runners, two processes' worth of connections). */
  dbFile?: string;
  flag?: { enabled: boolean; exposure: number | null };
  /** Runner options (evaluation deadline, concurrency) over the harness's defaults. */
  runner?: Partial<RunnerOptions>;
}

/**
 * Plans wired to fakes with the real store, lease, effects, runner and service: an in-memory flag store the test
 * can edit "from outside", a rollout that does read-compare-write + read-back like the real one, a scripted
 * decision, and a clock the test moves.
 */
export function planHarness(o: HarnessOptions = {}) {
  const dir = o.dbFile ? null : mkdtempSync(join(tmpdir(), 'rampart-plans-'));
  const db = openDatabase(o.dbFile ?? join(dir!, 'rampart.db'));
  const clock = { now: 1_760_000_000_000 };
  const flag = o.flag ?? { enabled: o.enabled ?? true, exposure: o.exposure ?? 0 };
  const writes: string[] = [];
  const audits: string[] = [];
  const notices: string[] = [];
  const fail = {
    read: null as RampartError | null,
    write: null as RampartError | null,
    evaluate: null as RampartError | null,
    writeLandsThenFails: false,
  };
  let next: WatchDecision | null = null;
  let recovery: RecoveryResult = { status: 'waiting', message: 'collecting data' };
  const watches = new Map([[WATCH.id, WATCH]]);
  /** Other flags than the default one (several plans at once), each with its own served state. */
  const flags = new Map<string, { enabled: boolean; exposure: number | null }>();
  const flagOf = (key: string) => flags.get(key) ?? flag;
  /** A call waits on the promise set here (a hung provider or store write: a never-resolving promise). */
  const hold = { evaluate: new Map<string, Promise<void>>(), ramp: null as Promise<void> | null };

  const read = async (key = 'checkout-v2') => {
    if (fail.read) throw fail.read;
    return { ...flagOf(key) };
  };
  const deps: PlanDeps = {
    store: createPlanStore(db),
    leases: createLeases(db, () => clock.now),
    now: () => clock.now,
    user: () => 'alice',
    liveState: (_c, key) => read(key),
    exposureStep: () => 1,
    watch: (id) => watches.get(id),
    watchFor: (_c, key) => [...watches.values()].find((w) => w.flagKey === key) ?? watches.get(WATCH.id),
    evaluate: async (w) => {
      await hold.evaluate.get(w.id);
      if (fail.evaluate) throw fail.evaluate;
      if (!next) throw new RampartError('internal', 'no decision scripted');
      return next;
    },
    async ramp(w) {
      await hold.ramp;
      const served = flagOf(w.flagKey);
      const live = await read(w.flagKey);
      if ((live.exposure ?? 0) !== (w.expected ?? 0)) throw new RampartError('conflict', `moved: now ${live.exposure}`);
      writes.push(`ramp ${w.to} ${w.door}`);
      if (fail.write && !fail.writeLandsThenFails) throw fail.write;
      Object.assign(served, { enabled: true, exposure: w.to });
      if (fail.write) throw fail.write;
      return { actionId: `a${writes.length}`, readBack: { ...served } };
    },
    async rollback(w) {
      const served = flagOf(w.flagKey);
      writes.push(`rollback ${w.door}`);
      if (fail.write) throw fail.write;
      Object.assign(served, { exposure: 0 });
      return { actionId: `a${writes.length}`, readBack: { ...served } };
    },
    audit: (a) => audits.push(`${a.action} ${a.door} ${a.user}`),
    notify: async (_p, kind) => {
      notices.push(kind);
      return { failures: [] };
    },
    recovery: async () => recovery,
    updated: () => undefined,
  };
  const effects = createPlanEffects(deps);
  const runner = createPlanRunner(deps, effects, {
    owner: `runner-${Math.random()}`,
    tickMs: 5_000,
    ...o.runner,
  });
  const service = createPlansService(deps, effects, runner.owner);
  const person = { user: 'alice', door: 'cli' };
  return {
    db,
    deps,
    runner,
    service,
    flag,
    writes,
    audits,
    notices,
    fail,
    clock,
    person,
    watches,
    flags,
    hold,
    /** The next decision the watch will give. */
    decide: (d: WatchDecision | null) => {
      next = d;
    },
    recover: (r: RecoveryResult) => {
      recovery = r;
    },
    plan: (id: string): Plan => deps.store.require(id),
    events: (id: string) => deps.store.events(id).map((e) => e.kind),
    advance(ms: number) {
      clock.now += ms;
    },
    close() {
      runner.stop();
      db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
