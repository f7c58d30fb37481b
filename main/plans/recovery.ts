import type { Watch } from '../../shared/domain/metrics';
import type { Plan } from '../../shared/domain/plans';
import { judge } from '../../shared/stats/judge';
import { formatDuration } from '../../shared/stats/format';
import { errorsFloor } from '../../shared/stats/errors-verdict';
import { ERROR_ABSOLUTE_LIMIT, ERROR_RELATIVE_LIMIT } from '../../shared/stats/verdict-common';
import { watchStepMs } from './plan-deps';

export type RecoveryResult =
  { status: 'recovered'; at: number; message: string } | { status: 'waiting'; message: string };
export type RecoveryCheck = (plan: Plan, now: number) => Promise<RecoveryResult>;
type Spec = Watch['metrics'][number];

/**
 * Per-step values of one metric over [from, to]: for the whole population (what users saw) when `arm` is absent, else
 * for the variant label values given (the control arm), averaged per step across them.
 */
export type FetchValues = (
  watch: Watch,
  spec: Spec,
  from: number,
  to: number,
  stepMs: number,
  arm?: readonly string[],
) => Promise<{ t: number; v: number | null }[]>;

/** Errors and requests of an error-ratio metric over [from, to] (population, or the arm's label values summed). */
export type FetchCounts = (
  watch: Watch,
  spec: Spec,
  rate: Spec,
  from: number,
  to: number,
  stepMs: number,
  arm?: readonly string[],
) => Promise<{ errors: number; total: number; steps: number; newest: number | null }>;

const MIN_POST_STEPS = 3;
const CONTROL_STEPS = 6;
/** "After" is the newest RECENT_STEPS data steps (at least RECENT_MIN_MS): is the service back NOW. */
const RECENT_STEPS = 10;
const RECENT_MIN_MS = 5 * 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16) + ' UTC';
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One metric's comparison: still worse (`worse`), not enough data yet (`waiting`), or back (`newest` step seen). */
type MetricBack = { worse: string | null; newest: number } | { waiting: string };
interface Windows {
  settle: number;
  /** Where "after" starts: the recent steps only (at most RECENT_STEPS), so a slow drain does not count forever. */
  recentFrom: number;
  now: number;
  stepMs: number;
  control: readonly string[] | null;
  /** The control arm right before the rollback. */
  controlWindow: { from: number; to: number };
  /** Everyone, before the plan started. */
  baseline: { from: number; to: number };
}

/**
 * Post-rollback validation (issue 12): did the metric return to its baseline once the treatment was gone? The
 * "after" window starts two data steps after the rollback (one step whose samples straddle it, one for SDKs to pick
 * the change up) and is the whole population: after a rollback everyone is in the control. The baseline is what the
 * concurrent control saw before the rollback — same traffic, same load, so a machine or a day getting busier
 * meanwhile is not mistaken for the flag — or, when the watch has no arms (or too little control data), the window
 * before the plan started. "After" is the newest RECENT_STEPS steps (a slow drain does not count for ever).
 * Recovered when, over at least 3 new steps, the judge finds no metric worse than the
 * baseline and every point estimate is inside the margin. Latency: per-step values at the watch's own margin, the
 * control's last 6 steps. Errors: counts, by the judge's errors rule (worse only past BOTH the relative and the
 * absolute limit, docs/statistics.md), over the control's whole stretch before the rollback — errors are rare, and a
 * 0.1 % rate measured on half a minute of traffic is a handful of events, which made a recovered service look 3× worse.
 */
export function createRecoveryCheck(deps: {
  watch: (id: string) => Watch | undefined;
  values: FetchValues;
  counts?: FetchCounts;
}): RecoveryCheck {
  async function latencyBack(watch: Watch, spec: Spec, w: Windows): Promise<MetricBack> {
    let before = w.control
      ? (await deps.values(watch, spec, w.controlWindow.from, w.controlWindow.to, w.stepMs, w.control)).map((p) => p.v)
      : [];
    if (before.filter((v) => v !== null).length < MIN_POST_STEPS)
      before = (await deps.values(watch, spec, w.baseline.from, w.baseline.to, w.stepMs)).map((p) => p.v);
    const post = (await deps.values(watch, spec, w.recentFrom, w.now, w.stepMs)).filter((p) => p.v !== null);
    if (post.length < MIN_POST_STEPS)
      return { waiting: `${spec.name}: ${post.length} of ${MIN_POST_STEPS} data steps after the rollback so far` };
    const prior = before.filter((v): v is number => v !== null);
    if (prior.length < MIN_POST_STEPS)
      return { waiting: `${spec.name}: too little data before the plan started to compare with` };
    const allowed = watch.thresholds.allowedIncrease;
    const out = judge({
      confidence: watch.thresholds.confidence,
      metrics: [
        { name: spec.name, kind: 'latency', allowedIncrease: allowed, baseline: before, canary: post.map((p) => p.v) },
      ],
    });
    const b = mean(prior);
    const a = mean(post.map((p) => p.v as number));
    // A zero baseline has no ratio: back means back to within a tenth of a point of it.
    const inside = b > 0 ? a / b <= allowed : a <= b + ERROR_ABSOLUTE_LIMIT;
    const worse =
      out.metrics[0]?.verdict === 'fail' || !inside
        ? `${spec.name} ${b > 0 ? `at ${(a / b).toFixed(2)}× its baseline` : `at ${a.toPrecision(3)} (baseline ${b.toPrecision(3)})`}`
        : null;
    return { worse, newest: post.at(-1)!.t };
  }

  async function errorsBack(
    watch: Watch,
    spec: Spec,
    rate: Spec,
    counts: FetchCounts,
    w: Windows,
  ): Promise<MetricBack> {
    const wide = { from: w.baseline.from, to: w.controlWindow.to };
    let before = w.control ? await counts(watch, spec, rate, wide.from, wide.to, w.stepMs, w.control) : null;
    if (!before || before.steps < MIN_POST_STEPS)
      before = await counts(watch, spec, rate, w.baseline.from, w.baseline.to, w.stepMs);
    // The recent stretch first; when it holds too few requests to judge, everything since the rollback settled (the
    // older steps may still carry the drain — that can only delay "recovered", never fake it).
    let after = await counts(watch, spec, rate, w.recentFrom, w.now, w.stepMs);
    const needed = errorsFloor(before?.errors ?? 0, before?.total ?? 0, ERROR_ABSOLUTE_LIMIT);
    if (after.total < needed && w.recentFrom > w.settle)
      after = await counts(watch, spec, rate, w.settle, w.now, w.stepMs);
    const invalid = [before, after].find(
      (c) => c && !(Number.isFinite(c.errors) && Number.isFinite(c.total) && c.errors >= 0 && c.errors <= c.total),
    );
    if (invalid)
      return {
        waiting: `${spec.name}: its error counts are not valid (${invalid.errors} errors of ${invalid.total} requests)`,
      };
    if (after.steps < MIN_POST_STEPS || after.newest === null)
      return { waiting: `${spec.name}: ${after.steps} of ${MIN_POST_STEPS} data steps after the rollback so far` };
    if (before.steps < MIN_POST_STEPS || before.total === 0)
      return { waiting: `${spec.name}: too little data before the plan started to compare with` };
    // Below the judge's floor (5 expected errors at the baseline's rate) in either window — a plan rolled back within
    // a minute, a service of a few requests a second — there is no interval, and "is the rate back within the limits?"
    // is answered on the point estimates alone: a service still failing at several times its rate shows, and a quiet
    // one is not declared "not recovered" at the deadline for want of traffic.
    const out = judge({
      confidence: watch.thresholds.confidence,
      metrics: [{ name: spec.name, kind: 'errors', baseline: before, canary: after }],
    });
    const m = out.metrics[0];
    const pb = before.errors / before.total;
    const pa = after.errors / after.total;
    const inside = pa - pb <= ERROR_ABSOLUTE_LIMIT || (pb > 0 && pa / pb <= 1 + ERROR_RELATIVE_LIMIT);
    const worse =
      m?.verdict === 'fail' || !inside
        ? `${spec.name} at ${(pa * 100).toPrecision(2)} % (${after.errors} of ${after.total} requests), baseline ${(pb * 100).toPrecision(2)} %`
        : null;
    return { worse, newest: after.newest };
  }

  return async (plan, now) => {
    const watch = deps.watch(plan.watchId);
    if (!watch)
      return {
        status: 'waiting',
        message: `the watch '${plan.watchId}' is gone: nothing to verify the recovery against`,
      };
    if (!plan.rollback) return { status: 'waiting', message: 'no rollback to verify' };
    const stepMs = watchStepMs(watch);
    const rolledBackAt = plan.rollback.at;
    const settle = rolledBackAt + 2 * stepMs;
    const baseline = {
      from: plan.startedAt - Math.min(30 * 60_000, Math.max(30 * stepMs, 5 * 60_000)),
      to: plan.startedAt,
    };
    const critical = watch.metrics.filter((m) => m.kind !== 'rate' && m.critical);
    const specs = critical.length > 0 ? critical : watch.metrics.filter((m) => m.kind !== 'rate');
    if (specs.length === 0)
      return { status: 'waiting', message: 'the watch has no latency or error metric to verify with' };
    if (now < settle + MIN_POST_STEPS * stepMs)
      return { status: 'waiting', message: `collecting ${MIN_POST_STEPS} data steps after the rollback settles` };

    // Before the plan started everyone was in the control, so a rollback soon after the start still has a baseline.
    const w: Windows = {
      settle,
      recentFrom: Math.max(settle, now - Math.max(RECENT_STEPS * stepMs, RECENT_MIN_MS)),
      now,
      stepMs,
      control: plan.lastDecision?.arms?.control ?? watch.arms?.control ?? null,
      controlWindow: { from: Math.max(baseline.from, rolledBackAt - CONTROL_STEPS * stepMs), to: rolledBackAt },
      baseline,
    };
    const rate = watch.metrics.find((m) => m.kind === 'rate');
    const worse: string[] = [];
    let newest = 0;
    for (const spec of specs) {
      const back =
        spec.kind === 'errors' && rate && deps.counts
          ? await errorsBack(watch, spec, rate, deps.counts, w)
          : await latencyBack(watch, spec, w);
      if ('waiting' in back) return { status: 'waiting', message: back.waiting };
      if (back.worse) worse.push(back.worse);
      newest = Math.max(newest, back.newest);
    }
    if (worse.length > 0) return { status: 'waiting', message: `not back yet: ${worse.join(', ')}` };
    const at = Math.max(newest, settle);
    return {
      status: 'recovered',
      at,
      message: `recovered at ${hhmm(at)}, ${formatDuration(Math.max(0, at - rolledBackAt))} after rollback`,
    };
  };
}

export function notRecoveredMessage(plan: Plan, last: string): string {
  return `not recovered after ${formatDuration(plan.policy.recoveryMs)}: look beyond this flag (${last})`;
}
