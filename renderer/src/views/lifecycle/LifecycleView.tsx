/**
 * Lifecycle (issue 14): every flag × environment of every store by stage — stale first, then released, off,
 * rolling out, created, archived — each sorted by how long it has been so, with owner or last actor and why a stale
 * flag is stale. A row opens its code references, its version history (restore) and promote.
 */
import { useEffect, useRef, useState } from 'react';
import type { LifecycleRow } from '../../../../shared/domain/lifecycle';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CodeRefsPanel } from './CodeRefsPanel';
import { PromotePanel } from './PromotePanel';
import { SettingsDialog } from './SettingsDialog';
import { StageBadge } from './StageBadge';
import { VersionHistory } from './VersionHistory';
import { ageText, groupByStage, rowKey, STAGE_LABELS, stageCounts, stateText } from './lifecycle-model';
import './lifecycle.css';

type Tab = 'refs' | 'history' | 'promote';
const TABS: { id: Tab; label: string }[] = [
  { id: 'refs', label: 'Code references' },
  { id: 'history', label: 'History & restore' },
  { id: 'promote', label: 'Promote' },
];

function Detail({
  row,
  rows,
  onSettings,
}: {
  row: LifecycleRow;
  rows: readonly LifecycleRow[];
  onSettings: () => void;
}): React.JSX.Element {
  const [tab, setTab] = useState<Tab>(row.stage === 'stale' ? 'refs' : 'history');
  return (
    <div className="panel lifecycle-detail" data-testid="lifecycle-detail" data-flag-key={row.flagKey}>
      <div className="panel-header">
        <h2>
          <code>{row.flagKey}</code> <span className="env-chip">{row.env}</span>
        </h2>
        <StageBadge stage={row.stage} row={row} />
        <span className="muted small">{row.connectionName}</span>
      </div>
      {row.staleReason && <div className="notice notice-warn small stale-reason">{row.staleReason}</div>}
      <div className="segmented" role="tablist" aria-label="Flag lifecycle">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'seg active' : 'seg'}
            onClick={() => setTab(t.id)}
            data-testid={`lifecycle-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="lifecycle-tab">
        {tab === 'refs' && <CodeRefsPanel flagKey={row.flagKey} onSettings={onSettings} />}
        {tab === 'history' &&
          (row.state ? (
            <VersionHistory connectionId={row.connectionId} flagKey={row.flagKey} env={row.env} />
          ) : (
            <div className="empty">Archived: the store no longer serves it.</div>
          ))}
        {tab === 'promote' && <PromotePanel source={row} rows={rows} />}
      </div>
    </div>
  );
}

export function LifecycleView(): React.JSX.Element {
  const list = useQuery('lifecycle:list', {}, { refetchOn: ['flags:changed', 'lifecycle:stale', 'plans:updated'] });
  const settings = useQuery('lifecycle:settings', {});
  // Opening the view with an answer from before reads every store again (a connection added meanwhile pushes no event).
  const cachedOnMount = useRef(list.data !== undefined);
  const refetch = list.refetch;
  useEffect(() => {
    if (cachedOnMount.current) refetch();
  }, [refetch]);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const rows = list.data?.rows ?? [];
  const now = list.data?.generatedAt ?? Date.now();
  const current = rows.find((r) => rowKey(r) === selected) ?? rows.find((r) => r.stage === 'stale') ?? rows[0];
  const counts = stageCounts(rows);
  const days = settings.data?.staleDays;
  return (
    <div className="lifecycle-view" data-testid="lifecycle-view">
      <div className="lifecycle-toolbar">
        <h1>Lifecycle</h1>
        <span className="small" data-testid="stage-counts">
          {Object.entries(counts).map(([stage, n]) => (
            <span key={stage} className="count-chip">
              {n} {STAGE_LABELS[stage as keyof typeof STAGE_LABELS].toLowerCase()}
            </span>
          ))}
        </span>
        <span className="muted small">
          stale after {days?.default ?? 30} days unchanged
          {days && Object.keys(days.byConnection).length
            ? ` (${Object.keys(days.byConnection).length} connection(s) differ)`
            : ''}
        </span>
        <span style={{ flex: 1 }} />
        <button
          type="button"
          className="button subtle"
          onClick={() => setEditing(true)}
          disabled={!settings.data}
          data-testid="lifecycle-settings-open"
        >
          Settings
        </button>
      </div>
      {list.error && <ErrorNotice error={list.error} title="Lifecycle" />}
      <div className="lifecycle-body">
        <div className="panel lifecycle-list table-scroll">
          {!list.data && !list.error && <div className="empty">Reading every store and its history…</div>}
          {rows.length > 0 && (
            <table className="table lifecycle-table">
              <thead>
                <tr>
                  <th>flag</th>
                  <th>env</th>
                  <th>state</th>
                  <th
                    className="num"
                    title="How long it has been in this stage (≥: at least, from when Rampart first saw it)"
                  >
                    for
                  </th>
                  <th>owner · last</th>
                  <th>why stale</th>
                </tr>
              </thead>
              {groupByStage(rows).map((g) => (
                <tbody key={g.stage} data-testid={`stage-${g.stage}`}>
                  <tr className="stage-group">
                    <th colSpan={6}>
                      <StageBadge stage={g.stage} /> <span className="muted small">{g.rows.length}</span>
                    </th>
                  </tr>
                  {g.rows.map((r) => (
                    <tr
                      key={rowKey(r)}
                      className={current && rowKey(current) === rowKey(r) ? 'clickable selected' : 'clickable'}
                      onClick={() => setSelected(rowKey(r))}
                      data-testid="lifecycle-row"
                      data-flag-key={r.flagKey}
                      data-stage={r.stage}
                    >
                      <td className="nowrap">
                        <code>{r.flagKey}</code>
                        <div className="muted small">{r.connectionName}</div>
                      </td>
                      <td>
                        <span className="env-chip">{r.env === '*' ? 'all' : r.env}</span>
                      </td>
                      <td className="nowrap small">{stateText(r.state)}</td>
                      <td className="num nowrap" title={r.since ? `since ${new Date(r.since).toISOString()}` : ''}>
                        {ageText(r, now)}
                      </td>
                      <td className="small">
                        {[r.owner, r.lastActor && r.lastActor !== r.owner ? r.lastActor : null]
                          .filter(Boolean)
                          .join(' · ') || '—'}
                      </td>
                      <td className="small stale-why">{r.staleReason}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          )}
          {list.data && rows.length === 0 && (
            <div className="empty">No flags yet: add a flag store in Connections.</div>
          )}
        </div>
        {current && <Detail key={rowKey(current)} row={current} rows={rows} onSettings={() => setEditing(true)} />}
      </div>
      {editing && settings.data && <SettingsDialog settings={settings.data} onClose={() => setEditing(false)} />}
    </div>
  );
}
