/** The plan as a row of steps: done ✓, the current one, pending, the one rolled back; a gate marks approval steps. */
import type { PlanView } from '../../../../shared/domain/plans';
import { formatDateTime, formatDuration } from '../../lib/time';
import { progress } from './plan-format';

const MARK = { done: '✓', current: '●', pending: '○', 'rolled-back': '✕', before: '·' } as const;

export function PlanSteps({ plan }: { plan: PlanView }): React.JSX.Element {
  return (
    <div className="plan-steps" role="list" aria-label="Plan steps" data-testid="plan-steps">
      {plan.outlook.steps.map((s, i) => {
        const when =
          s.status === 'before'
            ? 'the flag was already past it when the plan started'
            : s.startedAt
              ? `reached ${formatDateTime(s.startedAt)}${s.endedAt ? `, held ${formatDuration(s.endedAt - s.startedAt)}` : ''}`
              : 'not reached yet';
        return (
          <span key={s.index} className="plan-step-wrap">
            {i > 0 && <span className="plan-arrow">→</span>}
            <span
              role="listitem"
              className={`plan-step ${s.status}`}
              data-testid="plan-step"
              data-status={s.status}
              title={`step ${s.index + 1}: ${s.exposure}% — ${s.status}; ${when}${s.approval ? `; needs approval${s.approved ? ' (approved)' : ''}` : ''}`}
            >
              <span aria-hidden="true">{MARK[s.status]}</span>
              {s.exposure}%{s.approval && <span className="gate">{s.approved ? 'approved' : 'approval'}</span>}
            </span>
          </span>
        );
      })}
    </div>
  );
}

/** Bake progress (time and samples) of the current step, as two meters. */
export function PlanMeters({ plan }: { plan: PlanView }): React.JSX.Element {
  const p = progress(plan);
  const b = plan.outlook.bake;
  const s = plan.outlook.samples;
  const estimate =
    b.estimateMs !== null && b.estimateMs > b.floorMs ? ` (judge’s estimate; floor ${formatDuration(b.floorMs)})` : '';
  return (
    <div className="plan-meters">
      <div
        className="plan-meter"
        data-testid="plan-bake"
        title={`Bake of this step: the longer of your floor and the judge’s own estimate${estimate}`}
      >
        <span className="muted small">bake</span>
        <span className="bar" aria-hidden="true">
          <span
            className={p.bake >= 1 ? 'fill full' : 'fill'}
            style={{ width: `${Math.round(p.bake * 100)}%`, display: 'block' }}
          />
        </span>
        <span className="small">
          {formatDuration(Math.min(b.elapsedMs, b.requiredMs))} of {formatDuration(b.requiredMs)}
          {estimate && <span className="muted">{estimate}</span>}
        </span>
      </div>
      <div className="plan-meter" data-testid="plan-samples">
        <span className="muted small">samples</span>
        <span className="bar" aria-hidden="true">
          <span
            className={p.samples === null || p.samples >= 1 ? 'fill full' : 'fill'}
            style={{ width: `${Math.round((p.samples ?? 1) * 100)}%`, display: 'block' }}
          />
        </span>
        <span className="small">
          {s.have === null
            ? `none counted yet${s.need > 0 ? ` of ${s.need.toLocaleString('en-US')}` : ''} (next data step)`
            : s.need > 0
              ? `${s.have.toLocaleString('en-US')} of ${s.need.toLocaleString('en-US')} requests`
              : `${s.have.toLocaleString('en-US')} requests, no minimum`}
        </span>
      </div>
    </div>
  );
}
