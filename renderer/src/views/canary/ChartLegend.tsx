/** Legend of one chart: line style (solid treatment, dashed control) and name per series. */
import type { PlotSeries } from '../../lib/series';

export function ChartLegend({ series }: { series: PlotSeries[] }): React.JSX.Element {
  return (
    <ul className="legend">
      {series.map((s) => (
        <li key={s.key}>
          <svg width="20" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="20" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}
