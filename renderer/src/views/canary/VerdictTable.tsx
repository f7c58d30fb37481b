/**
 * Per metric: the fixed-horizon test (p-value, estimate, interval, ratio, samples) and, beside its interval, the
 * always-valid (mSPRT) interval that stays valid however often the captain looks — numbers, not just colours.
 */
import { Fragment } from 'react';
import type { MetricVerdict, VerdictExtras } from '../../../../shared/domain/verdict';
import { sequentialFor } from '../../lib/extras';
import { formatInterval, formatMaybe, formatPValue, formatRatio } from '../../lib/format';

const DIRECTION_TEXT: Record<MetricVerdict['direction'], string> = { higher: '▲ higher', lower: '▼ lower', same: '= same' };
const COLUMNS = 9;

function AlwaysValid({ metric, extras }: { metric: string; extras: VerdictExtras | undefined }): React.JSX.Element {
  const s = sequentialFor(extras, metric);
  if (!s) return <span className="muted">—</span>;
  return (
    <span
      className={s.fails ? 'av-cell av-fails' : 'av-cell'}
      data-testid="always-valid"
      data-fails={s.fails}
      title={s.fails ? 'The always-valid interval excludes 0 on the bad side: a regression however often you look' : 'The always-valid interval does not exclude 0 on the bad side'}
    >
      <span className="nowrap">{formatInterval(s.ci)}</span>
      <span className="small muted nowrap">
        p {formatPValue(s.pValue)}
        {s.fails && <strong className="av-flag"> · fails</strong>}
      </span>
    </span>
  );
}

export function VerdictTable({ metrics, extras, confidence }: { metrics: MetricVerdict[]; extras: VerdictExtras | undefined; confidence: number }): React.JSX.Element {
  return (
    <div className="table-scroll">
      <table className="table verdict-table">
        <thead>
          <tr>
            <th>metric</th>
            <th>verdict</th>
            <th>direction</th>
            <th className="num">p-value</th>
            <th className="num">estimate</th>
            <th className="num" title={`Fixed-horizon interval at confidence ${confidence}: valid for one look`}>
              fixed-horizon CI
            </th>
            <th className="num" title="Always-valid (mixture SPRT) 95% confidence sequence: valid at every look, however often you peek">
              always-valid CI
            </th>
            <th className="num">ratio</th>
            <th className="num" title="samples: baseline / canary">
              n base / canary
            </th>
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <Fragment key={m.name}>
              <tr className="metric-row" data-testid="verdict-metric" data-metric={m.name} data-verdict={m.verdict}>
                <td>
                  {m.name}
                  {m.critical && (
                    <span className="critical-chip" title="a failing critical metric fails the verdict">
                      critical
                    </span>
                  )}
                  <div className="small muted">{m.kind}</div>
                </td>
                <td>
                  <span className={`metric-verdict verdict-${m.verdict}`}>{m.verdict}</span>
                </td>
                <td>{DIRECTION_TEXT[m.direction]}</td>
                <td className="num nowrap">{formatPValue(m.pValue)}</td>
                <td className="num">{formatMaybe(m.estimate, 4)}</td>
                <td className="num nowrap">{formatInterval(m.ci)}</td>
                <td className="num">
                  <AlwaysValid metric={m.name} extras={extras} />
                </td>
                <td className="num">{formatRatio(m.ratio)}</td>
                <td className="num nowrap">
                  {m.baselineN} / {m.canaryN}
                </td>
              </tr>
              <tr className="reason-row">
                <td colSpan={COLUMNS} className="small reason">
                  <span className="method">{m.method}</span> — {m.reason}
                </td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
