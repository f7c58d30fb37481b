/**
 * Times judge() on 20 latency metrics × 2 arms × 10k samples in a fresh process (so the first call is truly cold)
 * and prints {"coldMs", "warmMs": [...]} as JSON. Spawned by bench/judge-simulation.ts.
 */
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { judge } from '../../shared/stats/judge';
import { Random } from './model';

const random = new Random(99);
const sample = (scale: number): number[] =>
  Array.from({ length: 10_000 }, () => scale * Math.exp(0.3 * random.normal()));
const metrics: JudgeMetricInput[] = Array.from({ length: 20 }, (_, i) => ({
  name: `p99_ms_${i}`,
  kind: 'latency',
  baseline: sample(100),
  canary: sample(i === 3 ? 120 : 100),
}));
let t0 = performance.now();
judge({ metrics });
const coldMs = performance.now() - t0;
const warmMs: number[] = [];
for (let i = 0; i < 15; i++) {
  t0 = performance.now();
  judge({ metrics });
  warmMs.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ coldMs, warmMs })}\n`);
