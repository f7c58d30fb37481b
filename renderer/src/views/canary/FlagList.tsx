/**
 * The searchable flag list: one row per connection × flag × environment, with its state, exposure and last
 * change. Rows the core could not refresh are marked stale with their age.
 */
import { useMemo, useState } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import { formatPercent } from '../../lib/format';
import { formatAgo, formatDuration } from '../../lib/time';
import { flagRowMatches, isSelected, type FlagSelection } from '../../lib/filters';

export function FlagList({
  rows,
  selection,
  onSelect,
  now,
}: {
  rows: readonly FlagRow[];
  selection: FlagSelection | null;
  onSelect: (s: FlagSelection) => void;
  now: number;
}): React.JSX.Element {
  const [search, setSearch] = useState('');
  const visible = useMemo(() => rows.filter((r) => flagRowMatches(r, search)), [rows, search]);
  return (
    <div className="flag-list">
      <input
        className="search"
        type="search"
        placeholder="Search flags, environments, connections…"
        aria-label="Search flags"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        data-testid="flag-search"
      />
      <div className="flag-rows" role="listbox" aria-label="Flags">
        {visible.length === 0 && <div className="empty">No flag matches “{search}”.</div>}
        {visible.map((r) => {
          const selected = isSelected(r, selection);
          return (
            <button
              type="button"
              role="option"
              aria-selected={selected}
              key={`${r.connectionId}\u0000${r.flagKey}\u0000${r.env}`}
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
                  <span className="stale-chip" title={r.stale.reason}>
                    stale {formatDuration(r.stale.ageMs)}
                  </span>
                )}
              </span>
              {r.lastChange && (
                <span className="flag-row-change muted" title={r.lastChange.comment ?? ''}>
                  {r.lastChange.label} · {formatAgo(r.lastChange.at, now)}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </div>
  );
}
