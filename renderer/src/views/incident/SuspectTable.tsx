/**
 * The ranked suspects of an onset: score, when and how far from the onset, the metric's shift across the change,
 * whether the flag's own treatment arm moved while its control did not, and the core's reason. A row opens its flag in the Canary watch, zoomed so the change is on screen.
 */
import { distanceFromOnset, formatScore, formatShift } from '../../lib/extras';
import { flagKeyOf, type SuspectRow } from '../../lib/incident';
import { formatDateTime } from '../../lib/time';

export function SuspectTable({
  rows,
  colors,
  onOpen,
}: {
  rows: SuspectRow[];
  colors: Record<string, string>;
  onOpen: (row: SuspectRow) => void;
}): React.JSX.Element {
  return (
    <div className="table-scroll">
      <table className="table suspect-table" data-testid="suspect-table">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>change</th>
            <th
              className="num"
              title="proximity to the onset × (1 + |shift in σ|, capped at 10); changes after the onset count as 3× as far"
            >
              score
            </th>
            <th>when</th>
            <th className="num" title="mean of the metric in 10 points after the change vs 10 points before it">
              shift across it
            </th>
            <th title="How the flag's own treatment and control arms behaved around the change (its watch, split by variant)">
              its arms
            </th>
            <th>reason</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            // The whole row opens the flag; the button is its keyboard door (its click bubbles to the row).
            <tr
              key={r.changeId}
              className={r.change ? 'clickable' : undefined}
              data-testid="suspect-row"
              data-change-id={r.changeId}
              data-rank={r.rank}
              onClick={() => r.change && onOpen(r)}
            >
              <td className="num">
                <strong>{r.rank}</strong>
              </td>
              <td>
                <span
                  className="conn-dot"
                  style={{ background: r.change ? (colors[flagKeyOf(r.change)] ?? '#b0b7c3') : '#b0b7c3' }}
                />
                <strong>{r.label}</strong>
                {r.change && (
                  <div className="small muted">
                    {r.change.env} · {r.change.connectionId}
                    {r.change.actor ? ` · by ${r.change.actor}` : ''}
                  </div>
                )}
              </td>
              <td className="num">{formatScore(r.score)}</td>
              <td className="nowrap">
                {formatDateTime(r.at).slice(11)}
                <div className="small muted">{distanceFromOnset(r.at, r.at - r.offsetMs)}</div>
              </td>
              <td className="num nowrap">
                {formatShift(r.shift) || '—'}
                {r.shiftSigma !== null && (
                  <div className="small muted">{`${r.shiftSigma >= 0 ? '+' : '−'}${Math.abs(r.shiftSigma).toFixed(1)}σ`}</div>
                )}
              </td>
              <td className="small" data-testid="suspect-evidence" data-evidence={r.evidence?.verdict ?? 'none'}>
                {r.evidence ? (
                  <>
                    <span className={`evidence-chip evidence-${r.evidence.verdict}`}>{r.evidence.verdict}</span>
                    <div className="muted">{r.evidence.text}</div>
                  </>
                ) : (
                  <span className="muted">no per-variant data</span>
                )}
              </td>
              <td className="small">{r.reason}</td>
              <td>
                <button
                  type="button"
                  className="button subtle nowrap"
                  disabled={!r.change}
                  title={
                    r.change
                      ? 'Open this flag in the Canary watch, zoomed to the change'
                      : 'The change is not in the analysed list'
                  }
                  data-testid="suspect-open"
                >
                  Open in Canary watch
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
