/** Summaries of the judge simulation's runs: the rows of the operating-characteristics tables. */
import type { Regression } from './latency-model';
import type { Path, RunRecord, WatchName } from './scenarios';
import type { SrmRecord } from './srm-runs';

export interface AaRow {
  model: string;
  exposure: number;
  runs: number;
  looksPerStep: number;
  steps: number;
  /** Share of runs whose guard acted within the first L looks (L = 60, 300). */
  guard: Record<Path | WatchName, Record<string, number>>;
  /** Share of runs whose fixed-horizon verdict was fail at any step / at the last step. */
  fixedAny: Record<Path, number>;
  fixedFinal: Record<Path, number>;
  /** Share of runs whose fixed-horizon relative interval excluded 0 at the last step (nominal: 1 − confidence). */
  excludesZero: Record<Path, number>;
}

export interface PathDetection {
  detected: number;
  median: number | null;
  p90: number | null;
  /** Share of detections made by the always-valid interval (the rest: the sustained fixed-horizon fail). */
  alwaysValid: number;
  /** Median first step with a fixed-horizon fail. */
  firstFail: number | null;
}

export interface DetectRow {
  label: string;
  model: string;
  exposure: number;
  regression: Regression;
  errorAdded: number;
  runs: number;
  horizon: number;
  paths: Partial<Record<Path, PathDetection>>;
}

export interface BakeRow {
  label: string;
  model: string;
  exposure: number;
  path: Path;
  /** Median prediction over the pilots (null: > 24 h). */
  predicted: number | null;
  /** 10th–90th percentile of one pilot's prediction (null: > 24 h). */
  pilotRange: [number | null, number | null];
  simulated: number | null;
}

export interface SrmRow {
  exposure: number;
  runs: number;
  steps: number;
  alerts: Record<keyof SrmRecord, number>;
  warnings: Record<keyof SrmRecord, number>;
}

export const LOOK_CHECKPOINTS = [60, 300];

const share = (xs: boolean[]): number => (xs.length ? xs.filter(Boolean).length / xs.length : 0);

export function summarizeAa(
  model: string,
  exposure: number,
  runs: RunRecord[],
  looksPerStep: number,
  steps: number,
  paths: readonly Path[],
  watches: readonly WatchName[],
): AaRow {
  const guard = {} as AaRow['guard'];
  for (const g of [...paths, ...watches]) {
    guard[g] = Object.fromEntries(
      LOOK_CHECKPOINTS.map((l) => [
        String(l),
        share(runs.map((r) => r.actLook[g] !== null && (r.actLook[g] as number) <= l)),
      ]),
    );
  }
  const per = (f: (r: RunRecord, p: Path) => boolean): Record<Path, number> =>
    Object.fromEntries(paths.map((p) => [p, share(runs.map((r) => f(r, p)))])) as Record<Path, number>;
  return {
    model,
    exposure,
    runs: runs.length,
    looksPerStep,
    steps,
    guard,
    fixedAny: per((r, p) => r.fails[p].includes('1')),
    fixedFinal: per((r, p) => r.fails[p].endsWith('1')),
    excludesZero: per((r, p) => r.excludesZero[p] === true),
  };
}

/** Quantile of delays where undetected runs count as +∞; null when that quantile is undetected. */
export function delayQuantile(delays: Array<number | null>, q: number): number | null {
  const sorted = delays.map((d) => d ?? Infinity).sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return Number.isFinite(value) ? value : null;
}

export function summarizeDetection(
  base: Omit<DetectRow, 'paths' | 'runs'>,
  runs: RunRecord[],
  paths: readonly Path[],
): DetectRow {
  const out: DetectRow = { ...base, runs: runs.length, paths: {} };
  for (const p of paths) {
    const delays = runs.map((r) => r.actStep[p]);
    const detected = delays.filter((d) => d !== null).length;
    const firstFails = runs.map((r) => {
      const i = r.fails[p].indexOf('1');
      return i < 0 ? null : i + 1;
    });
    out.paths[p] = {
      detected: detected / runs.length,
      median: delayQuantile(delays, 0.5),
      p90: delayQuantile(delays, 0.9),
      alwaysValid: detected ? runs.filter((r) => r.trigger[p] === 'always-valid').length / detected : 0,
      firstFail: delayQuantile(firstFails, 0.5),
    };
  }
  return out;
}

export function summarizeSrm(exposure: number, steps: number, records: SrmRecord[]): SrmRow {
  const keys = ['units', 'requests', 'naive'] as const;
  const rate = (status: (s: string) => boolean) =>
    Object.fromEntries(keys.map((k) => [k, share(records.map((r) => status(r[k])))])) as Record<
      keyof SrmRecord,
      number
    >;
  return {
    exposure,
    runs: records.length,
    steps,
    alerts: rate((s) => s === 'alert'),
    warnings: rate((s) => s === 'alert' || s === 'warn'),
  };
}
