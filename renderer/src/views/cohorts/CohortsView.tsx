/**
 * Cohorts — the product manager's review of a beta cohort: who the flag serves what, how many each variant actually
 * saw against the configured split (sample-ratio check of the current step), and whether the treatment's experience
 * is worse than the control's in the same window. It reads the watch's ONE decision (the same numbers as the Canary
 * watch); only when the decision rests on another baseline does it compare the arms separately — and says so.
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { isSelected, type FlagSelection } from '../../lib/filters';
import { useUi } from '../../state/ui-store';
import { CohortPicker } from './CohortPicker';
import { WhoPanel } from './WhoPanel';
import { ExposurePanel } from './ExposurePanel';
import { ExperiencePanel } from './ExperiencePanel';
import { useDecision } from '../canary/use-decision';
import './cohorts.css';

export function CohortsView(): React.JSX.Element {
  const remembered = useUi((s) => s.selection);
  const flags = useQuery('flags:list', {}, { refetchOn: ['flags:changed'] });
  const rows = flags.data;
  // Starts on the flag open in the Canary watch; choosing here does not move the Canary watch.
  const [selection, setSelection] = useState<FlagSelection | null>(remembered);
  useEffect(() => {
    if (!rows || rows.length === 0) return;
    if (selection && rows.some((r) => isSelected(r, selection))) return;
    setSelection({ connectionId: rows[0].connectionId, flagKey: rows[0].flagKey, env: rows[0].env });
  }, [rows, selection]);

  const row = rows?.find((r) => isSelected(r, selection)) ?? null;
  const ids = row ? { connectionId: row.connectionId, flagKey: row.flagKey } : null;
  const flag = useQuery('flags:get', ids, { refetchOn: ['flags:changed'] });
  const watchQ = useQuery('watches:forFlag', ids && row ? { ...ids, env: row.env } : null);
  const watch = watchQ.data?.saved && watchQ.data.watch.id !== '' ? watchQ.data.watch : null;
  const decisionQ = useDecision(watch?.id ?? null);
  const decision = decisionQ.data;
  const ownIsControl = decision?.baseline === 'control';
  const controlQ = useQuery(
    'verdict:get',
    watch && decision && !ownIsControl ? { watchId: watch.id, baseline: 'control' } : null,
    {
      refetchOn: ['series:tick', 'flags:changed'],
      keepPreviousIn: watch?.id,
    },
  );
  const verdict = ownIsControl
    ? { data: decision?.verdict, error: decisionQ.error }
    : { data: controlQ.data, error: decision ? controlQ.error : decisionQ.error };
  const why =
    decision && !ownIsControl
      ? `the decision (${decision.action}) uses the ${decision.baseline} baseline${decision.baselineReason ? `: ${decision.baselineReason}` : ''}; this compares the arms in the same window for the cohort review`
      : null;
  const env = row ? flag.data?.flag.envs[row.env] : undefined;
  const treatment = env?.treatment;
  const control = env?.control;
  const names = useMemo(() => ({ treatment, control }), [treatment, control]);

  const loaded =
    row !== null && env !== undefined && watchQ.data !== undefined && (watch === null || verdict.data !== undefined);
  const state = flags.error || flag.error || watchQ.error || verdict.error ? 'error' : loaded ? 'loaded' : 'loading';

  return (
    <div className="cohorts" data-testid="cohorts-view" data-state={state}>
      <div className="panel cohorts-head">
        <h2>Cohorts</h2>
        {rows && <CohortPicker rows={rows} selection={selection} onSelect={setSelection} />}
        {flag.data && <span className="muted">{flag.data.flag.name}</span>}
      </div>
      {flags.error && <ErrorNotice error={flags.error} title="Flag list" />}
      {flag.error && <ErrorNotice error={flag.error} title="Flag state" />}
      {watchQ.error && <ErrorNotice error={watchQ.error} title="Watch" />}
      {verdict.error && <ErrorNotice error={verdict.error} title="Treatment vs control" />}
      {rows && rows.length === 0 && <div className="empty big">No flags yet — add a flag store under Connections.</div>}
      {row && env && (
        <div className="cohorts-grid">
          <WhoPanel env={env} description={flag.data?.flag.description} stale={flag.data?.stale ?? null} />
          <ExposurePanel
            srm={verdict.data?.extras?.srm ?? null}
            names={names}
            hasWatch={watch !== null}
            loading={watch !== null && !verdict.data}
          />
        </div>
      )}
      {row && env && watchQ.data && !watch && (
        <div className="empty" data-testid="cohorts-no-watch">
          No metrics watch for this flag yet — set one up in the Canary watch to compare the cohorts.
        </div>
      )}
      {watch && verdict.data && (
        <ExperiencePanel watch={watch} verdict={verdict.data} names={names} decision={decision ?? null} why={why} />
      )}
      {!loaded && !flags.error && <div className="empty">Loading…</div>}
    </div>
  );
}
