/** The watch's metric set, editable: name, kind, unit, critical and the query template of each metric. */
import { METRIC_KINDS, type MetricSpec } from '../../../../shared/domain/metrics';
import type { FieldErrors } from '../connections/field-errors';
import { NEW_METRIC } from './watch-form';

const UNITS: MetricSpec['unit'][] = ['rps', 'ratio', 'ms'];
const UNIT_OF_KIND: Record<MetricSpec['kind'], MetricSpec['unit']> = { rate: 'rps', errors: 'ratio', latency: 'ms' };

export function MetricRows({
  metrics,
  onChange,
  problems,
}: {
  metrics: MetricSpec[];
  onChange: (m: MetricSpec[]) => void;
  problems: FieldErrors;
}): React.JSX.Element {
  const set = (i: number, patch: Partial<MetricSpec>): void =>
    onChange(metrics.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const err = (i: number, f: string) => problems[`metrics.${i}.${f}`];
  return (
    <div className="metric-rows" data-testid="watch-metrics">
      <table className="table">
        <thead>
          <tr>
            <th>metric</th>
            <th>kind</th>
            <th>unit</th>
            <th title="a failing critical metric fails the verdict">critical</th>
            <th>
              query template ({'{{selector}}'}, {'{{window}}'}, {'{{#byVariant}}…{{/byVariant}}'})
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {metrics.map((m, i) => (
            <tr key={i} data-testid="watch-metric-row">
              <td>
                <input
                  type="text"
                  value={m.name}
                  aria-label={`metric ${i + 1} name`}
                  spellCheck={false}
                  onChange={(e) => set(i, { name: e.target.value })}
                  className="narrow-input"
                />
                {err(i, 'name') && <span className="field-error">{err(i, 'name')}</span>}
              </td>
              <td>
                <select
                  value={m.kind}
                  aria-label={`metric ${i + 1} kind`}
                  onChange={(e) =>
                    set(i, {
                      kind: e.target.value as MetricSpec['kind'],
                      unit: UNIT_OF_KIND[e.target.value as MetricSpec['kind']],
                    })
                  }
                >
                  {METRIC_KINDS.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  value={m.unit}
                  aria-label={`metric ${i + 1} unit`}
                  onChange={(e) => set(i, { unit: e.target.value as MetricSpec['unit'] })}
                >
                  {UNITS.map((u) => (
                    <option key={u}>{u}</option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={m.critical}
                  aria-label={`metric ${i + 1} critical`}
                  onChange={(e) => set(i, { critical: e.target.checked })}
                />
              </td>
              <td className="query-cell">
                <textarea
                  value={m.query}
                  rows={2}
                  spellCheck={false}
                  aria-label={`metric ${i + 1} query`}
                  onChange={(e) => set(i, { query: e.target.value })}
                  data-testid="watch-metric-query"
                />
                {err(i, 'query') && <span className="field-error">{err(i, 'query')}</span>}
              </td>
              <td>
                <button
                  type="button"
                  className="button subtle danger-text"
                  disabled={metrics.length <= 1}
                  title="Remove this metric"
                  onClick={() => onChange(metrics.filter((_, j) => j !== i))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problems.metrics && <span className="field-error">{problems.metrics}</span>}
      <button type="button" className="button subtle" onClick={() => onChange([...metrics, { ...NEW_METRIC }])}>
        + metric
      </button>
    </div>
  );
}
