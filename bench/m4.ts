/**
 * M4 on 1M points in Node (shared/downsample/m4.ts, the code the core and the worker run) versus the naive
 * alternative of sending all points: encoding and decoding the 1M points as wire points ([t, v] pairs in JSON, the
 * way series:range answers travel over the browser host and IPC).
 */
import { m4 } from '../shared/downsample/m4';
import { latencySeries, median } from './data';
import { figure, sample, type Figure } from './figures';

const POINTS = 1_000_000;
const WIDTH = 1276; // the bench chart's plot width (1400 px chart, the app's axes)

function toWire(t: ArrayLike<number>, v: ArrayLike<number>): [number, number | null][] {
  const out = new Array<[number, number | null]>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = [t[i], Number.isFinite(v[i]) ? v[i] : null];
  return out;
}

export async function benchM4(log: (s: string) => void): Promise<Figure[]> {
  const s = latencySeries(POINTS, 101);
  const from = s.t[0];
  const to = s.t[POINTS - 1];
  let kept = 0;
  const m4Runs = await sample(
    21,
    () => {
      const start = performance.now();
      const r = m4(s.t, s.v, from, to, WIDTH);
      const ms = performance.now() - start;
      kept = r.t.length;
      return ms;
    },
    5,
  );
  // The whole path to the renderer with M4: downsample, then the same wire encoding of the (small) result.
  const pathRuns = await sample(11, () => {
    const start = performance.now();
    const r = m4(s.t, s.v, from, to, WIDTH);
    JSON.parse(JSON.stringify(toWire(r.t, r.v)));
    return performance.now() - start;
  });
  const sendAll = await sample(5, () => {
    const start = performance.now();
    JSON.parse(JSON.stringify(toWire(s.t, s.v)));
    return performance.now() - start;
  });
  log(`m4: 1M → ${kept} points, median ${median(m4Runs).toFixed(2)} ms; send-all ${median(sendAll).toFixed(0)} ms`);
  return [
    figure({
      id: 'm4.node.1m',
      name: 'M4 downsampling, 1M points (Node, shared m4)',
      unit: 'ms',
      values: m4Runs,
      baseline: { name: 'send all 1M points (JSON wire encode + decode)', values: sendAll },
      budget: { text: '≤ 20 ms', op: '<=', limit: 20, stat: 'median' },
      note: `1,000,000 points → ${kept} points for ${WIDTH} px. M4 + encoding its output: median ${median(pathRuns).toFixed(1)} ms.`,
    }),
  ];
}
