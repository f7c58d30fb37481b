/**
 * The top of the canary watch, sticky so the decision and the actions are on screen together at every size: the
 * flag and its live state, the ONE decision (headline, reason, how fresh it is) and the two actions — ordered and
 * worded by the decision (lib/decision.ts). Rollback is never disabled: it must work when everything else is broken.
 */
import type { FlagRow } from '../../../../shared/contract';
import type { WatchDecision } from '../../../../shared/domain/decision';
import type { PlanView } from '../../../../shared/domain/plans';
import { formatPercent } from '../../lib/format';
import { actionModel, type ActionModel } from '../../lib/decision';
import { bakeWords } from '../../lib/extras';
import { formatAgo, formatClock, formatDateTimeZone, formatDuration, localizeTimes } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { useRolloutDialog } from './rollout-dialog-store';
import type { Liveness } from './use-liveness';

const BAKE_HINT =
  "Bake time: how much longer the current step must run for the judge's own test to catch the target regression (power 0.8) at the current traffic";

export interface DecisionBarProps {
  row: FlagRow;
  flagName?: string;
  targeting?: string;
  decision: WatchDecision | null;
  decisionError: string | null;
  liveness: Liveness;
  totalRps: number | null;
  next: number;
  exposure: number;
  hasWatch: boolean;
  /** A plan drives this flag: a ramp by hand is a change outside the plan, which pauses it ("never fight a human"). */
  planRunning: boolean;
  /** The flag's plan, if any: while it drives the flag its next move is the primary action (lib/decision.ts). */
  plan?: PlanView | null;
}

const DRIVING: readonly PlanView['state'][] = ['running', 'holding', 'awaiting-approval'];

/** What the bar needs of a plan that drives the flag, or null when none does. */
function planLead(
  plan: PlanView | null | undefined,
): { nextExposure: number | null; awaitingApproval: boolean } | null {
  if (!plan || !DRIVING.includes(plan.state)) return null;
  return {
    nextExposure: plan.policy.steps[plan.stepIndex + 1]?.exposure ?? null,
    awaitingApproval: plan.state === 'awaiting-approval',
  };
}

/** The plan's own controls live in its strip below: take the person there (and to Approve when it waits for one). */
function goToPlan(): void {
  const strip = document.querySelector<HTMLElement>('[data-testid="plan-strip"]');
  strip?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  (strip?.querySelector<HTMLElement>('[data-testid="plan-approve"]') ?? strip)?.focus();
}

function RampButton({
  m,
  primary,
  open,
}: {
  m: ActionModel;
  primary: boolean;
  open: (override: boolean) => void;
}): React.JSX.Element {
  const cls = m.ramp.override ? 'button warn-outline' : primary ? 'button primary' : 'button subtle-strong';
  return (
    <button
      type="button"
      className={cls}
      data-testid="ramp-button"
      data-primary={primary}
      data-override={m.ramp.override}
      disabled={m.ramp.disabled !== null}
      title={
        m.ramp.disabled
          ? `Ramp is disabled: ${m.ramp.disabled}`
          : m.ramp.override
            ? 'The decision says roll back: ramping needs an explicit override and a comment (audited)'
            : 'Ramp to the next step'
      }
      onClick={() => open(m.ramp.override)}
    >
      {m.ramp.label}
    </button>
  );
}

export function DecisionBar(p: DecisionBarProps): React.JSX.Element {
  const open = useRolloutDialog((s) => s.open);
  const now = useUi((s) => s.liveNow);
  const { row, decision, liveness } = p;
  const atTop = row.enabled && p.exposure >= 100;
  const m = actionModel({
    decision: p.hasWatch ? decision : null,
    exposure: p.exposure,
    next: p.next,
    atTop,
    coreDown: liveness.coreDown,
    storeStale: liveness.storeStale,
    providerDown: liveness.providerDown,
    totalRps: p.totalRps,
    now: Math.max(now, Date.now()),
    plan: planLead(p.plan),
  });
  const bake = bakeWords(decision?.verdict.extras?.bakeTime);
  const rollbackPrimary = m.primary === 'rollback';
  const note = m.ramp.disabled ? `Ramp disabled: ${m.ramp.disabled}.` : m.ramp.blast;
  const ramp = <RampButton m={m} primary={m.primary === 'ramp'} open={(override) => open('ramp', { override })} />;
  const rollback = (
    <button
      type="button"
      className={rollbackPrimary ? 'button danger' : 'button danger-outline'}
      data-testid="rollback-button"
      data-primary={rollbackPrimary}
      onClick={() => open('rollback')}
    >
      {m.rollback.label}
    </button>
  );
  const planButton = m.plan && (
    <button
      type="button"
      className="button primary"
      data-testid="plan-next-button"
      data-primary={true}
      title={m.plan.note}
      onClick={goToPlan}
    >
      {m.plan.label}
    </button>
  );
  return (
    <div
      className={`panel decision-bar tone-${m.tone}`}
      data-testid="decision-bar"
      data-action={decision?.action ?? ''}
      data-tone={m.tone}
    >
      <div className="db-flag">
        <div className="db-title">
          <h1 title={p.flagName ?? row.name}>{p.flagName ?? row.name}</h1>
          <code className="muted">{row.flagKey}</code>
          <span className="env-chip">{row.env}</span>
        </div>
        <div className="db-facts small muted">
          <span>
            {row.connectionName} ({row.connectionKind})
          </span>
          {p.targeting && <span title="targeting">{p.targeting}</span>}
          {row.lastChange && (
            <span title={formatDateTimeZone(row.lastChange.at)} data-testid="last-change">
              last: {row.lastChange.label} · {formatAgo(row.lastChange.at, now)}
              {row.lastChange.actor ? ` by ${row.lastChange.actor}` : ''}
            </span>
          )}
          {liveness.storeStale && (
            <span className="stale-chip" title={liveness.storeStale.reason} data-testid="store-stale">
              flag state from {formatDuration(liveness.storeStale.ageMs)} ago
            </span>
          )}
        </div>
      </div>
      <div className="flag-state" data-testid="flag-state">
        <span className={row.enabled ? 'state-word on' : 'state-word off'}>{row.enabled ? 'ON' : 'OFF'}</span>
        <span className="exposure-big" data-testid="flag-exposure">
          {row.enabled ? formatPercent(row.exposure ?? 100) : '0%'}
        </span>
      </div>
      <div className="db-decision" data-testid="decision-summary">
        <span className={`decision-chip tone-${m.tone}`} data-testid="decision-headline">
          {m.headline}
        </span>
        <span className="db-reason" title={localizeTimes(m.reason)} data-testid="decision-reason">
          {p.hasWatch ? localizeTimes(m.reason) : 'No watch for this flag yet: save one below to get a decision.'}
        </span>
        <span className="small muted db-when">
          {decision && (
            <span data-testid="decision-when" title={formatDateTimeZone(decision.computedAt)}>
              decided {formatClock(decision.computedAt)} on the {decision.baseline} baseline
            </span>
          )}
          {(decision?.stale || liveness.coreDown) && (
            <span className="stale-chip" data-testid="decision-stale">
              stale
            </span>
          )}
          {p.decisionError && <span className="error-text"> · {p.decisionError}</span>}
          {bake && (
            <span className={bake.ready ? 'bake-chip ready' : 'bake-chip'} title={BAKE_HINT} data-testid="bake-time">
              bake: {bake.text}
            </span>
          )}
        </span>
      </div>
      <div className="db-actions">
        <div className="db-buttons">
          {planButton && <span key="p">{planButton}</span>}
          {rollbackPrimary
            ? [<span key="r">{rollback}</span>, <span key="a">{ramp}</span>]
            : [<span key="a">{ramp}</span>, <span key="r">{rollback}</span>]}
        </div>
        {note && (
          <span
            className={m.ramp.disabled ? 'small db-note warn-text' : 'small db-note muted'}
            data-testid={m.ramp.disabled ? 'ramp-disabled-reason' : 'blast-radius'}
          >
            {note}
          </span>
        )}
        {m.rollback.note && (
          <span className="small db-note muted" data-testid="rollback-note">
            Roll back: {m.rollback.note}
          </span>
        )}
        {p.planRunning && !m.ramp.disabled && (
          <span className="small db-note muted" data-testid="plan-running-note">
            A plan drives this flag: a ramp by hand pauses it.
          </span>
        )}
      </div>
    </div>
  );
}
