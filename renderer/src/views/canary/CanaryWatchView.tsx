/**
 * Canary watch: pick a flag in an environment, then watch it — live charts with its changes drawn on them, the
 * verdict, and Ramp / Rollback.
 */
import { useEffect } from 'react';
import { useQuery } from '../../data/use-query';
import { useUi } from '../../state/ui-store';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FlagList } from './FlagList';
import { isSelected } from '../../lib/filters';
import { FlagWorkspace } from './FlagWorkspace';

const NARROW_PX = 1100;

export function CanaryWatchView(): React.JSX.Element {
  const selection = useUi((s) => s.selection);
  const select = useUi((s) => s.select);
  const listOpen = useUi((s) => s.flagListOpen);
  const setListOpen = useUi((s) => s.setFlagListOpen);
  const liveNow = useUi((s) => s.liveNow);
  const flags = useQuery('flags:list', {}, { refetchOn: ['flags:changed'] });
  const rows = flags.data;

  // First run, or the remembered flag is gone: open the first flag so the view is never an empty page.
  useEffect(() => {
    if (!rows || rows.length === 0) return;
    if (selection && rows.some((r) => isSelected(r, selection))) return;
    const first = rows[0];
    select({ connectionId: first.connectionId, flagKey: first.flagKey, env: first.env });
  }, [rows, selection, select]);

  // Below 1100 px the list would squeeze the workspace (flag name, decision, tables): it folds away, and comes back
  // with "› Flags"; widening the window past it brings it back.
  useEffect(() => {
    let wide = window.innerWidth >= NARROW_PX;
    const onResize = (): void => {
      const nowWide = window.innerWidth >= NARROW_PX;
      if (nowWide !== wide) setListOpen(nowWide);
      wide = nowWide;
    };
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [setListOpen]);

  const row = rows?.find((r) => isSelected(r, selection)) ?? null;

  return (
    <div className={listOpen ? 'canary with-list' : 'canary'}>
      {listOpen && (
        <aside className="panel flag-panel" aria-label="Flag list">
          <div className="panel-header">
            <h2>Flags</h2>
            <span className="muted small">{rows ? `${rows.length}` : ''}</span>
            <span className="spacer" />
            <button type="button" className="icon-button" title="Hide the flag list" onClick={() => setListOpen(false)}>
              ‹
            </button>
          </div>
          {flags.error && <ErrorNotice error={flags.error} title="Flag list" />}
          {rows ? (
            <FlagList rows={rows} selection={selection} onSelect={select} now={liveNow} />
          ) : (
            <div className="empty">Loading flags…</div>
          )}
        </aside>
      )}
      <section className="canary-main">
        {!listOpen && (
          <button
            type="button"
            className="button subtle show-list"
            onClick={() => setListOpen(true)}
            data-testid="show-flag-list"
          >
            › Flags
          </button>
        )}
        {row ? (
          <FlagWorkspace row={row} />
        ) : (
          <div className="empty big">
            {rows && rows.length === 0 ? 'No flags yet — add a flag store under Connections.' : 'Loading…'}
          </div>
        )}
      </section>
    </div>
  );
}
