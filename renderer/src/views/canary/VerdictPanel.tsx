/**
 * The verdict, explained: overall result in colour AND words, the score, the two windows with their times, and
 * per metric the test, p-value, estimate, interval, ratio and sample sizes — numbers, not just colours.
 */
import { Fragment } from 'react';
import { BASELINE_KINDS, type BaselineKind, type MetricVerdict, type WatchVerdict } from '../../../../shared/domain/verdict';
import type { Watch } from '../../../../shared/domain/metrics';
import { useQuery } from '../../data/use-query';
import { formatExtra, formatInterval, formatMaybe, formatPValue, formatRatio } from '../../lib/format';
import { formatDateTime, formatDuration } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { ErrorNotice } from '../../components/ErrorNotice';

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

const DIRECTION_TEXT: Record<MetricVerdict['direction'], string> = { higher: '▲ higher', lower: '▼ lower', same: '= same' };

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
  const q = useQuery('verdict:get', { watchId: watch.id, baseline }, { refetchOn: ['series:tick', 'flags:changed'], keepPreviousIn: watch.id });
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
          <div className="verdict-windows">
            <Window title={`Baseline · ${BASELINE_NAMES[v.baseline.kind]}`} w={v.baseline} kind="baseline" />
            <Window title="Canary" w={v.canary} kind="canary" />
          </div>
          <div className="table-scroll">
            <table className="table verdict-table">
              <thead>
                <tr>
                  <th>metric</th>
                  <th>verdict</th>
                  <th>direction</th>
                  <th className="num">p-value</th>
                  <th className="num">estimate</th>
                  <th className="num">CI</th>
                  <th className="num">ratio</th>
                  <th className="num">n base</th>
                  <th className="num">n canary</th>
                </tr>
              </thead>
              <tbody>
                {v.metrics.map((m) => (
                  <Fragment key={m.name}>
                  <tr className="metric-row" data-testid="verdict-metric" data-metric={m.name} data-verdict={m.verdict}>
                    <td>
                      {m.name}
                      {m.critical && <span className="critical-chip" title="a failing critical metric fails the verdict">critical</span>}
                      <div className="small muted">{m.kind}</div>
                    </td>
                    <td>
                      <span className={`metric-verdict verdict-${m.verdict}`}>{m.verdict}</span>
                    </td>
                    <td>{DIRECTION_TEXT[m.direction]}</td>
                    <td className="num">{formatPValue(m.pValue)}</td>
                    <td className="num">{formatMaybe(m.estimate, 4)}</td>
                    <td className="num nowrap">{formatInterval(m.ci)}</td>
                    <td className="num">{formatRatio(m.ratio)}</td>
                    <td className="num">{m.baselineN}</td>
                    <td className="num">{m.canaryN}</td>
                  </tr>
                  <tr className="reason-row">
                    <td colSpan={9} className="small reason">
                      <span className="method">{m.method}</span> — {m.reason}
                    </td>
                  </tr>
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
          {v.extras && Object.keys(v.extras).length > 0 && (
            <dl className="extras" data-testid="verdict-extras">
              {Object.entries(v.extras).map(([k, val]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{formatExtra(val)}</dd>
                </div>
              ))}
            </dl>
          )}
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
