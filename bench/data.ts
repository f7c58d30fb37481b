/**
 * Deterministic benchmark data, the same in Node and in the bench page: latency-like series at 1-second steps —
 * a slow random walk, a daily cycle, noise, rare spikes (the tail-latency excursions M4 must keep) and rare gaps.
 * Pure code (no Node or DOM APIs).
 */
export const BENCH_T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
export const STEP_MS = 1000;

/** A small seeded PRNG (mulberry32): the same seed draws the same series everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RawSeries {
  t: Float64Array;
  v: Float64Array;
}

export function latencySeries(
  points: number,
  seed: number,
  opts: { t0?: number; stepMs?: number; gaps?: boolean } = {},
): RawSeries {
  const t0 = opts.t0 ?? BENCH_T0;
  const step = opts.stepMs ?? STEP_MS;
  const rnd = prng(seed);
  const t = new Float64Array(points);
  const v = new Float64Array(points);
  const base = 80 + 40 * rnd();
  let drift = 0;
  let gapLeft = 0;
  for (let i = 0; i < points; i++) {
    t[i] = t0 + i * step;
    drift += (rnd() - 0.5) * 0.4;
    drift *= 0.9995;
    const daily = 15 * Math.sin((2 * Math.PI * (t[i] % 86_400_000)) / 86_400_000);
    const noise = (rnd() + rnd() + rnd() - 1.5) * 6;
    const spike = rnd() < 0.0005 ? 150 + 250 * rnd() : 0;
    if (opts.gaps !== false && gapLeft === 0 && rnd() < 0.00002) gapLeft = 30 + Math.floor(rnd() * 120);
    v[i] = gapLeft > 0 ? Number.NaN : Math.max(1, base + drift + daily + noise + spike);
    if (gapLeft > 0) gapLeft--;
  }
  return { t, v };
}

/** Nearest-rank percentile of a sorted copy. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
