/**
 * How many are exposed: observed exposure counts per variant and their share beside the configured share, with
 * the sample-ratio check in colour AND words. An alert says plainly that the comparison below cannot be trusted.
 */
import type { VerdictExtras } from '../../../../shared/domain/verdict';
import { formatShare, pEquals, srmWords } from '../../lib/extras';
import type { VariantNames } from '../../lib/series';
import { exposureRows } from './cohort-model';

type Srm = NonNullable<VerdictExtras['srm']>;
const TONE: Record<Srm['status'], string> = {
  ok: 'card-ok',
  warn: 'card-warn',
  alert: 'card-bad',
  nodata: 'card-grey',
  'not-applicable': 'card-grey',
};
const STATUS_WORD: Record<Srm['status'], string> = {
  ok: 'ok',
  warn: 'warning',
  alert: 'ALERT',
  nodata: 'no data',
  'not-applicable': 'not applicable',
};

function signedPoints(d: number | null): string {
  if (d === null || !Number.isFinite(d)) return '—';
  const text = Math.abs(d).toFixed(1);
  return text === '0.0' ? '±0.0 pp' : `${d > 0 ? '+' : '−'}${text} pp`;
}

export function ExposurePanel({
  srm,
  names,
  hasWatch,
  loading,
}: {
  srm: Srm | null;
  names: VariantNames;
  hasWatch: boolean;
  loading: boolean;
}): React.JSX.Element {
  if (!srm) {
    return (
      <section
        className="panel cohort-card"
        data-testid="cohort-exposure"
        data-srm="none"
        aria-label="How many are exposed"
      >
        <div className="card-title">How many are exposed</div>
        <div className="small muted">
          {loading
            ? 'Loading exposure counts…'
            : hasWatch
              ? 'Not checked: the flag has no treatment/control split with an exposure, or the watch has no rate metric.'
              : 'No metrics watch: exposure counts come from the watch’s request-rate metric.'}
        </div>
      </section>
    );
  }
  const words = srmWords(srm);
  const rows = exposureRows(srm, names);
  return (
    <section
      className={`panel cohort-card extra-card ${TONE[srm.status]}`}
      data-testid="cohort-exposure"
      data-srm={srm.status}
      aria-label="How many are exposed"
    >
      <div className="card-title">How many are exposed</div>
      <div className="srm-line" role={srm.status === 'alert' ? 'alert' : undefined}>
        <span className={`srm-badge srm-${srm.status}`} data-testid="srm-status" data-status={srm.status}>
          SRM {STATUS_WORD[srm.status]}
        </span>
        <span className="card-headline">{words.headline}</span>
      </div>
      <div className="small muted" data-testid="srm-p">
        sample-ratio check: chi-square goodness of fit, {pEquals(srm.pValue)} (warn below 0.01, alert below 0.001)
      </div>
      <table className="srm-table cohort-exposure-table">
        <thead>
          <tr>
            <th>variant</th>
            <th className="num">exposures</th>
            <th className="num">observed</th>
            <th className="num">configured</th>
            <th className="num">difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.variant}
              data-testid="exposure-row"
              data-variant={r.variant}
              data-role={r.role}
              data-count={r.count}
            >
              <td>
                <code className={`variant-chip ${r.role}`}>{r.variant}</code>{' '}
                <span className="small muted">{r.role}</span>
              </td>
              <td className="num">{r.count.toLocaleString('en-US')}</td>
              <td className="num">{formatShare(r.observedShare)}</td>
              <td className="num">{formatShare(r.expectedShare)}</td>
              <td className="num">{signedPoints(r.deltaPoints)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
