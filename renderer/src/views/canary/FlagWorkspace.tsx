/**
 * One flag in one environment: the sticky decision bar (decision + actions), what is unreachable and since when,
 * the plan strip, the charts, the verdict, and the rollout dialog. Everything reads the ONE decision of the watch.
 */
import { useMemo } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import { nextRampStep } from '../../../../shared/domain/flags';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatClock, formatDuration } from '../../lib/time';
import { DecisionBar } from './DecisionBar';
import { ChartStack } from './ChartStack';
import { VerdictPanel } from './VerdictPanel';
import { WatchProposal } from './WatchProposal';
import { RolloutDialog } from './RolloutDialog';
import { PlanSlot } from './PlanSlot';
import { useRolloutDialog } from './rollout-dialog-store';
import { useDecision } from './use-decision';
import { useLiveness } from './use-liveness';
import { useTotalRate } from './use-total-rate';

export function FlagWorkspace({ row }: { row: FlagRow }): React.JSX.Element {
  const ids = { connectionId: row.connectionId, flagKey: row.flagKey };
  const flag = useQuery('flags:get', ids, { refetchOn: ['flags:changed'] });
  const watchQ = useQuery('watches:forFlag', { ...ids, env: row.env });
  const saved = watchQ.data?.saved === true && watchQ.data.watch.id !== '';
  const watch = saved ? (watchQ.data?.watch ?? null) : null;
  const envState = flag.data?.flag.envs[row.env];
  const treatment = envState?.treatment;
  const control = envState?.control;
  const names = useMemo(() => ({ treatment, control }), [treatment, control]);
  const decisionQ = useDecision(watch?.id ?? null);
  const decision = decisionQ.data ?? null;
  const liveness = useLiveness(row, watch?.metricsConnectionId ?? null);
  const totalRps = useTotalRate(watch);
  const plan = useQuery(
    'plans:forFlag',
    { ...ids, env: row.env },
    { refetchOn: ['flags:changed', 'decision:updated', 'plans:updated'] },
  );
  const planRunning = plan.data?.plan ? ['running', 'holding'].includes(plan.data.plan.state) : false;
  const dialogMode = useRolloutDialog((s) => s.mode);
  const openDialog = useRolloutDialog((s) => s.open);
  const exposure = row.enabled ? (row.exposure ?? 100) : 0;
  const next = nextRampStep(row.enabled ? row.exposure : 0);
  const warning = liveness.coreDown
    ? `The Rampart core has not answered since ${formatClock(liveness.coreDown.since)}: this request will probably fail. From a terminal on the host, \`rampart rollback ${row.flagKey} --env ${row.env} --comment "…"\` reaches the store directly.`
    : null;

  return (
    <div className="workspace">
      <DecisionBar
        row={row}
        flagName={flag.data?.flag.name}
        targeting={envState?.targeting}
        decision={decision}
        decisionError={decisionQ.error && !liveness.coreDown ? decisionQ.error.message : null}
        liveness={liveness}
        totalRps={totalRps}
        next={next}
        exposure={exposure}
        hasWatch={watch !== null}
        planRunning={planRunning}
        plan={plan.data?.plan ?? null}
      />
      {liveness.coreDown && (
        <div className="banner banner-danger" role="alert" data-testid="core-down-banner">
          <span>
            <strong>Rampart core unreachable</strong> since {formatClock(liveness.coreDown.since)} (
            {formatDuration(Date.now() - liveness.coreDown.since)}): everything below is from{' '}
            {liveness.coreDown.lastOkAt ? formatClock(liveness.coreDown.lastOkAt) : 'before that'} and not live. Ramp is
            disabled; Roll back is still offered.
          </span>
        </div>
      )}
      {liveness.providerDown && (
        <div className="banner banner-danger" role="alert" data-testid="rollback-banner">
          <span>
            <strong>Metrics provider failing:</strong> {liveness.providerDown.errors} errors in a row
            {liveness.providerDown.lastError ? ` — ${liveness.providerDown.lastError}` : ''}. The verdict rests on old
            data; a rollback still works.
          </span>
          <button type="button" className="button danger" onClick={() => openDialog('rollback')}>
            Roll back…
          </button>
        </div>
      )}
      {flag.error && !liveness.coreDown && <ErrorNotice error={flag.error} title="Flag state" />}
      {watchQ.error && !liveness.coreDown && <ErrorNotice error={watchQ.error} title="Watch" />}
      {watch && <PlanSlot watch={watch} />}
      {watch ? (
        <>
          <ChartStack watch={watch} row={row} names={names} stale={liveness.coreDown !== null} />
          <VerdictPanel
            watch={watch}
            decision={decision}
            planRunning={planRunning}
            stale={liveness.coreDown !== null || decision?.stale !== null}
          />
        </>
      ) : watchQ.data ? (
        <WatchProposal watch={watchQ.data.watch} />
      ) : (
        !watchQ.error && <div className="empty">Loading watch…</div>
      )}
      {dialogMode && (
        <RolloutDialog
          mode={dialogMode}
          row={row}
          exposureStep={flag.data?.capabilities.exposureStep ?? 1}
          decision={decision}
          warning={warning}
        />
      )}
    </div>
  );
}
