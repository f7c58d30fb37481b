/** Legend of one chart: line style (solid treatment, dashed control) and name per series; click to show/hide. */
import type { SeriesStyle } from '../../lib/series';

export function ChartLegend({
  series,
  visible,
  onToggle,
}: {
  series: readonly SeriesStyle[];
  visible: (s: SeriesStyle) => boolean;
  onToggle: (s: SeriesStyle) => void;
}): React.JSX.Element {
  return (
    <ul className="legend">
      {series.map((s) => {
        const on = visible(s);
        return (
          <li key={s.key}>
            <button
              type="button"
              className={on ? 'legend-item' : 'legend-item off'}
              aria-pressed={on}
              title={on ? 'Hide this series' : 'Show this series'}
              onClick={() => onToggle(s)}
            >
              <svg width="20" height="8" aria-hidden="true">
                <line x1="0" y1="4" x2="20" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
              </svg>
              {s.name}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
