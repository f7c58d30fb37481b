/**
 * The live judge beside the fixed-horizon verdict: what the guard will do now (alert, or a running plan acting) and
 * why, the sample ratio check of the current step, and where the critical latency metric shifted with the flag changes suspected of it. State is in
 * colour AND words: an SRM alert says what it means, not just red.
 */
import type { VerdictExtras } from '../../../../shared/domain/verdict';
import {
  distanceFromOnset,
  formatShare,
  guardWords,
  onsetLabel,
  srmWords,
  type GuardLike,
  type Srm,
} from '../../lib/extras';
import { formatDateTime, localizeTimes } from '../../lib/time';

const SRM_TONE: Record<Srm['status'], string> = {
  ok: 'card-ok',
  warn: 'card-warn',
  alert: 'card-bad',
  nodata: 'card-grey',
  'not-applicable': 'card-grey',
};

/** The live guard of the ONE decision: what will happen (an alert, or a running plan acting), why, and its streak. */
export function GuardCard({ guard, planRunning }: { guard: GuardLike; planRunning: boolean }): React.JSX.Element {
  const w = guardWords(guard, { planRunning });
  return (
    <div
      className={`extra-card ${w.act ? 'card-bad' : 'card-ok'}`}
      data-testid="verdict-guard"
      data-act={w.act}
      role={w.act ? 'alert' : undefined}
    >
      <div className="card-title">Live guard</div>
      <div className="card-headline">{w.headline}</div>
      <div className="small">{localizeTimes(w.reason)}</div>
      <div className="small muted" data-testid="guard-streak">
        {w.streak} — acts on an always-valid interval beyond the margin, or on a fixed-horizon fail held {guard.sustain}{' '}
        new data steps
      </div>
      <div className="small muted" data-testid="guard-actor">
        {w.actor}
      </div>
    </div>
  );
}

export function SrmCard({ srm }: { srm: VerdictExtras['srm'] }): React.JSX.Element {
  if (!srm) {
    return (
      <div className="extra-card card-grey" data-testid="verdict-srm" data-status="none">
        <div className="card-title">Sample ratio</div>
        <div className="small muted">
          Not checked: the flag has no treatment/control split in the current step, or the watch counts no exposures.
        </div>
      </div>
    );
  }
  const w = srmWords(srm);
  const rows = srm.status === 'not-applicable' ? [] : w.rows;
  return (
    <div
      className={`extra-card ${SRM_TONE[w.status]}`}
      data-testid="verdict-srm"
      data-status={w.status}
      role={w.status === 'alert' ? 'alert' : undefined}
    >
      <div className="card-title">
        Sample ratio · current step{' '}
        <span className="muted">· {srm.status === 'not-applicable' ? 'no test' : `chi-square, ${w.pValue}`}</span>
      </div>
      <div className="card-headline">{w.headline}</div>
      <div className="small muted" data-testid="srm-method">
        {srm.message}
        {srm.method ? ` (${srm.method})` : ''}
      </div>
      {rows.length > 0 && (
        <table className="srm-table">
          <thead>
            <tr>
              <th>variant</th>
              <th className="num">exposures</th>
              <th className="num">observed</th>
              <th className="num">expected</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.variant}>
                <td>
                  <code>{r.variant}</code>
                </td>
                <td className="num">{r.count.toLocaleString('en-US')}</td>
                <td className="num">{formatShare(r.observedShare)}</td>
                <td className="num">{formatShare(r.expectedShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function OnsetSuspects({
  onset,
  suspects,
}: {
  onset: VerdictExtras['onset'];
  suspects: VerdictExtras['suspects'];
}): React.JSX.Element {
  return (
    <div className="onset-block" data-testid="verdict-onset" data-onset={onset ? onset.at : ''}>
      <div className="card-title">Onset &amp; suspects</div>
      {onset ? (
        <div className="onset-line">
          <span className="onset-chip">{onsetLabel(onset)}</span>
          <span className="num-text">at {formatDateTime(onset.at)}</span>
          <span className="small muted">{onset.method}</span>
        </div>
      ) : (
        <div className="small muted">No shift of the critical latency metric since the baseline window began.</div>
      )}
      {onset && suspects.length === 0 && (
        <div className="small muted">No flag change from any connection lies near the onset.</div>
      )}
      {onset && suspects.length > 0 && (
        <ol className="suspect-list" aria-label="Suspects, most suspicious first">
          {suspects.map((s) => (
            <li key={s.changeId} data-testid="verdict-suspect" data-change-id={s.changeId}>
              <strong>{s.label}</strong>
              <span className="small muted">
                {' '}
                at {formatDateTime(s.at).slice(11)} · {distanceFromOnset(s.at, onset.at)}
              </span>
              <div className="small">{localizeTimes(s.reason)}</div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
