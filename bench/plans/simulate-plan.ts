/**
 * One simulated guarded rollout plan, driven by Rampart's own rules end to end: the traffic of the judge
 * simulation (bench/judge/model.ts, traffic.ts, latency-model.ts: Poisson arms by exposure, histogram buckets, a
 * shared load factor), the judge and its live guard on every new 1-minute data step (the p99 from merged buckets and
 * the error rate, both critical, treatment vs the concurrent control over the current step's window), the one
 * decision's mapping (guard acts → rollback; verdict pass → advance; otherwise hold — as main/core/decision-service.ts
 * builds it), and the plan's own loop (main/plans/engine.ts decideTick: bake floor and the judge's bake estimate,
 * one move per new data step). The plan completes when it reaches 100 %.
 */
import { PlanPolicy, type Plan } from '../../shared/domain/plans';
import type { WatchDecision } from '../../shared/domain/decision';
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { judge } from '../../shared/stats/judge';
import { guardStep, type GuardState } from '../../shared/stats/guard';
import { bakeTimeForJudge } from '../../shared/stats/bake-judge';
import { decideTick } from '../../main/plans/engine';
import { BUCKETS, LATENCY_MODELS, NO_REGRESSION, type Regression } from '../judge/latency-model';
import { LoadProcess, Random } from '../judge/model';
import { DEFAULT_TRAFFIC, simulateArmTraffic } from '../judge/traffic';

const MIN = 60_000;

export interface PlanRunOptions {
  steps: number[];
  /** The treatment's regression, present from the first exposure. */
  latency: Regression;
  errorAdded: number;
  bakeMs: number;
  horizonSteps: number;
  seed: number;
  /** Requests a minute over both arms; default DEFAULT_TRAFFIC's 3,000 (50 rps). */
  requestsPerStep?: number;
}

export interface PlanRunRecord {
  outcome: 'completed' | 'rolled-back' | 'horizon';
  /** Minutes from the plan's start to the end (completion, rollback or the horizon). */
  minutes: number;
  /** How many times the plan advanced before it ended. */
  advances: number;
  /** The exposure the flag was at when the plan ended (before a rollback). */
  lastExposure: number;
  /** Why it ended: the guard's trigger and metric on a rollback, and the metrics' verdicts at the last data step. */
  diagnosis: {
    trigger: 'always-valid' | 'sustained' | null;
    metric: string | null;
    /** New data steps the guard had counted in the step's window when the plan ended. */
    windowSteps: number;
    verdicts: Record<string, string>;
  };
}

function planFor(o: PlanRunOptions): Plan {
  return {
    id: 'sim',
    connectionId: 'sim',
    flagKey: 'sim',
    env: 'production',
    watchId: 'sim',
    policyName: null,
    policy: PlanPolicy.parse({ steps: o.steps.map((exposure) => ({ exposure })), bakeMs: o.bakeMs }),
    state: 'running',
    reason: '',
    stepIndex: 0,
    expected: { enabled: true, exposure: o.steps[0] },
    initial: { enabled: true, exposure: 0 },
    startedAt: 0,
    startedBy: 'sim',
    comment: 'simulation',
    stepStartedAt: 0,
    lastDataStep: null,
    lastDecision: null,
    providerErrors: 0,
    lastProviderErrorAt: null,
    approved: [],
    pending: null,
    pausedBy: null,
    rollback: null,
    recovery: null,
    annotations: [],
    finishedAt: null,
    updatedAt: 0,
    version: 1,
  };
}

export function simulatePlan(o: PlanRunOptions): PlanRunRecord {
  const random = new Random(o.seed);
  const model = LATENCY_MODELS[0];
  const traffic = { ...DEFAULT_TRAFFIC, requestsPerStep: o.requestsPerStep ?? DEFAULT_TRAFFIC.requestsPerStep };
  const load = new LoadProcess(random, traffic.loadSigma);
  let plan = planFor(o);
  let window = {
    t: new Float64Array(BUCKETS.length),
    c: new Float64Array(BUCKETS.length),
    te: 0,
    tn: 0,
    ce: 0,
    cn: 0,
    steps: 0,
  };
  let guard: GuardState | null = null;
  let advances = 0;
  let last: PlanRunRecord['diagnosis'] = { trigger: null, metric: null, windowSteps: 0, verdicts: {} };
  for (let step = 1; step <= o.horizonSteps; step++) {
    const exposure = plan.stepIndex >= 0 ? o.steps[plan.stepIndex] / 100 : 0;
    const f = load.next();
    const t = simulateArmTraffic(
      random,
      traffic,
      model,
      exposure,
      f,
      o.latency,
      DEFAULT_TRAFFIC.errorRate + o.errorAdded,
    );
    const c = simulateArmTraffic(random, traffic, model, 1 - exposure, f, NO_REGRESSION, DEFAULT_TRAFFIC.errorRate);
    const now = step * MIN;
    window.steps++;
    // The canary window opens one step (the query's lookback) after the change: the first step is not judged.
    if (window.steps === 1) continue;
    for (let k = 0; k < BUCKETS.length; k++) {
      window.t[k] += t.buckets[k];
      window.c[k] += c.buckets[k];
    }
    window.te += t.errors;
    window.tn += t.requests;
    window.ce += c.errors;
    window.cn += c.requests;
    const metrics: JudgeMetricInput[] = [
      {
        name: 'p99',
        kind: 'histogram',
        quantile: 0.99,
        bounds: BUCKETS,
        baseline: Array.from(window.c),
        canary: Array.from(window.t),
        critical: true,
      },
      {
        name: 'errors',
        kind: 'errors',
        baseline: { errors: window.ce, total: window.cn },
        canary: { errors: window.te, total: window.tn },
        critical: true,
      },
    ];
    const out = judge({ confidence: 0.98, metrics });
    const g = guardStep(guard, {
      windowKey: `step-${plan.stepIndex}`,
      step,
      metrics,
      verdicts: out.metrics,
      confidence: 0.98,
    });
    guard = g.state;
    const action = g.guard.act ? 'rollback' : out.verdict === 'pass' ? 'advance' : 'hold';
    // The bake estimate matters only when the decision would advance: computed then (it is the costly part).
    const bake =
      action === 'advance'
        ? bakeTimeForJudge({
            kind: 'histogram',
            confidence: 0.98,
            margin: 0.1,
            stepMs: MIN,
            stepsSoFar: window.steps - 1,
            quantile: 0.99,
            perStepRequests: { treatment: window.tn / (window.steps - 1), control: window.cn / (window.steps - 1) },
            baseline: { bounds: BUCKETS, counts: Array.from(window.c) },
          })
        : null;
    const decision = {
      step: now,
      computedAt: now,
      action,
      reason: action,
      baseline: 'control',
      verdict: {
        ...out,
        baseline: { kind: 'control', from: 0, to: now, label: '' },
        canary: { from: 0, to: now, label: '' },
        queries: {},
        extras: { bakeTime: bake ? { text: bake.text, minutesMore: bake.minutesMore } : null },
      },
      guard: g.guard,
      stale: null,
      providerErrors: 0,
    } as unknown as WatchDecision;
    const move = decideTick({
      plan,
      now,
      live: plan.expected,
      exposureStep: 1,
      decision,
      decisionError: null,
      stepMs: MIN,
    });
    if ('patch' in move && move.patch) plan = { ...plan, ...move.patch };
    last = {
      trigger: g.state.acted?.trigger ?? null,
      metric: g.state.acted ? g.state.acted.reason.split(':')[0] : null,
      windowSteps: g.state.steps,
      verdicts: Object.fromEntries(out.metrics.map((m) => [m.name, m.verdict])),
    };
    if (move.kind === 'rollback')
      return {
        outcome: 'rolled-back',
        minutes: step,
        advances,
        lastExposure: o.steps[plan.stepIndex],
        diagnosis: last,
      };
    if (move.kind === 'advance') {
      advances++;
      plan = {
        ...plan,
        stepIndex: move.toIndex,
        expected: { enabled: true, exposure: move.exposure },
        stepStartedAt: now,
      };
      if (move.toIndex === o.steps.length - 1)
        return { outcome: 'completed', minutes: step, advances, lastExposure: move.exposure, diagnosis: last };
      window = {
        t: new Float64Array(BUCKETS.length),
        c: new Float64Array(BUCKETS.length),
        te: 0,
        tn: 0,
        ce: 0,
        cn: 0,
        steps: 0,
      };
    }
  }
  return {
    outcome: 'horizon',
    minutes: o.horizonSteps,
    advances,
    lastExposure: o.steps[plan.stepIndex],
    diagnosis: last,
  };
}
