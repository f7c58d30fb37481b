/**
 * The plan in the canary watch (issue 12): its state, the row of steps, bake progress (time and samples), the
 * decision that will be taken next and when, and Approve / Pause / Resume / Abort. Without a plan: a way to start
 * one. Mounted by the canary watch's PlanSlot; reads only `plans:forFlag`, refetched on every plan change.
 */
import { useState } from 'react';
import type { Watch } from '../../../../shared/domain/metrics';
import type { PlanView } from '../../../../shared/domain/plans';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatAgo, formatHourMinute } from '../../lib/time';
import { PlanActions } from './PlanActions';
import { PlanMeters, PlanSteps } from './PlanSteps';
import { StartPlanDialog } from './StartPlanDialog';
import { evaluatingText, exposureOf, STATE_TONES, STATE_WORDS } from './plan-format';
import './plans.css';

const ACTIVE = new Set(['running', 'holding', 'paused', 'awaiting-approval', 'rolled-back']);

export function PlanState({ plan }: { plan: Pick<PlanView, 'state'> }): React.JSX.Element {
  return (
    <span className={`plan-state tone-${STATE_TONES[plan.state]}`} data-testid="plan-state" data-state={plan.state}>
      {STATE_WORDS[plan.state]}
    </span>
  );
}

/** "next: advance to 25% when ready — baking: 3 min left · ≈ 14:07" */
export function PlanNext({ plan }: { plan: PlanView }): React.JSX.Element {
  const n = plan.outlook.next;
  return (
    <div className="plan-next small" data-testid="plan-next" data-action={n.action}>
      <strong>next:</strong> {n.text}
      {n.at !== null && <> · ≈ {formatHourMinute(n.at)}</>}
      {!plan.outlook.window.open && <> · window: {plan.outlook.window.reason}</>}
    </div>
  );
}

function Strip({ plan, now, start }: { plan: PlanView; now: number; start: React.ReactNode }): React.JSX.Element {
  const d = plan.lastDecision;
  return (
    <section
      className="plan-strip"
      aria-label="Rollout plan"
      data-testid="plan-strip"
      data-plan-id={plan.id}
      data-state={plan.state}
    >
      <div className="plan-head">
        <span className="plan-title">Plan</span>
        <PlanState plan={plan} />
        <span className="small">
          at <strong data-testid="plan-exposure">{exposureOf(plan)}</strong> · step {plan.stepIndex + 1} of{' '}
          {plan.policy.steps.length}
          {plan.policyName && <span className="muted"> · policy {plan.policyName}</span>}
        </span>
        <span className="plan-reason small" data-testid="plan-reason">
          {plan.reason}
        </span>
        <span className="spacer" />
        <PlanActions plan={plan} />
        {!ACTIVE.has(plan.state) && start}
      </div>
      <PlanSteps plan={plan} />
      {ACTIVE.has(plan.state) && plan.state !== 'rolled-back' && <PlanMeters plan={plan} />}
      <PlanNext plan={plan} />
      <div className="muted small">
        last decision{' '}
        {d ? (
          <>
            {formatAgo(d.computedAt, now)}: <strong>{d.action}</strong> — {d.reason}
          </>
        ) : (
          'none yet'
        )}
        {plan.recovery && <span data-testid="plan-recovery"> · recovery: {plan.recovery.message}</span>}
        {plan.outlook.lease.owner && (
          <span> · driven by {plan.outlook.lease.mine ? 'this Rampart' : 'another runner'}</span>
        )}
        {evaluatingText(plan, now, formatHourMinute) && (
          <span data-testid="plan-evaluating"> · {evaluatingText(plan, now, formatHourMinute)}</span>
        )}
      </div>
    </section>
  );
}

export function PlanStrip({ watch }: { watch: Watch }): React.JSX.Element | null {
  const q = useQuery(
    'plans:forFlag',
    { connectionId: watch.flagConnectionId, flagKey: watch.flagKey, env: watch.env },
    { refetchOn: ['plans:updated', 'decision:updated', 'flags:changed'] },
  );
  const [starting, setStarting] = useState(false);
  if (q.error) return <ErrorNotice error={q.error} title="Plan" />;
  if (!q.data) return null;
  const plan = q.data.plan;
  const start = (
    <>
      <button type="button" className="button subtle-strong" onClick={() => setStarting(true)} data-testid="plan-start">
        Start a plan…
      </button>
      {starting && <StartPlanDialog watch={watch} onClose={() => setStarting(false)} />}
    </>
  );
  // A plan that finished in the last day keeps its full strip: how it ended, its recovery, its record.
  const recent = plan && (ACTIVE.has(plan.state) || Date.now() - (plan.finishedAt ?? plan.updatedAt) < 86_400_000);
  if (plan && recent) return <Strip plan={plan} now={q.fetchedAt ?? Date.now()} start={start} />;
  return (
    <section
      className="plan-strip compact"
      aria-label="Rollout plan"
      data-testid="plan-strip"
      data-state={plan?.state ?? 'none'}
    >
      <span className="plan-title">Plan</span>
      {plan ? (
        <>
          <PlanState plan={plan} />
          <span className="small muted" data-testid="plan-reason">
            last plan {plan.finishedAt ? formatAgo(plan.finishedAt, Date.now()) : ''}: {plan.reason}
          </span>
        </>
      ) : (
        <span className="small muted">
          No plan: ramps are made by hand. A plan climbs the steps on its own and rolls back when the decision says so.
        </span>
      )}
      <span className="spacer" style={{ flex: 1 }} />
      {plan && <PlanActions plan={plan} />}
      {start}
    </section>
  );
}
