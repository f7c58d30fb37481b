/**
 * One simulated rollout watched live: treatment vs concurrent control, a look after every 1-minute step, and at
 * each look every decision rule the guard could use. Returns the first look at which each rule fired.
 */
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { judge } from '../../shared/stats/judge';
import { mannWhitney } from '../../shared/stats/mann-whitney';
import { pooledZTest } from '../../shared/stats/proportions';
import { armStats } from '../../shared/stats/sample';
import { alwaysValidFail, sequentialUpdate, sequentialUpdateCounts, type SequentialState } from '../../shared/stats/sequential';
import { LoadProcess, Random, simulateArmStep, type ServiceModel } from './model';

export const RULES = ['fixed', 'alwaysValidP', 'alwaysValidBad', 'judgeFail', 'judgeSustained3'] as const;
export type Rule = (typeof RULES)[number];

/**
 * - fixed: the classic fixed-horizon test repeated at every look, two-sided p < 0.05 (Mann-Whitney for p99,
 *   pooled z for errors); in a detection run only a "worse" result counts.
 * - alwaysValidP: always-valid p-value ≤ 0.05 (either side).
 * - alwaysValidBad: the always-valid 95% interval entirely on the bad side — what may act (STATISTICS.md).
 * - judgeFail: the judge's per-metric verdict is fail at this look (a single blip).
 * - judgeSustained3: the judge said fail at 3 consecutive looks — what may act without the always-valid test.
 */
export type FirstHits = Record<Rule, number | null>;

export interface RunOptions {
  model: ServiceModel;
  /** Share of traffic served the treatment (0.01 = 1%). */
  exposure: number;
  looks: number;
  /** Relative p99 regression of the treatment (0.25 = +25%); 0 for none. */
  latencyRegression: number;
  /** Added error probability for the treatment (0.005 = +0.5 pp); 0 for none. */
  errorRegression: number;
  /** Stop as soon as every rule of this metric has fired (detection runs). */
  stopWhenFired: 'p99' | 'errors' | null;
  seed: number;
}

export interface RunResult {
  p99: FirstHits;
  errors: FirstHits;
}

const SUSTAIN = 3;

/** Tracks one metric's rules across looks. */
class RuleTracker {
  readonly hits: FirstHits = { fixed: null, alwaysValidP: null, alwaysValidBad: null, judgeFail: null, judgeSustained3: null };
  private streak = 0;
  sequential: SequentialState | null = null;

  mark(rule: Rule, look: number): void {
    if (this.hits[rule] === null) this.hits[rule] = look;
  }

  judged(verdict: string, look: number): void {
    this.streak = verdict === 'fail' ? this.streak + 1 : 0;
    if (verdict === 'fail') this.mark('judgeFail', look);
    if (this.streak >= SUSTAIN) this.mark('judgeSustained3', look);
  }

  sequentialLook(look: number): void {
    if (this.sequential && this.sequential.pValue <= 0.05) this.mark('alwaysValidP', look);
    if (alwaysValidFail(this.sequential, 'higher')) this.mark('alwaysValidBad', look);
  }

  allFired(): boolean {
    return RULES.every((r) => this.hits[r] !== null);
  }
}

export function simulateRun(options: RunOptions): RunResult {
  const { model, exposure, looks } = options;
  const random = new Random(options.seed);
  const load = new LoadProcess(random, model.loadSigma);
  const treatmentP99: Array<number | null> = [];
  const controlP99: Array<number | null> = [];
  let tRequests = 0;
  let tErrors = 0;
  let cRequests = 0;
  let cErrors = 0;
  const p99 = new RuleTracker();
  const errors = new RuleTracker();
  const latencyWorseOnly = options.latencyRegression > 0;
  const errorsWorseOnly = options.errorRegression > 0;
  for (let look = 1; look <= looks; look++) {
    const factor = load.next();
    const t = simulateArmStep(random, model, exposure, factor * (1 + options.latencyRegression), model.errorRate + options.errorRegression);
    const c = simulateArmStep(random, model, 1 - exposure, factor, model.errorRate);
    treatmentP99.push(t.p99);
    controlP99.push(c.p99);
    tRequests += t.requests;
    tErrors += t.errors;
    cRequests += c.requests;
    cErrors += c.errors;

    const tv = treatmentP99.filter((v): v is number => v !== null);
    const cv = controlP99.filter((v): v is number => v !== null);
    if (tv.length >= 2 && cv.length >= 2) {
      const mw = mannWhitney(tv, cv);
      if (mw.pValue < 0.05 && (!latencyWorseOnly || mw.u > (tv.length * cv.length) / 2)) p99.mark('fixed', look);
    }
    p99.sequential = sequentialUpdate(p99.sequential, { treatment: armStats(treatmentP99), control: armStats(controlP99) });
    p99.sequentialLook(look);

    if (tRequests > 0 && cRequests > 0) {
      const z = pooledZTest(cErrors, cRequests, tErrors, tRequests);
      if (z.pValue < 0.05 && (!errorsWorseOnly || z.z > 0)) errors.mark('fixed', look);
    }
    errors.sequential = sequentialUpdateCounts(errors.sequential, { treatment: { errors: tErrors, total: tRequests }, control: { errors: cErrors, total: cRequests } });
    errors.sequentialLook(look);

    const metrics: JudgeMetricInput[] = [
      { name: 'p99_ms', kind: 'latency', baseline: controlP99, canary: treatmentP99 },
      { name: 'errors', kind: 'errors', baseline: { errors: cErrors, total: cRequests }, canary: { errors: tErrors, total: tRequests } },
    ];
    const verdicts = judge({ metrics }).metrics;
    p99.judged(verdicts[0].verdict, look);
    errors.judged(verdicts[1].verdict, look);
    if (options.stopWhenFired === 'p99' && p99.allFired()) break;
    if (options.stopWhenFired === 'errors' && errors.allFired()) break;
  }
  return { p99: p99.hits, errors: errors.hits };
}
