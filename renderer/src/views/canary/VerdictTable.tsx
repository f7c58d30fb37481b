/**
 * Per metric, the decision's own rows: the verdict against the margin, the change vs the baseline with the interval
 * that was compared with the margin (and its level, stated exactly), the always-valid interval that stays valid
 * however often the captain looks, and the samples — compact enough for a 1024 px window. The row and the live guard
 * come from the same decision, so a row never says "pass" beside an always-valid cell that says "fails".
 */
import { localizeTimes } from '../../lib/time';
import { Fragment } from 'react';
import type { MetricVerdict, VerdictExtras } from '../../../../shared/domain/verdict';
import { formatRelative, formatShift, sequentialFor } from '../../lib/extras';
import { formatInterval, formatPValue } from '../../lib/format';

const COLUMNS = 5;

function AlwaysValid({ metric, extras }: { metric: string; extras: VerdictExtras | undefined }): React.JSX.Element {
  const s = sequentialFor(extras, metric);
  if (!s) return <span className="muted">—</span>;
  const state = s.fails ? 'beyond the margin' : s.passes ? 'within the margin' : 'not decided';
  return (
    <span
      className={s.fails ? 'av-cell av-fails' : 'av-cell'}
      data-testid="always-valid"
      data-fails={s.fails}
      title={s.level ?? 'always-valid (mixture SPRT) confidence sequence: valid at every look'}
    >
      <span className="nowrap">{s.relativeCi ? formatRelative(s.relativeCi) : formatInterval(s.ci)}</span>
      <span className="small muted">
        <span className="nowrap">{state}</span>
        {s.pValue !== null && <span className="nowrap">{` · p ${formatPValue(s.pValue)}`}</span>}
      </span>
    </span>
  );
}

export function VerdictTable({
  metrics,
  extras,
}: {
  metrics: MetricVerdict[];
  extras: VerdictExtras | undefined;
}): React.JSX.Element {
  return (
    <div className="table-scroll">
      <table className="table verdict-table">
        <thead>
          <tr>
            <th>metric</th>
            <th>verdict</th>
            <th
              className="num"
              title="Canary vs baseline, and the interval compared with the allowed change (the margin)"
            >
              change · interval vs margin
            </th>
            <th
              className="num"
              title="Always-valid (mixture SPRT) interval: valid at every look, however often you peek"
            >
              always-valid
            </th>
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
                <td className="num">
                  <span className="nowrap">{m.ratio !== null ? formatShift(m.ratio - 1) || '±0%' : '—'}</span>{' '}
                  <span className="nowrap" title={m.level}>
                    {formatRelative(m.relativeCi)}
                  </span>
                  <div className="small muted">
                    {m.margin !== null ? `allowed ${formatShift(m.margin)} · ${m.level}` : m.level}
                  </div>
                </td>
                <td className="num">
                  <AlwaysValid metric={m.name} extras={extras} />
                </td>
                {/* Two unbreakable halves: at 1024 px the pair wraps at the slash instead of widening the table. */}
                <td className="num">
                  <span className="nowrap">{m.baselineN.toLocaleString('en-US')} /</span>{' '}
                  <span className="nowrap">{m.canaryN.toLocaleString('en-US')}</span>
                </td>
              </tr>
              <tr className="reason-row">
                <td colSpan={COLUMNS} className="small reason">
                  <span className="method">{m.method}</span> — {localizeTimes(m.reason)}
                </td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
