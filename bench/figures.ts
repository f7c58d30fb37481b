/**
 * What every benchmark produces: a figure (median, min, max over several runs) next to a naive baseline measured
 * in the same process, their ratio, and the docs/design.md budget it is judged against.
 */
import { median, percentile } from './data';

export type Unit = 'ms' | 'samples/s' | 'MB' | 'points' | 'pixels' | '%' | '/min' | 'KB/min';

export interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
  p95: number;
}

export interface Baseline extends Stats {
  name: string;
  /** The baseline did not finish within `capMs` in some run: its numbers are lower bounds ("> N s"). */
  capped: boolean;
  capMs?: number;
}

export interface Budget {
  /** As written in docs/design.md, e.g. "≤ 50 ms p95". */
  text: string;
  op: '<=' | '>=';
  limit: number;
  stat: 'median' | 'p95' | 'max';
}

export interface Figure extends Stats {
  id: string;
  name: string;
  unit: Unit;
  better: 'lower' | 'higher';
  baseline: Baseline | null;
  baselineMedian: number | null;
  /** How many times better than the baseline (> 1 = better); a lower bound when the baseline was capped. */
  ratio: number | null;
  budget: Budget | null;
  met: boolean | null;
  /** How it was measured, and for a missed budget: the gap and its cause. */
  note: string;
}

export function stats(values: number[]): Stats {
  if (values.length === 0) return { runs: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN, p95: Number.NaN };
  return {
    runs: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    p95: percentile(values, 0.95),
  };
}

export function figure(f: {
  id: string;
  name: string;
  unit: Unit;
  better?: 'lower' | 'higher';
  values: number[];
  baseline?: { name: string; values: number[]; capped?: boolean; capMs?: number } | null;
  budget?: Budget | null;
  note?: string;
}): Figure {
  const s = stats(f.values);
  const better = f.better ?? 'lower';
  const base: Baseline | null = f.baseline
    ? {
        name: f.baseline.name,
        ...stats(f.baseline.values),
        capped: f.baseline.capped === true,
        capMs: f.baseline.capMs,
      }
    : null;
  let ratio: number | null = null;
  if (base && Number.isFinite(base.median) && Number.isFinite(s.median) && s.median > 0 && base.median > 0) {
    ratio = better === 'lower' ? base.median / s.median : s.median / base.median;
  }
  const budget = f.budget ?? null;
  let met: boolean | null = null;
  if (budget) {
    const v = s[budget.stat];
    met = Number.isFinite(v) ? (budget.op === '<=' ? v <= budget.limit : v >= budget.limit) : false;
  }
  return {
    id: f.id,
    name: f.name,
    unit: f.unit,
    better,
    ...s,
    baseline: base,
    baselineMedian: base?.median ?? null,
    ratio,
    budget,
    met,
    note: f.note ?? '',
  };
}

/** Runs `fn` `warmup` times unrecorded, then `runs` times; fn returns the measured value. */
export async function sample(runs: number, fn: (i: number) => number | Promise<number>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn(i));
  return out;
}

/** Milliseconds of a synchronous or asynchronous call. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** A figure that could not be measured (a component missing, a crash): reported, never silently dropped. */
export function failedFigure(id: string, name: string, unit: Unit, budget: Budget | null, error: unknown): Figure {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return {
    ...figure({ id, name, unit, values: [], budget }),
    met: budget ? false : null,
    note: `NOT MEASURED: ${message}`,
  };
}
