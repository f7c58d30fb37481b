import { describe, expect, it } from 'vitest';
import { actionModel, blastRadius, blockedText, type ActionInputs } from '../../renderer/src/lib/decision';

type Decision = NonNullable<ActionInputs['decision']>;
const decision = (
  action: Decision['action'],
  verdict: Decision['verdict']['verdict'],
  over: Partial<Decision> = {},
): Decision =>
  ({
    action,
    reason: `${action} because`,
    stale: null,
    computedAt: 0,
    verdict: { verdict } as Decision['verdict'],
    ...over,
  }) as Decision;
const base: ActionInputs = {
  decision: null,
  exposure: 25,
  next: 50,
  atTop: false,
  coreDown: null,
  storeStale: null,
  providerDown: null,
  totalRps: 30,
  now: 60_000,
};

describe('the decision leads the buttons', () => {
  it('makes Rollback primary and Ramp an override "Ramp anyway…" when the decision says roll back', () => {
    const m = actionModel({ ...base, decision: decision('rollback', 'fail') });
    expect(m.primary).toBe('rollback');
    expect(m.headline).toBe('ROLL BACK · FAIL');
    expect(m.rollback.label).toBe('Roll back now');
    expect(m.ramp).toMatchObject({ label: 'Ramp anyway…', override: true, disabled: null });
  });

  it('makes Ramp primary with the next step’s blast radius when the decision advances', () => {
    const m = actionModel({ ...base, decision: decision('advance', 'pass') });
    expect(m.primary).toBe('ramp');
    expect(m.ramp.label).toBe('Ramp 25% → 50%');
    expect(m.ramp.blast).toBe('exposes ≈ 900 req/min to the treatment (+450)');
    expect(m.tone).toBe('ok');
  });

  it('holds with both buttons secondary and says why — except the first step, which is what a canary is for', () => {
    const hold = actionModel({ ...base, decision: decision('hold', 'inconclusive') });
    expect(hold.primary).toBe('none');
    expect(hold.reason).toBe('hold because');
    expect(hold.ramp.disabled).toBeNull();
    const first = actionModel({ ...base, exposure: 0, next: 1, decision: decision('hold', 'inconclusive') });
    expect(first.primary).toBe('ramp');
    expect(first.ramp.label).toBe('Start canary 0% → 1%');
  });

  it('disables Ramp with the reason, never Rollback, when the core, the store or the metrics are unreachable', () => {
    const core = actionModel({ ...base, decision: decision('advance', 'pass'), coreDown: { since: 0 } });
    expect(core.ramp.disabled).toBe('the Rampart core is unreachable (since 1 min)');
    expect(core.tone).toBe('stale');
    expect(core.rollback.note).toMatch(/rampart rollback/);
    expect(
      actionModel({ ...base, decision: decision('advance', 'pass'), storeStale: { ageMs: 120_000, reason: 'x' } }).ramp
        .disabled,
    ).toMatch(/flag store is unreachable \(state from 2 min ago\)/);
    expect(
      actionModel({ ...base, decision: decision('hold', 'pass'), providerDown: { errors: 5, lastError: null } }).ramp
        .disabled,
    ).toMatch(/metrics provider is failing \(5 errors/);
    const stale = actionModel({
      ...base,
      decision: decision('advance', 'pass', {
        stale: { fetchedAt: 0, ageMs: 300_000, code: 'unreachable', message: 'provider down' },
      }),
    });
    expect(stale.reason).toMatch(/Data from 5 min ago \(provider down\)/);
    expect(stale.tone).toBe('stale');
  });

  it('does not act on a decision about another exposure: a rollback a moment ago leaves "deciding…", and 0 → 1 % open', () => {
    const m = actionModel({ ...base, exposure: 0, next: 1, decision: decision('rollback', 'fail', { exposure: 25 }) });
    expect(m.headline).toBe('DECIDING…');
    expect(m.reason).toMatch(/^The flag is at 0% now; the last decision \(roll back\) was about 25%/);
    expect(m.primary).toBe('ramp');
    expect(m.ramp).toMatchObject({ label: 'Start canary 0% → 1%', override: false, disabled: null });
    // At 1 %, the core's guard still reads the 25 % "roll back" until new data: the button says so.
    const next = actionModel({
      ...base,
      exposure: 1,
      next: 5,
      decision: decision('rollback', 'fail', { exposure: 25 }),
    });
    expect(next.ramp).toMatchObject({ label: 'Ramp anyway…', override: true });
    expect(next.reason).toMatch(/still holds a ramp back/);
    expect(
      actionModel({ ...base, exposure: 5, next: 25, decision: decision('advance', 'pass', { exposure: 1 }) }).ramp,
    ).toMatchObject({ label: 'Ramp 5% → 25%…', override: false });
  });

  it('has no decision without a watch, and says so', () => {
    const m = actionModel(base);
    expect(m.ramp.disabled).toBe('the decision is not computed yet');
  });

  it('states the blast radius only when the request rate is known', () => {
    expect(blastRadius(null, 5, 25)).toBeNull();
    expect(blastRadius(0, 5, 25)).toBeNull();
    expect(blastRadius(300, 50, 100)).toBe('exposes ≈ 18k req/min to the treatment (+9000)');
  });

  it('says a refusal once, never "Ramp blocked: Ramp blocked: …"', () => {
    expect(blockedText('Ramp blocked: Ramp blocked: the decision says roll back')).toBe('the decision says roll back');
    expect(blockedText('the metrics have no data')).toBe('the metrics have no data');
  });
});
