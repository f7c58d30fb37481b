/**
 * One core-side step of the 12 × 600k view, in its own process so its peak RSS is its own (bench/memory.ts):
 *   ingest <dir>    — writes 12 series of 600,000 1-second samples into the series cache (real store)
 *   view-m4 <dir>   — the view: read each series from the cache, M4 to the plot width, encode the answer
 *   view-raw <dir>  — the naive view: read each series and encode every point
 * Prints one JSON line: { maxRssBytes, ms, bytes }.
 */
import { openStore } from '../main/store';
import { seriesQueryKey } from '../main/store/series-cache';
import { m4 } from '../shared/downsample/m4';
import { latencySeries } from './data';

export const CORE_SERIES = 12;
export const CORE_POINTS = 600_000;
const WIDTH = 1276;
const key = (i: number): string => seriesQueryKey('bench-memory', `latency_p${i}`, 1000);
const LABELS = { service: 'checkout' };

function wire(t: ArrayLike<number>, v: ArrayLike<number>): [number, number | null][] {
  const out = new Array<[number, number | null]>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = [t[i], Number.isFinite(v[i]) ? v[i] : null];
  return out;
}

function main(): void {
  const [mode, dir] = process.argv.slice(2);
  if (!dir || !['ingest', 'view-m4', 'view-raw'].includes(mode))
    throw new Error('usage: memory-core-child ingest|view-m4|view-raw <data dir>');
  const start = performance.now();
  const store = openStore(dir);
  let bytes = 0;
  if (mode === 'ingest') {
    for (let i = 0; i < CORE_SERIES; i++) {
      const s = latencySeries(CORE_POINTS, 700 + i);
      store.series.write(key(i), [{ labels: LABELS, t: s.t, v: s.v }], s.t[0], s.t[CORE_POINTS - 1]);
    }
  } else {
    const first = latencySeries(1, 700);
    const from = first.t[0];
    const to = from + (CORE_POINTS - 1) * 1000;
    const series = [];
    for (let i = 0; i < CORE_SERIES; i++) {
      for (const s of store.series.read(key(i), from, to)) {
        const d = mode === 'view-m4' ? m4(s.t, s.v, from, to, WIDTH) : s;
        series.push({ metric: `latency_p${i}`, variant: null, labels: s.labels, points: wire(d.t, d.v) });
      }
    }
    bytes = JSON.stringify({ series }).length; // what the browser host would send
  }
  store.close();
  process.stdout.write(
    `${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, ms: performance.now() - start, bytes })}\n`,
  );
}

main();
