/** Summaries and the Markdown report of the plan simulation (bench/plan-simulation.ts). */
import type { PlanRunRecord } from './simulate-plan';

export interface CellSpec {
  name: string;
  kind: 'healthy' | 'regression';
  firstStep: number;
  regression: string;
  /** Requests a minute over both arms. */
  requestsPerMinute: number;
}

export interface CellSummary extends CellSpec {
  runs: number;
  rolledBack: number;
  completed: number;
  /** Regressions: plans that advanced past the first step before they were rolled back (or never were). */
  advancedBeforeCaught: number;
  medianMinutesToEnd: number | null;
  p90MinutesToEnd: number | null;
}

/** 95 % Wilson interval of a proportion, in percent. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 100];
  const z = 1.96;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, (c - h) * 100), Math.min(100, (c + h) * 100)];
}

/** Quantile of the end times of the plans that ended that way; null when fewer than `q` of all runs did (censored). */
function quantileOf(minutes: number[], runs: number, q: number): number | null {
  if (minutes.length < Math.ceil(q * runs)) return null;
  const sorted = [...minutes].sort((a, b) => a - b);
  return sorted[Math.ceil(q * runs) - 1];
}

export function summarize(spec: CellSpec, records: PlanRunRecord[]): CellSummary {
  const ended = records
    .filter((r) => (spec.kind === 'healthy' ? r.outcome === 'completed' : r.outcome === 'rolled-back'))
    .map((r) => r.minutes);
  return {
    ...spec,
    runs: records.length,
    rolledBack: records.filter((r) => r.outcome === 'rolled-back').length,
    completed: records.filter((r) => r.outcome === 'completed').length,
    advancedBeforeCaught: records.filter((r) => r.advances > 0).length,
    medianMinutesToEnd: quantileOf(ended, records.length, 0.5),
    p90MinutesToEnd: quantileOf(ended, records.length, 0.9),
  };
}

const pct = (k: number, n: number) => {
  const [lo, hi] = wilson(k, n);
  return `${((k / n) * 100).toFixed(1)} % (${lo.toFixed(1)}–${hi.toFixed(1)})`;
};
const rps = (c: CellSpec) => `${c.requestsPerMinute / 60} rps`;
const mins = (m: number | null, horizon: number) =>
  m === null ? `> ${horizon / 60} h` : m >= 120 ? `${(m / 60).toFixed(1)} h` : `${m} min`;

export function markdown(
  cells: CellSummary[],
  o: { horizonSteps: number; bakeMs: number; model: string; seconds: number; quick: boolean },
): string {
  const healthy = cells.filter((c) => c.kind === 'healthy');
  const bad = cells.filter((c) => c.kind === 'regression');
  return [
    '# Plan simulation (`npm run bench:judge`)',
    '',
    `${o.quick ? 'PARTIAL RUN (not written to bench/out) — ' : ''}${cells[0]?.runs ?? 0} simulated plans per cell, a new data step every minute, horizon ${o.horizonSteps / 60} h, bake floor ${o.bakeMs / 60_000} min (or the judge's own estimate when longer), steps 1 → 5 → 25 → 50 → 100 % or 5 → 25 → 50 → 100 %. ${o.model} Each plan is driven by Rampart's own rules: the judge and its live guard on every new data step (p99 from merged histogram buckets and the error rate, both critical, treatment vs the concurrent control over the current step), the decision's mapping (the guard acts → roll back; the verdict passes → advance; else hold) and the plan loop itself (main/plans/engine.ts). 95 % Wilson intervals in brackets. Took ${o.seconds.toFixed(0)} s.`,
    '',
    '## Healthy rollouts (treatment identical to the control)',
    '',
    '| first step | traffic | wrongly rolled back (target ≤ 1 %) | reached 100 % within the horizon | median time to 100 % | p90 |',
    '|---|---|---|---|---|---|',
    ...healthy.map(
      (c) =>
        `| ${c.firstStep} % | ${rps(c)} | ${pct(c.rolledBack, c.runs)} ${c.rolledBack / c.runs <= 0.01 ? '✔' : '✘'} | ${pct(c.completed, c.runs)} | ${mins(c.medianMinutesToEnd, o.horizonSteps)} | ${mins(c.p90MinutesToEnd, o.horizonSteps)} |`,
    ),
    '',
    '## Regressions present from the first exposure',
    '',
    '| regression | first step | reached the next step before being caught (target ≤ 5 %) | rolled back within the horizon | median time to the rollback |',
    '|---|---|---|---|---|',
    ...bad.map(
      (c) =>
        `| ${c.regression} | ${c.firstStep} % | ${pct(c.advancedBeforeCaught, c.runs)} ${c.advancedBeforeCaught / c.runs <= 0.05 ? '✔' : '✘'} | ${pct(c.rolledBack, c.runs)} | ${mins(c.medianMinutesToEnd, o.horizonSteps)} |`,
    ),
    '',
    'Reading it: a plan advances only on a passing verdict — every critical metric inside its margin, so a small first step',
    'waits for enough treatment requests to show the error rate is within +10 % relative / +0.1 pp of the control. A false',
    'rollback needs the guard to act on identical arms; each step the plan holds is one more live-watched window for it,',
    'which is why a sustained fixed-horizon fail must span the judge’s sample floor of new canary data (docs/statistics.md',
    '"Watching live"). At 50 rps a 1 % first step sees 30 treatment requests a minute: showing a 1 % error rate within',
    '+0.1 pp takes tens of thousands of them, so most such plans are still at 1 % after a day; the 500 rps row is the',
    'same plan with ten times the traffic.',
    '',
  ].join('\n');
}
