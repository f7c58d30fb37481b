import type { Watch } from '../../shared/domain/metrics';
import type { FetchCounts, FetchValues } from './recovery';

type Spec = Watch['metrics'][number];
/** Raw per-step series through the cache (the core's series service): what the recovery check reads. */
export interface SeriesSource {
  fetchCached: (
    watch: Watch,
    query: string,
    from: number,
    to: number,
    stepMs: number,
  ) => Promise<{ series: { t: ArrayLike<number>; v: ArrayLike<number>; labels: Record<string, string> }[] }>;
}
type Render = (watch: Watch, spec: Spec, byVariant: boolean) => string;

/**
 * The recovery check's data (recovery.ts), through the series cache: per-step values of a metric, and error counts
 * rebuilt from the per-step error ratio × request rate × step — the same reconstruction the decision falls back to
 * (main/core/decision-inputs.ts), so the recovery judges errors as counts, by the judge's own errors rule.
 */
export function createRecoveryValues(series: SeriesSource, render: Render) {
  /** The series of one query an arm covers: its label values (`arm`), or the population's one series. */
  async function pick(watch: Watch, spec: Spec, from: number, to: number, stepMs: number, arm?: readonly string[]) {
    const got = await series.fetchCached(watch, render(watch, spec, arm !== undefined), from, to, stepMs);
    return arm === undefined
      ? got.series.slice(0, 1)
      : got.series.filter((s) => arm.includes(s.labels[watch.variantLabel] ?? ''));
  }

  const values: FetchValues = async (watch, spec, from, to, stepMs, arm) => {
    const sums = new Map<number, { sum: number; n: number }>();
    for (const s of await pick(watch, spec, from, to, stepMs, arm)) {
      for (let i = 0; i < s.t.length; i++) {
        if (s.t[i] < from || s.t[i] > to || !Number.isFinite(s.v[i])) continue;
        const cell = sums.get(s.t[i]) ?? { sum: 0, n: 0 };
        sums.set(s.t[i], { sum: cell.sum + s.v[i], n: cell.n + 1 });
      }
    }
    return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([t, c]) => ({ t, v: c.sum / c.n }));
  };

  const counts: FetchCounts = async (watch, spec, rate, from, to, stepMs, arm) => {
    const ratios = await pick(watch, spec, from, to, stepMs, arm);
    const rates = await pick(watch, rate, from, to, stepMs, arm);
    const stepSec = stepMs / 1000;
    const label = (s: { labels: Record<string, string> }) =>
      arm === undefined ? '' : (s.labels[watch.variantLabel] ?? '');
    const ratioAt = new Map<string, number>();
    for (const s of ratios)
      for (let i = 0; i < s.t.length; i++) if (Number.isFinite(s.v[i])) ratioAt.set(`${label(s)} ${s.t[i]}`, s.v[i]);
    let errors = 0;
    let total = 0;
    let newest: number | null = null;
    const steps = new Set<number>();
    for (const s of rates) {
      for (let i = 0; i < s.t.length; i++) {
        const t = s.t[i];
        if (t < from || t > to || !Number.isFinite(s.v[i])) continue;
        const n = Math.round(s.v[i] * stepSec);
        const ratio = ratioAt.get(`${label(s)} ${t}`);
        total += n;
        // A step with requests and no ratio (no error series at all) had no errors.
        if (ratio !== undefined) errors += Math.round(ratio * n);
        if (n > 0) steps.add(t);
        if (n > 0 && (newest === null || t > newest)) newest = t;
      }
    }
    return { errors: Math.min(errors, total), total, steps: steps.size, newest };
  };

  return { values, counts };
}
