import { describe, expect, it } from 'vitest';
import { createRecoveryCheck, type FetchCounts } from '../../main/plans/recovery';
import { createRecoveryValues } from '../../main/plans/recovery-values';
import { PlanPolicy, type Plan } from '../../shared/domain/plans';
import type { Watch } from '../../shared/domain/metrics';
import { WATCH } from './support/harness';

/** Error ratio judged as counts (issue 12's recovery): rare errors are compared by the judge's own errors rule. */
const STEP = 5_000;
const T = 1_760_000_000_000;
const rolledBackAt = T + 20 * STEP;
const ERRORS: Watch = {
  ...WATCH,
  stepSec: 5,
  metrics: [
    { name: 'request_rate', kind: 'rate', unit: 'rps', query: 'rate{{window}}', critical: false },
    { name: 'error_ratio', kind: 'errors', unit: 'ratio', query: 'ratio{{window}}', critical: true },
  ],
} as Watch;

const plan = {
  id: 'p',
  watchId: ERRORS.id,
  startedAt: T,
  stepStartedAt: T,
  policy: PlanPolicy.parse({ steps: [{ exposure: 20 }, { exposure: 100 }] }),
  rollback: { at: rolledBackAt, reason: 'x', actionId: 'a', fromExposure: 20, by: 'autopilot' },
  lastDecision: { arms: { treatment: ['enabled'], control: ['disabled'] } },
} as unknown as Plan;

/** Counts per window: `control` for the control arm before the rollback, `after` for the population after it. */
function counts(control: { errors: number; total: number }, after: (to: number) => { errors: number; total: number }) {
  const calls: string[] = [];
  const fetch: FetchCounts = async (_w, _spec, _rate, from, to, stepMs, arm) => {
    calls.push(arm ? `control ${from - T}..${to - T}` : `overall ${from - T}..${to - T}`);
    const c = arm ? control : after(to);
    return { ...c, steps: Math.floor((to - from) / stepMs), newest: to };
  };
  return { fetch, calls };
}
const noValues = async () => [];

describe('the recovery check on error ratios, as counts', () => {
  it('a 0.1 % service is recovered even when its control saw few errors (a 3× ratio of tiny counts is no regression)', async () => {
    // 20 steps × 120 rps of control with 4 errors (0.033 %); after: 0.1 % of 150 rps — 3× the ratio, +0.067 pp.
    const { fetch, calls } = counts({ errors: 4, total: 12_000 }, (to) => {
      const total = Math.round(((to - rolledBackAt - 2 * STEP) / 1000) * 150);
      return { errors: Math.round(total * 0.001), total };
    });
    const check = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: fetch });
    const r = await check(plan, rolledBackAt + 14 * STEP);
    expect(r).toMatchObject({ status: 'recovered', message: expect.stringMatching(/after rollback$/) });
    // The baseline is the control's whole stretch before the rollback (from the pre-plan window on), not its last 30 s.
    expect(calls[0]).toBe(`control ${-5 * 60_000}..${20 * STEP}`);
    expect(calls[1]).toBe(`overall ${22 * STEP}..${34 * STEP}`);
  });

  it('says not back yet while errors stay past both limits', async () => {
    const { fetch } = counts({ errors: 12, total: 12_000 }, () => ({ errors: 90, total: 9_000 }));
    const check = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: fetch });
    expect(await check(plan, rolledBackAt + 14 * STEP)).toMatchObject({
      status: 'waiting',
      message: 'not back yet: error_ratio at 1.0 % (90 of 9000 requests), baseline 0.10 %',
    });
  });

  it('a plan rolled back within a minute has a baseline below the floor: judged on the point estimate, both ways', async () => {
    // 2,500 control requests with 1 error: below the judge's 5,000-request floor at 0.1 %, so no interval — but the
    // rate after the rollback can still be compared with it within the limits.
    const back = counts({ errors: 1, total: 2_500 }, () => ({ errors: 10, total: 9_000 }));
    const recovered = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: back.fetch });
    expect(await recovered(plan, rolledBackAt + 14 * STEP)).toMatchObject({ status: 'recovered' });
    const still = counts({ errors: 1, total: 2_500 }, () => ({ errors: 90, total: 9_000 }));
    const worse = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: still.fetch });
    expect(await worse(plan, rolledBackAt + 14 * STEP)).toMatchObject({
      status: 'waiting',
      message: expect.stringMatching(/^not back yet: error_ratio at 1\.0 %/),
    });
  });

  it('a quiet service (below the judge floor after the rollback) is judged on its point estimate, not left waiting', async () => {
    const clean = counts({ errors: 12, total: 12_000 }, () => ({ errors: 0, total: 800 }));
    const ok = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: clean.fetch });
    expect(await ok(plan, rolledBackAt + 14 * STEP)).toMatchObject({ status: 'recovered' });
    const failing = counts({ errors: 12, total: 12_000 }, () => ({ errors: 24, total: 800 }));
    const still = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: failing.fetch });
    expect(await still(plan, rolledBackAt + 14 * STEP)).toMatchObject({
      status: 'waiting',
      message: expect.stringMatching(/^not back yet: error_ratio at 3\.0 %/),
    });
  });

  it('judges the recent steps: a slow drain after the rollback does not count against the service forever', async () => {
    // 100 rps; 5 % errors for the 3 minutes after the rollback, then the baseline's 0.1 %.
    const drainEnd = rolledBackAt + 3 * 60_000;
    const fetch: FetchCounts = async (_w, _s, _r, from, to, stepMs, arm) => {
      if (arm) return { errors: 12, total: 12_000, steps: 20, newest: to };
      const drain = Math.max(0, Math.min(to, drainEnd) - from) / 1000;
      const clean = Math.max(0, to - Math.max(from, drainEnd)) / 1000;
      return {
        errors: Math.round(drain * 100 * 0.05 + clean * 100 * 0.001),
        total: Math.round((drain + clean) * 100),
        steps: Math.floor((to - from) / stepMs),
        newest: to,
      };
    };
    const check = createRecoveryCheck({ watch: () => ERRORS, values: noValues, counts: fetch });
    expect(await check(plan, rolledBackAt + 5 * 60_000)).toMatchObject({ status: 'waiting' }); // still in the drain
    expect(await check(plan, rolledBackAt + 15 * 60_000)).toMatchObject({ status: 'recovered' });
  });
});

describe('counts rebuilt from the per-step ratio and rate series', () => {
  const at = (i: number) => T + i * STEP;
  const source = {
    fetchCached: async (_w: Watch, query: string) => {
      const byVariant = query.endsWith('by');
      const s = (labels: Record<string, string>, v: number[]) => ({ t: v.map((_, i) => at(i)), v, labels });
      if (query.startsWith('rate'))
        return {
          series: byVariant
            ? [
                s({ feature_flag_result_variant: 'disabled' }, [100, 100, 100]),
                s({ feature_flag_result_variant: 'enabled' }, [20, 20, 20]),
              ]
            : [s({}, [120, 120, NaN])],
        };
      return {
        series: byVariant
          ? [
              s({ feature_flag_result_variant: 'disabled' }, [0.002, NaN, 0.004]),
              s({ feature_flag_result_variant: 'enabled' }, [0.5, 0.5, 0.5]),
            ]
          : [s({}, [0.01, 0.01, 0.01])],
      };
    },
  };
  const render = (_w: Watch, spec: Watch['metrics'][number], byVariant: boolean) =>
    `${spec.query.slice(0, 4)}${byVariant ? ' by' : ''}`;
  const { counts: fetch } = createRecoveryValues(source, render);
  const [rate, ratio] = ERRORS.metrics;

  it('sums the arm label values only, a step with requests and no ratio as 0 errors', async () => {
    // disabled: 500 requests per step; errors 1 + 0 + 2.
    expect(await fetch(ERRORS, ratio, rate, at(0), at(2), STEP, ['disabled'])).toEqual({
      errors: 3,
      total: 1500,
      steps: 3,
      newest: at(2),
    });
  });

  it('the population: its one series, a step without a rate not counted', async () => {
    expect(await fetch(ERRORS, ratio, rate, at(0), at(2), STEP)).toEqual({
      errors: 12,
      total: 1200,
      steps: 2,
      newest: at(1),
    });
  });
});
