/** One flag in one environment: header with actions, health banner, charts, verdict, and the rollout dialog. */
import { useMemo } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import { useQuery } from '../../data/use-query';
import { PROPOSE_ROLLBACK_AFTER, useConnectionStatus } from '../../state/connection-store';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FlagHeader } from './FlagHeader';
import { ChartStack } from './ChartStack';
import { VerdictPanel } from './VerdictPanel';
import { WatchProposal } from './WatchProposal';
import { RolloutDialog } from './RolloutDialog';
import { useRolloutDialog } from './rollout-dialog-store';

export function FlagWorkspace({ row }: { row: FlagRow }): React.JSX.Element {
  const ids = { connectionId: row.connectionId, flagKey: row.flagKey };
  const flag = useQuery('flags:get', ids, { refetchOn: ['flags:changed'] });
  const watchQ = useQuery('watches:forFlag', { ...ids, env: row.env });
  const watch = watchQ.data?.watch;
  const envState = flag.data?.flag.envs[row.env];
  const treatment = envState?.treatment;
  const control = envState?.control;
  const names = useMemo(() => ({ treatment, control }), [treatment, control]);
  const health = useConnectionStatus((s) => (watch ? s.providers[watch.metricsConnectionId] : undefined));
  const dialogMode = useRolloutDialog((s) => s.mode);
  const openDialog = useRolloutDialog((s) => s.open);

  return (
    <div className="workspace">
      <FlagHeader row={row} flagName={flag.data?.flag.name} targeting={envState?.targeting} watchId={watch && watchQ.data?.saved && watch.id !== '' ? watch.id : null} />
      {health && health.consecutiveErrors >= PROPOSE_ROLLBACK_AFTER && (
        <div className="banner banner-danger" role="alert" data-testid="rollback-banner">
          <span>
            <strong>Metrics provider failing:</strong> {health.consecutiveErrors} errors in a row
            {health.lastError ? ` — ${health.lastError}` : ''}. The verdict cannot be trusted; consider rolling back.
          </span>
          <button type="button" className="button danger" onClick={() => openDialog('rollback')}>
            Roll back…
          </button>
        </div>
      )}
      {flag.error && <ErrorNotice error={flag.error} title="Flag state" />}
      {watchQ.error && <ErrorNotice error={watchQ.error} title="Watch" />}
      {watch && watchQ.data?.saved && watch.id !== '' ? (
        <>
          <ChartStack watch={watch} row={row} names={names} />
          <VerdictPanel watch={watch} />
        </>
      ) : watch ? (
        <WatchProposal watch={watch} />
      ) : (
        !watchQ.error && <div className="empty">Loading watch…</div>
      )}
      {dialogMode && <RolloutDialog mode={dialogMode} row={row} exposureStep={flag.data?.capabilities.exposureStep ?? 1} />}
    </div>
  );
}
