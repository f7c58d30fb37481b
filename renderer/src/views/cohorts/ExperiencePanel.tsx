/**
 * Is their experience worse: treatment vs control in the same window (the verdict with baseline 'control'), one
 * row per metric, and per-variant sparklines of the tail latency and the error ratio over the last 24 h.
 */
import type { ResponseOf } from '../../../../shared/contract';
import type { Watch } from '../../../../shared/domain/metrics';
import type { WatchDecision } from '../../../../shared/domain/decision';
import type { VariantNames } from '../../lib/series';
import { CohortMetricTable } from './CohortMetricTable';
import { formatClock, localizeTimes } from '../../lib/time';
import { CohortSparklines } from './CohortSparklines';

export function ExperiencePanel({
  watch,
  verdict,
  names,
  decision,
  why,
}: {
  watch: Watch;
  verdict: ResponseOf<'verdict:get'>;
  names: VariantNames;
  decision: WatchDecision | null;
  /** Why these numbers are not the decision's own (another baseline), or null when they are. */
  why: string | null;
}): React.JSX.Element {
  const untrusted = verdict.extras?.srm?.status === 'alert';
  return (
    <section className="panel cohort-experience" data-testid="cohort-experience" aria-label="Is their experience worse">
      <div className="panel-header">
        <div className="card-title">Is their experience worse?</div>
        <span
          className={`metric-verdict verdict-${verdict.verdict}`}
          data-testid="cohort-verdict"
          data-verdict={verdict.verdict}
        >
          {verdict.verdict}
        </span>
        <span className="small muted">
          treatment <code>{names.treatment ?? '?'}</code> vs control <code>{names.control ?? '?'}</code> —{' '}
          {localizeTimes(verdict.baseline.label)}
        </span>
      </div>
      {untrusted && (
        <div className="banner banner-danger" role="alert" data-testid="cohort-untrusted">
          <strong>Do not trust this comparison:</strong> the variants do not get the traffic the rollout says (sample
          ratio mismatch), so the cohorts differ in more than the flag.
        </div>
      )}
      <div className="small cohort-reason" data-testid="cohort-source" data-decision={why === null}>
        {why === null ? (
          <>
            The watch&apos;s decision
            {decision ? ` (${decision.action.toUpperCase()}, computed ${formatClock(decision.computedAt)})` : ''}: the
            same numbers as the Canary watch.
          </>
        ) : (
          <>Not the decision&apos;s numbers: {why}.</>
        )}
      </div>
      {verdict.reason && <div className="small cohort-reason">{localizeTimes(verdict.reason)}</div>}
      <CohortMetricTable watch={watch} verdict={verdict} />
      <CohortSparklines watch={watch} names={names} />
    </section>
  );
}
