/**
 * One simulated rollout watched live: treatment vs concurrent control, a look after every 1-minute step, and at
 * each look every decision rule the guard could use. Returns the first look at which each rule fired.
 */
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { judge } from '../../shared/stats/judge';
import { mannWhitney } from '../../shared/stats/mann-whitney';
import { pooledZTest } from '../../shared/stats/proportions';
import { armStats, armStatsFromCounts } from '../../shared/stats/sample';
import { alwaysValidFail, sequentialUpdate, type SequentialState } from '../../shared/stats/sequential';
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
  /** Which metric's rules to track. */
  metric: 'p99' | 'errors';
  /** Stop as soon as every rule has fired (detection runs). */
  stopWhenAllFired: boolean;
  seed: number;
}

const SUSTAIN = 3;

export function simulateRun(options: RunOptions): FirstHits {
  const { model, exposure, looks, metric } = options;
  const random = new Random(options.seed);
  const load = new LoadProcess(random, model.loadSigma);
  const scratch = new Float64Array(Math.ceil(model.requestsPerStep * 2));
  const treatmentP99: Array<number | null> = [];
  const controlP99: Array<number | null> = [];
  let tRequests = 0;
  let tErrors = 0;
  let cRequests = 0;
  let cErrors = 0;
  let sequential: SequentialState | null = null;
  let streak = 0;
  const hits: FirstHits = { fixed: null, alwaysValidP: null, alwaysValidBad: null, judgeFail: null, judgeSustained3: null };
  const mark = (rule: Rule, look: number): void => {
    if (hits[rule] === null) hits[rule] = look;
  };
  for (let look = 1; look <= looks; look++) {
    const factor = load.next();
    const t = simulateArmStep(random, model, exposure, factor * (1 + options.latencyRegression), model.errorRate + options.errorRegression, scratch);
    const c = simulateArmStep(random, model, 1 - exposure, factor, model.errorRate, scratch);
    treatmentP99.push(t.p99);
    controlP99.push(c.p99);
    tRequests += t.requests;
    tErrors += t.errors;
    cRequests += c.requests;
    cErrors += c.errors;
    const regressing = options.latencyRegression > 0 || options.errorRegression > 0;

    let metricInput: JudgeMetricInput;
    if (metric === 'p99') {
      metricInput = { name: 'p99_ms', kind: 'latency', baseline: controlP99, canary: treatmentP99 };
      const tv = treatmentP99.filter((v): v is number => v !== null);
      const cv = controlP99.filter((v): v is number => v !== null);
      if (tv.length >= 2 && cv.length >= 2) {
        const mw = mannWhitney(tv, cv);
        const worse = !regressing || mw.u > (tv.length * cv.length) / 2;
        if (mw.pValue < 0.05 && worse) mark('fixed', look);
      }
      sequential = sequentialUpdate(sequential, { treatment: armStats(treatmentP99), control: armStats(controlP99) });
    } else {
      metricInput = { name: 'errors', kind: 'errors', baseline: { errors: cErrors, total: cRequests }, canary: { errors: tErrors, total: tRequests } };
      if (tRequests > 0 && cRequests > 0) {
        const z = pooledZTest(cErrors, cRequests, tErrors, tRequests);
        if (z.pValue < 0.05 && (!regressing || z.z > 0)) mark('fixed', look);
      }
      sequential = sequentialUpdate(sequential, { treatment: armStatsFromCounts(tErrors, tRequests), control: armStatsFromCounts(cErrors, cRequests) });
    }
    if (sequential.pValue <= 0.05) mark('alwaysValidP', look);
    if (alwaysValidFail(sequential, 'higher')) mark('alwaysValidBad', look);
    const verdict = judge({ metrics: [metricInput] }).metrics[0].verdict;
    streak = verdict === 'fail' ? streak + 1 : 0;
    if (verdict === 'fail') mark('judgeFail', look);
    if (streak >= SUSTAIN) mark('judgeSustained3', look);
    if (options.stopWhenAllFired && RULES.every((r) => hits[r] !== null)) break;
  }
  return hits;
}
