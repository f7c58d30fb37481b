import { USER_POOL_SIZE } from './assignment';
import { createRng, hashString, normalCdf } from './random';
import type { ArmStats } from './step';

/**
 * What the demo's instant queries sum over a window (simulated-query.ts): per-bucket latency counts, requests,
 * errors and distinct users per arm. Buckets are drawn per step from the arm's own lognormal (sequential
 * binomials), on a separate generator so the per-step series stay what they were.
 *
 * Bounds grow by 5 % from 10 ms to 10 s (+Inf last): finer than the OpenTelemetry default, so the judge's
 * quantile interval on merged buckets can resolve a 10 % margin (a View sets the boundaries in a real service).
 */
export const DEMO_BUCKET_BOUNDS_MS: readonly number[] = (() => {
  const out: number[] = [];
  for (let b = 10; b <= 10_000; b *= 1.05) out.push(Math.round(b * 100) / 100);
  return out;
})();

/** Per-bucket (non-cumulative) counts of one arm's requests in one step; the last entry is (last bound, +Inf). */
export function armBuckets(arm: ArmStats, seed: string): number[] {
  const counts = new Array<number>(DEMO_BUCKET_BOUNDS_MS.length + 1).fill(0);
  if (arm.requests === 0 || !Number.isFinite(arm.logMedian)) return counts;
  const rng = createRng(hashString(`${seed}|buckets`));
  let remaining = arm.requests;
  let below = 0;
  for (let i = 0; i < DEMO_BUCKET_BOUNDS_MS.length && remaining > 0; i++) {
    const cdf = normalCdf((Math.log(DEMO_BUCKET_BOUNDS_MS[i]) - arm.logMedian) / arm.sigma);
    const p = below >= 1 ? 1 : Math.min(1, Math.max(0, (cdf - below) / (1 - below)));
    const c = rng.binomial(remaining, p);
    counts[i] = c;
    remaining -= c;
    below = cdf;
  }
  counts[DEMO_BUCKET_BOUNDS_MS.length] += remaining;
  return counts;
}

/**
 * Distinct users behind `requests` requests of an arm whose users are `poolShare` of the synthetic pool: each
 * of those users is active with probability 1 − e^(−requests/users) (requests spread uniformly over them).
 */
export function distinctUsers(requests: number, poolShare: number, seed: string): number {
  const users = Math.round(USER_POOL_SIZE * poolShare);
  if (users <= 0 || requests <= 0) return 0;
  return createRng(hashString(`${seed}|users`)).binomial(users, 1 - Math.exp(-requests / users));
}
