/**
 * One row of the flag list (FlagList.tsx): the flag's state, exposure, environment, connection, lifecycle stage and
 * last change, as an option of the listbox. Memoized: a keystroke in the search box re-renders the rows whose
 * place or content changed, not every row on screen (issue 15: no keystroke over 16 ms).
 */
import { memo } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import type { FlagSelection } from '../../lib/filters';
import { formatPercent } from '../../lib/format';
import { formatAgo, formatDuration } from '../../lib/time';
import type { LifecycleRow } from '../../../../shared/domain/lifecycle';
import { StageBadge } from '../lifecycle/StageBadge';

function FlagRowOptionImpl({
  row: r,
  selected,
  tabStop,
  posinset,
  setsize,
  stage,
  now,
  onSelect,
}: {
  row: FlagRow;
  selected: boolean;
  tabStop: boolean;
  posinset: number;
  setsize: number;
  stage: LifecycleRow | undefined;
  now: number;
  onSelect: (s: FlagSelection) => void;
}): React.JSX.Element {
  return (
    <button
      type="button"
      role="option"
      aria-selected={selected}
      aria-setsize={setsize}
      aria-posinset={posinset}
      tabIndex={tabStop ? 0 : -1}
      className={selected ? 'flag-row selected' : 'flag-row'}
      data-testid="flag-row"
      data-connection-id={r.connectionId}
      data-flag-key={r.flagKey}
      data-env={r.env}
      onClick={() => onSelect({ connectionId: r.connectionId, flagKey: r.flagKey, env: r.env })}
    >
      <span className="flag-row-top">
        <span className={r.enabled ? 'state-dot on' : 'state-dot off'} title={r.enabled ? 'on' : 'off'} />
        <span className="flag-key" title={r.name}>
          {r.flagKey}
        </span>
        <span className="flag-exposure">{r.enabled ? formatPercent(r.exposure ?? 100) : 'off'}</span>
      </span>
      <span className="flag-row-meta">
        <span className="env-chip">{r.env}</span>
        <span className="muted" title={`${r.connectionKind} connection`}>
          {r.connectionName}
        </span>
        {r.stale && (
          <span className="stale-chip" title={r.stale.message}>
            {/* Not "stale": that word is the lifecycle stage (StageBadge) beside it. */}
            unreachable · read {formatDuration(r.stale.ageMs)} ago
          </span>
        )}
        {stage && <StageBadge stage={stage.stage} row={stage} />}
      </span>
      {r.lastChange && (
        <span className="flag-row-change muted" title={r.lastChange.comment ?? ''}>
          {r.lastChange.label} · {formatAgo(r.lastChange.at, now)}
        </span>
      )}
    </button>
  );
}

export const FlagRowOption = memo(FlagRowOptionImpl);
