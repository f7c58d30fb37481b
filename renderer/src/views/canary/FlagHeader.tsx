/** The chosen flag: identity, live state, last change, and the two actions. */
import type { FlagRow } from '../../../../shared/contract';
import { nextRampStep } from '../../../../shared/domain/flags';
import { formatPercent } from '../../lib/format';
import { formatAgo, formatDateTime, formatDuration } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { useRolloutDialog } from './rollout-dialog-store';
import { useVerdict } from './use-verdict';
import { bakeWords } from '../../lib/extras';

const BAKE_HINT =
  'Bake time: how much longer the current step must run to detect a 10% regression of the critical latency metric (α 0.05, power 0.8) at the current traffic';

export function FlagHeader({ row, flagName, targeting, watchId }: { row: FlagRow; flagName?: string; targeting?: string; watchId: string | null }): React.JSX.Element {
  const open = useRolloutDialog((s) => s.open);
  const bake = bakeWords(useVerdict(watchId).data?.extras?.bakeTime);
  const now = useUi((s) => s.liveNow);
  const exposure = row.enabled ? (row.exposure ?? 100) : 0;
  const atTop = row.enabled && exposure >= 100;
  const next = nextRampStep(row.enabled ? row.exposure : 0);
  return (
    <div className="flag-header panel">
      <div className="flag-identity">
        <div className="flag-title">
          <h1>{flagName ?? row.name}</h1>
          <code className="muted">{row.flagKey}</code>
        </div>
        <div className="flag-facts">
          <span className="env-chip">{row.env}</span>
          <span className="muted">
            {row.connectionName} <span className="small">({row.connectionKind})</span>
          </span>
          {targeting && <span className="muted small" title="targeting">{targeting}</span>}
          {row.stale && (
            <span className="stale-chip" title={row.stale.reason}>
              stale · state from {formatDuration(row.stale.ageMs)} ago
            </span>
          )}
        </div>
      </div>
      <div className="flag-state" data-testid="flag-state">
        <span className={row.enabled ? 'state-word on' : 'state-word off'}>{row.enabled ? 'ON' : 'OFF'}</span>
        <span className="exposure-big" data-testid="flag-exposure">
          {row.enabled ? formatPercent(row.exposure ?? 100) : '0%'}
        </span>
        <span className="muted small">exposure</span>
      </div>
      <div className="flag-last-change">
        {row.lastChange ? (
          <>
            <span className="small muted">last change</span>
            <span title={formatDateTime(row.lastChange.at)}>{row.lastChange.label}</span>
            <span className="small muted">
              {formatAgo(row.lastChange.at, now)}
              {row.lastChange.actor ? ` by ${row.lastChange.actor}` : ''}
            </span>
          </>
        ) : (
          <span className="small muted">no recorded change</span>
        )}
      </div>
      <div className="flag-actions">
        <div className="ramp-group">
          <button
            type="button"
            className="button primary"
            data-testid="ramp-button"
            title={atTop ? 'Already at 100% — choose another exposure' : `Ramp to the next step (${next}%)`}
            onClick={() => open('ramp')}
          >
            {atTop ? 'Ramp…' : `Ramp ${formatPercent(exposure)} → ${next}%`}
          </button>
          {bake && (
            <span className={bake.ready ? 'bake-chip ready' : 'bake-chip'} title={BAKE_HINT} data-testid="bake-time">
              bake: {bake.text}
            </span>
          )}
        </div>
        {/* Rollback is never disabled because of metrics: it must work when everything else is broken. */}
        <button type="button" className="button danger" data-testid="rollback-button" onClick={() => open('rollback')}>
          Roll back
        </button>
      </div>
    </div>
  );
}
