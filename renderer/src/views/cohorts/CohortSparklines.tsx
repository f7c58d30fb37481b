/**
 * Small per-variant charts of the tail latency and the error ratio over the last 24 h: treatment solid, control
 * dashed, in the Canary watch's colours. The window end is rounded to the minute so live ticks do not refetch a
 * day of data every two seconds.
 */
import { useMemo } from 'react';
import { Line, LineChart, Tooltip, YAxis } from 'recharts';
import type { Watch } from '../../../../shared/domain/metrics';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatValue } from '../../lib/format';
import type { VariantNames } from '../../lib/series';
import { HOUR } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { sparkMetrics, sparkline, type Sparkline } from './cohort-model';

const WIDTH = 320;
const HEIGHT = 72;
const MINUTE = 60_000;

function lastValue(s: Sparkline, key: string): number | null {
  for (let i = s.rows.length - 1; i >= 0; i--) {
    const v = s.rows[i][key];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function values(s: Sparkline): number[] {
  return s.series.flatMap((x) => x.points.flatMap((p) => (p.v === null ? [] : [p.v])));
}

function SparkChart({ spark }: { spark: Sparkline }): React.JSX.Element {
  const unit = spark.metric.unit;
  const points = spark.rows.length;
  return (
    <figure
      className="spark"
      data-testid="cohort-spark"
      data-metric={spark.metric.name}
      data-points={points}
      data-lines={spark.series.length}
    >
      <figcaption>
        <strong>{spark.metric.name}</strong> <span className="muted small">last 24 h</span>
        <ul className="spark-legend">
          {spark.series.map((s) => (
            <li key={s.key}>
              <svg width="18" height="8" aria-hidden="true">
                <line x1="0" y1="4" x2="18" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
              </svg>
              {s.role} <code>{s.variant}</code>{' '}
              <span className="num-text" title="latest value">
                {formatValue(lastValue(spark, s.key), unit)}
              </span>
            </li>
          ))}
        </ul>
      </figcaption>
      {points === 0 ? (
        <div className="spark-empty muted small">No data in the last 24 h</div>
      ) : (
        <LineChart width={WIDTH} height={HEIGHT} data={spark.rows} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
          <YAxis hide domain={['auto', 'auto']} />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(t) => new Date(Number(t)).toISOString().slice(11, 16) + 'Z'}
            formatter={(v, key) => [
              formatValue(typeof v === 'number' ? v : null, unit),
              spark.series.find((s) => s.key === key)?.role ?? String(key),
            ]}
            contentStyle={{ background: '#1d212a', border: '1px solid #3a404b', fontSize: 11 }}
          />
          {spark.series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              stroke={s.color}
              strokeDasharray={s.dash}
              strokeWidth={s.role === 'treatment' ? 1.8 : 1.4}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      )}
      <div className="spark-axis muted small">
        <span>24 h ago</span>
        {points > 0 && (
          <span>
            range {formatValue(Math.min(...values(spark)), unit)} – {formatValue(Math.max(...values(spark)), unit)}
          </span>
        )}
        <span>now</span>
      </div>
    </figure>
  );
}

export function CohortSparklines({ watch, names }: { watch: Watch; names: VariantNames }): React.JSX.Element {
  const liveNow = useUi((s) => s.liveNow);
  const to = Math.ceil(liveNow / MINUTE) * MINUTE;
  const metrics = useMemo(() => sparkMetrics(watch.metrics), [watch.metrics]);
  const q = useQuery(
    'series:range',
    { watchId: watch.id, from: to - 24 * HOUR, to, width: WIDTH, metrics: metrics.map((m) => m.name) },
    { keepPreviousIn: watch.id },
  );
  const sparks = useMemo(
    () => metrics.map((m) => sparkline(q.data?.series ?? [], watch.metrics, m, names)),
    [q.data, metrics, watch.metrics, names],
  );
  return (
    <div className="sparks">
      {q.error && <ErrorNotice error={q.error} title="Metrics" />}
      {q.data?.errors.map((e) => (
        <div key={e.metric} className="chart-error" role="alert">
          <strong>{e.metric}:</strong> {e.message}
        </div>
      ))}
      {sparks.map((s) => (
        <SparkChart key={s.metric.name} spark={s} />
      ))}
    </div>
  );
}
