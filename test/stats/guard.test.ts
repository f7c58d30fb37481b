import { describe, expect, it } from 'vitest';
import { LiveGuard } from '../../shared/domain/decision';
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { guardStep, type GuardState, type GuardStepOutput } from '../../shared/stats/guard';
import { judge } from '../../shared/stats/judge';
import { mixtureLook, type MixtureState } from '../../shared/stats/sequential';
import { lognormalSample, seededRandom } from './helpers';

/** A window of per-step p99s and error counts that grows by one step at a time. */
function windowOf(
  random: () => number,
  steps: number,
  canaryScale: number,
  canaryErrorRate = 0.01,
): JudgeMetricInput[][] {
  const b: number[] = [];
  const c: number[] = [];
  const out: JudgeMetricInput[][] = [];
  let be = 0;
  let ce = 0;
  for (let s = 1; s <= steps; s++) {
    b.push(...lognormalSample(random, 1, 300, 0.05));
    c.push(...lognormalSample(random, 1, 300 * canaryScale, 0.05));
    be += Math.round(2000 * 0.01 + (random() - 0.5) * 6);
    ce += Math.round(2000 * canaryErrorRate + (random() - 0.5) * 6);
    out.push([
      { name: 'p99_ms', kind: 'latency', baseline: [...b], canary: [...c] },
      {
        name: 'errors',
        kind: 'errors',
        baseline: { errors: be, total: 2000 * s },
        canary: { errors: ce, total: 2000 * s },
      },
    ]);
  }
  return out;
}

/** Runs the guard over the window with `looksPerStep` looks at each step (the UI refreshing every 5 s). */
function watch(window: JudgeMetricInput[][], looksPerStep: number, key = 'watch-1/step-1'): GuardStepOutput[] {
  let state: GuardState | null = null;
  const outputs: GuardStepOutput[] = [];
  window.forEach((metrics, i) => {
    const verdicts = judge({ metrics }).metrics;
    for (let look = 0; look < looksPerStep; look++) {
      const out = guardStep(state, { windowKey: key, step: 60_000 * (i + 1), metrics, verdicts, confidence: 0.98 });
      state = out.state;
      if (look === looksPerStep - 1) outputs.push(out);
    }
  });
  return outputs;
}

describe('guardStep counts new data steps, not looks', () => {
  it('twelve looks per step give exactly the guard of one look per step', () => {
    const w = windowOf(seededRandom(1), 20, 1.3);
    const once = watch(w, 1).map((o) => o.guard);
    const often = watch(w, 12).map((o) => o.guard);
    expect(often).toEqual(once);
    expect(once.findIndex((g) => g.act)).toBeGreaterThan(0);
  });

  it('returns the same state object for the same step and restarts on a new windowKey', () => {
    const [metrics] = windowOf(seededRandom(2), 1, 1);
    const verdicts = judge({ metrics }).metrics;
    const first = guardStep(null, { windowKey: 'a', step: 5, metrics, verdicts, confidence: 0.98 });
    const again = guardStep(first.state, { windowKey: 'a', step: 5, metrics, verdicts, confidence: 0.98 });
    expect(again.state).toBe(first.state);
    expect(guardStep(first.state, { windowKey: 'a', step: 4, metrics, verdicts, confidence: 0.98 }).state).toBe(
      first.state,
    );
    const fresh = guardStep(first.state, { windowKey: 'b', step: 5, metrics, verdicts, confidence: 0.98 });
    expect(fresh.state.steps).toBe(1);
    expect(fresh.state.windowKey).toBe('b');
  });

  it('acts on a fixed-horizon fail only after `sustain` consecutive NEW steps, and stays acted', () => {
    const failing = judge({ metrics: windowOf(seededRandom(3), 12, 1.5)[11] }).metrics;
    const metrics = windowOf(seededRandom(3), 12, 1.5)[11].slice(0, 1);
    // Hide the always-valid route (its metrics need ≥ 10 steps): per-step values of 6 steps, verdict fail.
    const short: JudgeMetricInput[] = [
      {
        ...(metrics[0] as Extract<JudgeMetricInput, { kind: 'latency' }>),
        baseline: (metrics[0] as { baseline: number[] }).baseline.slice(0, 6),
        canary: (metrics[0] as { canary: number[] }).canary.slice(0, 6),
      },
    ];
    let state: GuardState | null = null;
    const acts: boolean[] = [];
    for (let step = 1; step <= 4; step++) {
      for (let look = 0; look < 5; look++) {
        const out = guardStep(state, {
          windowKey: 'k',
          step,
          metrics: short,
          verdicts: failing,
          confidence: 0.98,
          sustain: 3,
        });
        state = out.state;
      }
      acts.push(state!.guard.act);
    }
    expect(acts).toEqual([false, false, true, true]);
    expect(state!.guard).toMatchObject({ trigger: 'sustained', sustainedSteps: 4, sustain: 3 });
    const healthy = judge({
      metrics: short.map((m) => ({ ...m, canary: (m as { baseline: number[] }).baseline })) as JudgeMetricInput[],
    }).metrics;
    const later = guardStep(state, { windowKey: 'k', step: 5, metrics: short, verdicts: healthy, confidence: 0.98 });
    expect(later.guard).toMatchObject({ act: true, trigger: 'sustained', sustainedSteps: 0 });
  });

  it('a sustained fail must span the judge’s sample floor of NEW canary data, not three looks at the same errors', () => {
    // Errors at the same 1 % in both arms (the always-valid interval stays quiet); the fixed-horizon verdicts are
    // forced to fail so only the sustained route is exercised. Floor: 5 expected errors at 1 % = 500 requests.
    const errorsAt = (total: number): JudgeMetricInput => ({
      name: 'errors',
      kind: 'errors',
      baseline: { errors: 1000, total: 100_000 },
      canary: { errors: total / 100, total },
    });
    const failAt = (metric: JudgeMetricInput, fail: boolean) =>
      judge({ metrics: [metric] }).metrics.map((v) => ({
        ...v,
        verdict: fail ? ('fail' as const) : ('inconclusive' as const),
      }));
    let state: GuardState | null = null;
    const acts: boolean[] = [];
    const reasons: string[] = [];
    // Steps 1–2 fail, step 3 does not (the streak and its data count restart), then fails from step 4 (n = 1000).
    for (let step = 1; step <= 10; step++) {
      const metric = errorsAt(600 + 100 * step);
      const out = guardStep(state, {
        windowKey: 'k',
        step,
        metrics: [metric],
        verdicts: failAt(metric, step !== 3),
        confidence: 0.98,
      });
      state = out.state;
      acts.push(out.guard.act);
      reasons.push(out.guard.reason);
    }
    // From step 4 (n = 1000): streak 3 at step 6 (200 new requests), the floor of 500 reached at step 9.
    expect(acts).toEqual([false, false, false, false, false, false, false, false, true, true]);
    expect(reasons[5]).toBe(
      'errors: fixed-horizon fail on 3 of 3 consecutive new data steps needed, over 200 of 500 new canary samples; no always-valid interval beyond the margin',
    );
    expect(state!.guard).toMatchObject({ trigger: 'sustained', sustainedSteps: 7 });
    expect(state!.guard.reason).toMatch(/^errors: the fixed-horizon verdict failed on 6 consecutive new data steps/);
  });

  it('keeps state JSON-serializable: a state that went through JSON (SQLite) gives the same answers', () => {
    const w = windowOf(seededRandom(4), 15, 1.2, 0.013);
    let live: GuardState | null = null;
    let stored: GuardState | null = null;
    w.forEach((metrics, i) => {
      const verdicts = judge({ metrics }).metrics;
      const x = { windowKey: 'k', step: i + 1, metrics, verdicts, confidence: 0.98 };
      const a = guardStep(live, x);
      const b = guardStep(stored ? (JSON.parse(JSON.stringify(stored)) as GuardState) : null, x);
      expect(b.guard).toEqual(a.guard);
      expect(b.sequential).toEqual(a.sequential);
      expect(LiveGuard.parse(a.guard)).toEqual(a.guard);
      live = a.state;
      stored = b.state;
    });
  });
});

describe('the always-valid interval is judged against the margin, and its level is stated', () => {
  it('does not act on p99 ×1.03 or a +5% error rate however long it watches, though it excludes 0', () => {
    const outs = watch(windowOf(seededRandom(5), 150, 1.03, 0.0105), 1);
    expect(outs.some((o) => o.guard.act)).toBe(false);
    const last = outs[outs.length - 1].sequential[0];
    expect(last.relativeCi?.[0]).toBeGreaterThan(0);
    expect(last).toMatchObject({
      fails: false,
      passes: true,
      level: 'always-valid 98% (two-sided confidence sequence, mixture SPRT; holds at every look)',
    });
  });

  it('acts through the always-valid interval on a 3× error rate before any sustained fail could', () => {
    const outs = watch(windowOf(seededRandom(6), 12, 1, 0.03), 1);
    const first = outs.findIndex((o) => o.guard.act);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(outs[first].guard.trigger).toBe('always-valid');
    expect(outs[first].guard.reason).toMatch(
      /^errors: the always-valid interval \[\+\d+\.\d%, \+\d+\.\d%\] lies entirely above the allowed change$/,
    );
  });

  it('mixtureLook builds the sequence with −2·ln(1 − confidence): a 98% sequence, not a mislabelled 95%', () => {
    const look = mixtureLook(null, 0.5, 0.04, 0.98);
    const z = 2.3263478740408408;
    const tau = (z * z * 0.04) / 2;
    const zStar = Math.sqrt(((0.04 + tau) / tau) * (-2 * Math.log(0.02) - Math.log(0.04 / (0.04 + tau))));
    expect(look.ci?.[0]).toBeCloseTo(0.5 - zStar * 0.2, 12);
    expect(look.state.tau).toBeCloseTo(tau, 14);
  });

  it('holds its level under continuous peeking: ≤ 2% of A/A paths ever leave the sequence (300 runs × 200 looks)', () => {
    const random = seededRandom(7);
    let misses = 0;
    for (let run = 0; run < 300; run++) {
      let state: MixtureState | null = null;
      let sum = 0;
      for (let n = 1; n <= 200; n++) {
        sum += Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
        const look = mixtureLook(state, sum / n, 1 / n, 0.98);
        state = look.state;
        if (look.ci && (look.ci[0] > 0 || look.ci[1] < 0)) {
          misses++;
          break;
        }
      }
    }
    expect(misses / 300).toBeLessThanOrEqual(0.02);
  });
});
