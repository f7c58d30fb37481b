import { describe, expect, it } from 'vitest';
import { createRecoveryCheck, type FetchValues } from '../../main/plans/recovery';
import { PlanPolicy, type Plan } from '../../shared/domain/plans';
import { WATCH } from './support/harness';

const STEP = 10_000;
const T = 1_760_000_000_000;
const rolledBackAt = T + 30 * STEP;

const plan = (control: string[] | null): Plan =>
  ({
    id: 'p',
    watchId: WATCH.id,
    startedAt: T,
    stepStartedAt: T + 10 * STEP,
    policy: PlanPolicy.parse({ steps: [{ exposure: 5 }, { exposure: 100 }] }),
    rollback: { at: rolledBackAt, reason: 'x', actionId: 'a', fromExposure: 5, by: 'autopilot' },
    lastDecision: control ? ({ arms: { treatment: ['on'], control } } as Plan['lastDecision']) : null,
  }) as Plan;

/** p99 per step: 100 ms before the plan, 112 ms for the control during the step (a busier machine), `after` later. */
function values(after: number, calls: string[]): FetchValues {
  return async (_w, _spec, from, to, stepMs, arm) => {
    calls.push(arm ? `control ${arm.join('|')}` : 'overall');
    const out: { t: number; v: number | null }[] = [];
    for (let t = Math.ceil(from / stepMs) * stepMs; t <= to; t += stepMs)
      out.push({ t, v: t < T ? 100 : arm ? 112 + (t % 3) : t > rolledBackAt ? after + (t % 3) : 140 });
    return out;
  };
}

describe('verifying the recovery after a rollback', () => {
  it('waits for 3 data steps after the rollback has settled', async () => {
    const check = createRecoveryCheck({ watch: () => WATCH, values: values(112, []) });
    expect(await check(plan(['disabled']), rolledBackAt + 3 * STEP)).toMatchObject({
      status: 'waiting',
      message: expect.stringMatching(/collecting 3 data steps/),
    });
  });

  it('compares with what the concurrent control saw on the rolled-back step, so a busier machine is not "not recovered"', async () => {
    const calls: string[] = [];
    const check = createRecoveryCheck({ watch: () => WATCH, values: values(113, calls) });
    const r = await check(plan(['disabled']), rolledBackAt + 6 * STEP);
    expect(r).toMatchObject({
      status: 'recovered',
      message: expect.stringMatching(/^recovered at \d\d:\d\d UTC, 1 min after rollback$/),
    });
    expect(calls).toEqual(['control disabled', 'overall']);
  });

  it('says not back yet while the population is still worse than the control was', async () => {
    const check = createRecoveryCheck({ watch: () => WATCH, values: values(140, []) });
    expect(await check(plan(['disabled']), rolledBackAt + 6 * STEP)).toMatchObject({
      status: 'waiting',
      message: expect.stringMatching(/not back yet: p99 at 1\.2\d× its baseline/),
    });
  });

  it('without arms, falls back to the window before the plan started', async () => {
    const calls: string[] = [];
    const check = createRecoveryCheck({ watch: () => ({ ...WATCH, arms: undefined }), values: values(113, calls) });
    expect(await check(plan(null), rolledBackAt + 6 * STEP)).toMatchObject({
      status: 'waiting',
      message: expect.stringMatching(/p99 at 1\.1\d× its baseline/),
    });
    expect(calls[0]).toBe('overall');
  });
});
