/**
 * The verdict, explained: overall result in colour AND words, the score, the live guard and the sample-ratio
 * check, the two windows with their times, per metric the fixed-horizon and always-valid numbers, and where the
 * critical metric shifted with its suspects.
 */
import { BASELINE_KINDS, type BaselineKind, type WatchVerdict } from '../../../../shared/domain/verdict';
import type { Watch } from '../../../../shared/domain/metrics';
import { formatMaybe } from '../../lib/format';
import { formatDateTime, formatDuration } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useVerdict } from './use-verdict';
import { VerdictTable } from './VerdictTable';
import { GuardCard, OnsetSuspects, SrmCard } from './VerdictExtras';

const BASELINE_NAMES: Record<BaselineKind, string> = {
  pre: 'pre-rollout window',
  control: 'concurrent control',
  seasonal: 'seasonal (earlier)',
};

const OVERALL_TEXT: Record<WatchVerdict['verdict'], string> = {
  pass: 'PASS — the canary looks no worse than the baseline',
  marginal: 'MARGINAL — some metrics fail; look before ramping',
  fail: 'FAIL — the canary is worse than the baseline',
  inconclusive: 'INCONCLUSIVE — too little data to judge',
};

function Window({ title, w, kind }: { title: string; w: { from: number; to: number; label: string }; kind: 'baseline' | 'canary' }): React.JSX.Element {
  return (
    <div className={`verdict-window window-${kind}`} data-testid={`verdict-window-${kind}`}>
      <span className="window-title">{title}</span>
      <span className="num-text">
        {formatDateTime(w.from)} → {formatDateTime(w.to).slice(11)} <span className="muted">({formatDuration(w.to - w.from)})</span>
      </span>
      <span className="small muted">{w.label}</span>
    </div>
  );
}

export function VerdictPanel({ watch }: { watch: Watch }): React.JSX.Element {
  const baseline = useUi((s) => s.baseline);
  const setBaseline = useUi((s) => s.setBaseline);
  const q = useVerdict(watch.id);
  const v = q.data;
  return (
    <section className="panel verdict-panel" data-testid="verdict-panel" aria-label="Verdict">
      <div className="panel-header">
        <h2>Verdict</h2>
        <div className="segmented" role="group" aria-label="Baseline">
          {BASELINE_KINDS.map((k) => (
            <button key={k} type="button" className={baseline === k ? 'seg active' : 'seg'} aria-pressed={baseline === k} onClick={() => setBaseline(k)} data-testid={`baseline-${k}`}>
              {BASELINE_NAMES[k]}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {v && <span className="small muted">computed {formatDateTime(v.computedAt).slice(11)}</span>}
      </div>
      {q.error && <ErrorNotice error={q.error} title="Verdict" />}
      {!v && !q.error && <div className="empty">Computing verdict…</div>}
      {v && (
        <>
          <div className="verdict-summary">
            <div className={`verdict-chip verdict-${v.verdict}`} data-testid="verdict-overall" data-verdict={v.verdict}>
              {v.verdict.toUpperCase()}
            </div>
            <div className="verdict-words">
              <div>{OVERALL_TEXT[v.verdict]}</div>
              <div className="small muted">
                score <strong className="num">{formatMaybe(v.score, 3)}</strong> / 100 (pass ≥ {watch.thresholds.passScore}, marginal ≥{' '}
                {watch.thresholds.marginalScore}) · confidence {watch.thresholds.confidence} · allowed increase ×{watch.thresholds.allowedIncrease}
                {v.baseline.kind !== baseline ? ` · the core used the ${v.baseline.kind} baseline` : ''}
              </div>
              {v.reason && <div className="small">{v.reason}</div>}
            </div>
          </div>
          {v.extras && (
            <div className="extras-row">
              <GuardCard guard={v.extras.guard} />
              <SrmCard srm={v.extras.srm} />
            </div>
          )}
          <div className="verdict-windows">
            <Window title={`Baseline · ${BASELINE_NAMES[v.baseline.kind]}`} w={v.baseline} kind="baseline" />
            <Window title="Canary" w={v.canary} kind="canary" />
          </div>
          <VerdictTable metrics={v.metrics} extras={v.extras} confidence={watch.thresholds.confidence} />
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
        </>
      )}
    </section>
  );
}
