/**
 * The verdict, explained — by default the ONE decision's own (what the buttons act on): the overall result in
 * colour AND words, the live guard and the sample-ratio check of the current step, the two windows with their real
 * times, per metric the interval against the margin and the always-valid one, the onset with its suspects, the
 * queries, and the decision record to export. Another baseline can be shown for comparison, labelled as such.
 */
import { BASELINE_KINDS, type BaselineKind, type WatchVerdict } from '../../../../shared/domain/verdict';
import type { WatchDecision } from '../../../../shared/domain/decision';
import type { Watch } from '../../../../shared/domain/metrics';
import { formatMaybe } from '../../lib/format';
import { formatClock, formatDuration, formatWindow, localizeTimes, zoneLabel } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useShownVerdict } from './use-verdict';
import { VerdictTable } from './VerdictTable';
import { GuardCard, OnsetSuspects, SrmCard } from './VerdictExtras';
import { DecisionRecordButtons } from './DecisionRecordButtons';

export const BASELINE_NAMES: Record<BaselineKind, string> = {
  pre: 'pre-rollout window',
  previous: 'previous step',
  control: 'concurrent control',
  seasonal: 'seasonal (earlier)',
};

const OVERALL_TEXT: Record<WatchVerdict['verdict'], string> = {
  pass: 'PASS — evidence that the canary is within the allowed change',
  marginal: 'MARGINAL — some metrics fail; look before ramping',
  fail: 'FAIL — the canary is worse than the baseline beyond the allowed change',
  inconclusive: 'INCONCLUSIVE — not decided yet, or too little data',
};

function Window({
  title,
  w,
  kind,
}: {
  title: string;
  w: { from: number; to: number; label: string };
  kind: 'baseline' | 'canary';
}): React.JSX.Element {
  return (
    <div
      className={`verdict-window window-${kind}`}
      data-testid={`verdict-window-${kind}`}
      data-from={w.from}
      data-to={w.to}
    >
      <span className="window-title">{title}</span>
      <span className="num-text">
        {formatWindow(w.from, w.to)} <span className="muted">({formatDuration(w.to - w.from)})</span>
      </span>
      <span className="small muted">{localizeTimes(w.label)}</span>
    </div>
  );
}

export function VerdictPanel({
  watch,
  decision,
  planRunning,
  stale,
}: {
  watch: Watch;
  decision: WatchDecision | null;
  planRunning: boolean;
  stale: boolean;
}): React.JSX.Element {
  const picked = useUi((s) => s.baseline);
  const setBaseline = useUi((s) => s.setBaseline);
  const shown = useShownVerdict(watch.id);
  const v = shown.verdict;
  const own = decision?.baseline ?? null;
  return (
    <section className="panel verdict-panel" data-testid="verdict-panel" aria-label="Verdict" data-stale={stale}>
      <div className="panel-header">
        <h2>Verdict</h2>
        <div className="segmented" role="group" aria-label="Baseline">
          {BASELINE_KINDS.map((k) => {
            const active = (picked ?? own) === k;
            return (
              <button
                key={k}
                type="button"
                className={active ? 'seg active' : 'seg'}
                aria-pressed={active}
                onClick={() => setBaseline(k === own ? null : k)}
                data-testid={`baseline-${k}`}
              >
                {BASELINE_NAMES[k]}
                {k === own ? ' · decision' : ''}
              </button>
            );
          })}
        </div>
        <span className="spacer" />
        {v && (
          <span className="small muted">
            computed {formatClock(v.computedAt)} · times {zoneLabel()}
          </span>
        )}
        {stale && (
          <span className="stale-chip" data-testid="verdict-stale">
            stale — not live
          </span>
        )}
      </div>
      {shown.comparison && (
        <div className="notice notice-info small" data-testid="baseline-comparison">
          Showing the {BASELINE_NAMES[v?.baseline.kind ?? 'pre']} for comparison. The decision — the buttons, the guard
          and plans — uses the {own ? BASELINE_NAMES[own] : 'decision’s baseline'}
          {decision?.baselineReason ? ` (${decision.baselineReason})` : ''}.{' '}
          <button type="button" className="link-button" onClick={() => setBaseline(null)}>
            Back to the decision
          </button>
        </div>
      )}
      {shown.error && <ErrorNotice error={shown.error} title="Verdict" />}
      {!v && !shown.error && <div className="empty">Computing verdict…</div>}
      {v && (
        <>
          <div className="verdict-summary">
            <div className={`verdict-chip verdict-${v.verdict}`} data-testid="verdict-overall" data-verdict={v.verdict}>
              {v.verdict.toUpperCase()}
            </div>
            <div className="verdict-words">
              <div>{OVERALL_TEXT[v.verdict]}</div>
              <div className="small muted">
                score <strong className="num">{formatMaybe(v.score, 3)}</strong> / 100 (pass ≥{' '}
                {watch.thresholds.passScore}, marginal ≥ {watch.thresholds.marginalScore}) · confidence{' '}
                {watch.thresholds.confidence} · allowed increase ×{watch.thresholds.allowedIncrease}
              </div>
              {v.reason && <div className="small">{localizeTimes(v.reason)}</div>}
            </div>
          </div>
          <div className="extras-row">
            {decision && <GuardCard guard={decision.guard} planRunning={planRunning} />}
            {v.extras && <SrmCard srm={v.extras.srm} />}
          </div>
          <div className="verdict-windows">
            <Window title={`Baseline · ${BASELINE_NAMES[v.baseline.kind]}`} w={v.baseline} kind="baseline" />
            <Window title="Canary" w={v.canary} kind="canary" />
          </div>
          <VerdictTable metrics={v.metrics} extras={v.extras} />
          {v.extras && <OnsetSuspects onset={v.extras.onset} suspects={v.extras.suspects} />}
          {Object.keys(v.queries).length > 0 && (
            <details className="queries">
              <summary className="small muted">queries</summary>
              {Object.entries(v.queries).map(([name, query]) => (
                <div key={name} className="small">
                  <span className="muted">{name}: </span>
                  <code className="query">{query}</code>
                </div>
              ))}
            </details>
          )}
          {decision && <DecisionRecordButtons watch={watch} decision={decision} />}
        </>
      )}
    </section>
  );
}
