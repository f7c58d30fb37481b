/**
 * Per metric, treatment vs control: control → treatment values where the verdict determines them (error rates,
 * quantiles), else the Hodges–Lehmann shift; the ratio; the verdict; the always-valid interval of the difference.
 */
import type { ResponseOf } from '../../../../shared/contract';
import type { Watch } from '../../../../shared/domain/metrics';
import type { MetricVerdict } from '../../../../shared/domain/verdict';
import { formatRelative, sequentialFor } from '../../lib/extras';
import { formatInterval, formatPValue, formatRatio, formatSig, formatValue, type Unit } from '../../lib/format';
import { armValues } from './cohort-model';

function unitOf(watch: Watch, m: MetricVerdict): Unit {
  return watch.metrics.find((s) => s.name === m.name)?.unit ?? (m.kind === 'errors' ? 'ratio' : 'ms');
}

function Values({ m, unit }: { m: MetricVerdict; unit: Unit }): React.JSX.Element {
  const arms = armValues(m);
  if (arms) {
    return (
      <span className="nowrap" data-testid="arm-values" data-control={arms.control} data-treatment={arms.treatment}>
        {formatValue(arms.control, unit)} → <strong>{formatValue(arms.treatment, unit)}</strong>
      </span>
    );
  }
  if (m.estimate === null) return <span className="muted">—</span>;
  // A latency estimate is a shift (Hodges–Lehmann), not two means: say so rather than invent the arms' values.
  const sign = m.estimate > 0 ? '+' : m.estimate < 0 ? '−' : '±';
  return (
    <span className="nowrap" title="Hodges–Lehmann shift: the median of treatment − control differences">
      shift {sign}
      {formatValue(Math.abs(m.estimate), unit)}
    </span>
  );
}

export function CohortMetricTable({
  watch,
  verdict,
}: {
  watch: Watch;
  verdict: ResponseOf<'verdict:get'>;
}): React.JSX.Element {
  return (
    <div className="table-scroll">
      <table className="table cohort-metric-table">
        <thead>
          <tr>
            <th>metric</th>
            <th className="num">control → treatment</th>
            <th className="num" title="treatment / control">
              ratio
            </th>
            <th>verdict</th>
            <th
              className="num"
              title="Always-valid (mixture SPRT) interval of treatment vs control, relative to the control: valid however often you look"
            >
              always-valid interval
            </th>
            <th className="num" title="samples: control / treatment">
              n control / treatment
            </th>
          </tr>
        </thead>
        <tbody>
          {verdict.metrics.map((m) => {
            const unit = unitOf(watch, m);
            const seq = sequentialFor(verdict.extras, m.name);
            return (
              <tr
                key={m.name}
                data-testid="cohort-metric"
                data-metric={m.name}
                data-verdict={m.verdict}
                data-ratio={m.ratio ?? ''}
                title={m.reason}
              >
                <td>
                  {m.name}
                  {m.critical && <span className="critical-chip">critical</span>}
                </td>
                <td className="num">
                  <Values m={m} unit={unit} />
                </td>
                <td className={m.ratio !== null && m.ratio > 1 && m.direction === 'higher' ? 'num worse' : 'num'}>
                  {formatRatio(m.ratio)}
                </td>
                <td>
                  <span className={`metric-verdict verdict-${m.verdict}`}>{m.verdict}</span>
                </td>
                <td className="num nowrap">
                  {seq ? (
                    <span className={seq.fails ? 'av-fails' : undefined}>
                      {seq.relativeCi
                        ? `${formatRelative(seq.relativeCi)} vs control`
                        : unit === 'ratio' && seq.ci
                          ? `[${formatSig(seq.ci[0] * 100)}, ${formatSig(seq.ci[1] * 100)}] pp`
                          : `${formatInterval(seq.ci)}${unit === 'ms' && seq.ci ? ' ms' : ''}`}
                      <span className="small muted"> p {formatPValue(seq.pValue)}</span>
                      {seq.fails && <strong> · beyond the margin</strong>}
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="num nowrap">
                  {m.baselineN.toLocaleString('en-US')} / {m.canaryN.toLocaleString('en-US')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
