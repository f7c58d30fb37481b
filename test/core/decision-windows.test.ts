import { describe, expect, it } from 'vitest';
import { exposureSteps, judgeWindows } from '../../main/core/decision-windows';
import type { FlagChange } from '../../shared/domain/flags';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 10, 12, 0);

let n = 0;
function change(atMin: number, kind: FlagChange['kind'], to: FlagChange['to'], label: string = kind): FlagChange {
  return {
    id: `c${n++}`,
    connectionId: 'f',
    flagKey: 'x',
    env: 'prod',
    at: T0 + atMin * MIN + 7_000,
    kind,
    from: null,
    to,
    label,
    source: 'vendor',
  };
}

// created off → 1 % staged while off → enabled (first exposure) → 5 % → 25 %
const history = [
  change(-600, 'created', { enabled: false, exposure: 0 }),
  change(-500, 'exposure', { exposure: 1 }),
  change(-480, 'enabled', { enabled: true }, 'off → on'),
  change(-240, 'exposure', { exposure: 5 }, 'rollout 1% → 5%'),
  change(-60, 'exposure', { exposure: 25 }, 'rollout 5% → 25%'),
];

describe('exposure history', () => {
  it('replays the effective exposure (0 while off) and keeps only the changes that moved it', () => {
    expect(exposureSteps(history).map((s) => s.exposure)).toEqual([0, 1, 5, 25]);
    expect(exposureSteps(history)[1].change.kind).toBe('enabled'); // the staged 1 % while off exposed no one
  });
});

describe('judge windows', () => {
  const at = T0;
  const stepMs = MIN;

  it('canary: from the change plus the lookback, on the step grid, to the newest step', () => {
    const w = judgeWindows({ kind: 'control', changes: history, at, stepMs });
    const change = history[4].at;
    expect(w.canary.from).toBeGreaterThanOrEqual(change + stepMs);
    expect(w.canary.from - (change + stepMs)).toBeLessThan(stepMs);
    expect(w.canary.from % stepMs).toBe(0);
    expect(w.canary.to).toBe(at);
    expect(w.baseline).toMatchObject({ kind: 'control', from: w.canary.from, to: w.canary.to });
    expect(w.exposure).toBe(25);
    expect(w.ready).toBe(true);
    expect(w.canary.label).toContain('rollout 5% → 25%');
    expect(w.canary.label).toContain('2026-03-10 11:02Z'); // real times, not "the last hour"
  });

  it("pre-rollout: the window before the rollout's FIRST exposure, as long as the canary, one lookback clear of it", () => {
    const w = judgeWindows({ kind: 'pre', changes: history, at, stepMs });
    const first = history[2].at; // off → on, not the 5 → 25 step
    expect(w.rolloutStart?.change.id).toBe(history[2].id);
    expect(w.baseline.kind).toBe('pre');
    expect(w.baseline.to).toBeLessThanOrEqual(first - stepMs);
    expect(first - stepMs - w.baseline.to).toBeLessThan(stepMs);
    expect(w.baseline.to - w.baseline.from).toBe(w.canary.to - w.canary.from);
    expect(w.baseline.label).toMatch(
      /^pre-rollout, before the first exposure \(off → on at 2026-03-10 04:00Z\): 2026-03-10 03:0/,
    );
  });

  it("previous step: its own baseline, ending one lookback before the current step's change", () => {
    const w = judgeWindows({ kind: 'previous', changes: history, at, stepMs });
    const change = history[4].at;
    expect(w.baseline.kind).toBe('previous');
    expect(w.baseline.to).toBeLessThanOrEqual(change - stepMs);
    expect(w.baseline.to).toBeGreaterThan(change - 2 * stepMs);
    expect(w.baseline.to - w.baseline.from).toBe(w.canary.to - w.canary.from);
    expect(w.baseline.label).toMatch(/^previous step, before rollout 5% → 25%/);
  });

  it('no window holds the transition: every sample of the baseline ends before the change, every canary sample after it', () => {
    for (const stepSec of [5, 10, 60]) {
      for (const kind of ['pre', 'previous'] as const) {
        const s = stepSec * 1000;
        const w = judgeWindows({ kind, changes: history, at: T0 + 3_000, stepMs: s });
        const change = kind === 'pre' ? history[2].at : history[4].at;
        // A sample at t covers (t − step, t]: the first canary sample starts after the change, the last baseline one ends before it.
        expect(w.canary.from).toBeGreaterThanOrEqual(history[4].at + s); // one lookback (= step) clear of the change
        expect(w.baseline.to).toBeLessThanOrEqual(change - s);
        expect((w.canary.to - w.canary.from) % s).toBe(0);
      }
    }
  });

  it('inside the lookback after a change the canary is not ready, and says when it opens', () => {
    const w = judgeWindows({ kind: 'control', changes: history, at: history[4].at + 30_000, stepMs });
    expect(w.ready).toBe(false);
    expect(w.reason).toMatch(/canary window opens at 2026-03-10 11:02Z/);
  });

  it('a rollout older than the known history falls back to the previous step and says so', () => {
    const truncated = history.slice(3); // first known change is 1 → 5 %: where exposure left 0 is unknown
    const w = judgeWindows({ kind: 'pre', changes: truncated, at, stepMs });
    expect(w.rolloutStart).toBeNull();
    expect(w.baseline.label).toMatch(/rollout began before the known history/);
  });

  it('a flag created exposed began its rollout at creation', () => {
    const born = [change(-300, 'created', { enabled: true, exposure: 10 }), change(-100, 'exposure', { exposure: 50 })];
    const w = judgeWindows({ kind: 'pre', changes: born, at, stepMs });
    expect(w.rolloutStart?.change.id).toBe(born[0].id);
    expect(w.exposure).toBe(50);
  });
});
