/**
 * The searchable flag list: one row per connection × flag × environment, with its state, exposure and last
 * change. Rows the core could not refresh are marked stale with their age. Arrow keys (and Home/End) move the
 * selection through the list; one row is in the tab order (roving tabindex), so Tab goes on to the workspace. Only
 * the rows on screen are rendered (row-window.ts), each telling screen readers its place (aria-posinset/setsize).
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { FlagRow } from '../../../../shared/contract';
import { flagRowMatches, isSelected, type FlagSelection } from '../../lib/filters';
import { useQuery } from '../../data/use-query';
import { rowKey } from '../lifecycle/lifecycle-model';
import { FlagRowOption } from './FlagRowOption';
import { useRowWindow } from './row-window';

const BADGE_DELAY_MS = 1_500;

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
  // The box answers the keystroke at once; filtering and laying out ~1,000 rows follows at a lower priority, and a
  // newer keystroke interrupts it (issue 15: no keystroke over 16 ms).
  const deferredSearch = useDeferredValue(search);
  const visible = useMemo(() => rows.filter((r) => flagRowMatches(r, deferredSearch)), [rows, deferredSearch]);
  const listRef = useRef<HTMLDivElement>(null);
  // Lifecycle stage badges (issue 14): one shared query with the Lifecycle view, asked for once the first chart has
  // had the core to itself (it reads every store's history: secondary to the canary watch's first paint).
  const [badges, setBadges] = useState(false);
  useEffect(() => {
    const t = window.setTimeout(() => setBadges(true), BADGE_DELAY_MS);
    return () => window.clearTimeout(t);
  }, []);
  const lifecycle = useQuery('lifecycle:list', badges ? {} : null, {
    refetchOn: ['flags:changed', 'lifecycle:stale', 'plans:updated'],
  });
  const stages = useMemo(() => new Map((lifecycle.data?.rows ?? []).map((l) => [rowKey(l), l])), [lifecycle.data]);
  const current = visible.findIndex((r) => isSelected(r, selection));
  // One callback for every row, so the memoized rows re-render only when their own row changed.
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const select = useCallback((s: FlagSelection) => onSelectRef.current(s), []);
  const win = useRowWindow(visible.length, listRef);
  // The selected row is the list's tab stop; scrolled out of the rendered rows, the first rendered row is.
  const tabStop = current >= win.first && current < win.last ? current : win.first;
  const move = (e: React.KeyboardEvent): void => {
    const keys: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      Home: 0,
      End: visible.length - 1,
    };
    if (!(e.key in keys) || visible.length === 0) return;
    e.preventDefault();
    const i = Math.min(visible.length - 1, Math.max(0, keys[e.key]));
    const r = visible[i];
    // Rendered now, scrolled into view, so the row the key moved to exists to be focused (it may not have been).
    flushSync(() => {
      onSelect({ connectionId: r.connectionId, flagKey: r.flagKey, env: r.env });
      win.reveal(i);
    });
    listRef.current?.querySelector<HTMLElement>(`[role=option][aria-posinset="${i + 1}"]`)?.focus();
  };
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
      <div
        className="flag-rows"
        role="listbox"
        aria-label="Flags"
        ref={listRef}
        onKeyDown={move}
        onScroll={win.onScroll}
      >
        {visible.length === 0 && <div className="empty">No flag matches “{deferredSearch}”.</div>}
        {win.beforePx > 0 && <div aria-hidden="true" style={{ height: win.beforePx, flex: 'none' }} />}
        {visible.slice(win.first, win.last).map((r, j) => {
          const i = win.first + j;
          const selected = isSelected(r, selection);
          return (
            <FlagRowOption
              key={`${r.connectionId}\u0000${r.flagKey}\u0000${r.env}`}
              row={r}
              selected={selected}
              tabStop={i === tabStop}
              posinset={i + 1}
              setsize={visible.length}
              stage={stages.get(rowKey(r))}
              now={now}
              onSelect={select}
            />
          );
        })}
        {win.afterPx > 0 && <div aria-hidden="true" style={{ height: win.afterPx, flex: 'none' }} />}
      </div>
    </div>
  );
}
