/** Which flag in which environment: one option per connection × flag × environment, fed by `flags:list`. */
import type { FlagRow } from '../../../../shared/contract';
import { isSelected, type FlagSelection } from '../../lib/filters';

const SEP = '\u0000';

function optionValue(r: Pick<FlagRow, 'connectionId' | 'flagKey' | 'env'>): string {
  return [r.connectionId, r.flagKey, r.env].join(SEP);
}

export function CohortPicker({
  rows,
  selection,
  onSelect,
}: {
  rows: readonly FlagRow[];
  selection: FlagSelection | null;
  onSelect: (s: FlagSelection) => void;
}): React.JSX.Element {
  const current = rows.find((r) => isSelected(r, selection));
  return (
    <label className="cohort-picker">
      <span className="muted small">flag / environment</span>
      <select
        data-testid="cohort-flag"
        aria-label="Flag and environment"
        value={current ? optionValue(current) : ''}
        onChange={(e) => {
          const r = rows.find((x) => optionValue(x) === e.target.value);
          if (r) onSelect({ connectionId: r.connectionId, flagKey: r.flagKey, env: r.env });
        }}
      >
        {!current && <option value="">choose a flag…</option>}
        {rows.map((r) => (
          <option key={optionValue(r)} value={optionValue(r)} data-flag-key={r.flagKey} data-env={r.env}>
            {r.flagKey} / {r.env} — {r.connectionName}
          </option>
        ))}
      </select>
    </label>
  );
}
