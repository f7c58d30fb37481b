import { JudgeInput, type JudgeOutput } from '../../shared/domain/verdict';
import { judge } from '../../shared/stats/judge';

/**
 * The ONE place the core calls the judge (shared/stats, owned by the judge, docs/statistics.md): the fixed-horizon
 * verdict, the live guard, bake time from the judge's own power, and the sample-ratio checks, under the names of
 * the agreed API. The core never computes a statistic itself; it only decides what data goes in and persists the
 * guard's state (decision-store.ts).
 */
export {
  guardStep,
  type GuardState,
  type GuardStepInput,
  type GuardStepOutput,
  type SequentialMetric,
} from '../../shared/stats/guard';
export {
  bakeTimeForJudge,
  type BakeTimeForJudge as BakeTimeOutput,
  type BakeTimeForJudgeInput as BakeTimeInput,
} from '../../shared/stats/bake-judge';
export { srmOnRequests, srmOnUnits, type SrmCheck as SrmOutput } from '../../shared/stats/srm';

/** Validates (strict: bad input names the field) and judges. */
export function runJudge(input: unknown): JudgeOutput {
  return judge(JudgeInput.parse(input));
}
