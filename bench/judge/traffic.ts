/**
 * One step of traffic for one arm: requests split by exposure, latencies as histogram bucket counts, errors.
 * Poisson splitting makes this exact without drawing requests: if an arm receives Poisson(λ) requests and each
 * falls in bucket k with probability p_k, the bucket counts are independent Poisson(λ·p_k) and the arm's request
 * count is their sum. The per-minute p99 is what a Prometheus query of that minute answers: histogram_quantile of
 * the step's buckets (null when the arm had no request — a provider's NaN).
 */
import { histogramQuantile, mergeHistogram } from '../../shared/stats/histogram';
import { armCdf, BUCKETS, bucketShares, type LatencyModel, type Regression } from './latency-model';
import { binomial, type Random } from './model';

export interface TrafficModel {
  /** Requests per 1-minute step over both arms. */
  requestsPerStep: number;
  /** Error probability of a control request. */
  errorRate: number;
  /** Log-sd of the load factor shared by both arms (AR(1), ρ = 0.9). */
  loadSigma: number;
}

export const DEFAULT_TRAFFIC: TrafficModel = { requestsPerStep: 3000, errorRate: 0.01, loadSigma: 0.05 };

export interface ArmTraffic {
  requests: number;
  errors: number;
  buckets: Float64Array;
  /** histogram_quantile(0.99) of this step alone; null without requests. */
  p99: number | null;
}

export function simulateArmTraffic(
  random: Random,
  traffic: TrafficModel,
  model: LatencyModel,
  share: number,
  load: number,
  regression: Regression,
  errorRate: number,
): ArmTraffic {
  const shares = bucketShares(armCdf(model, load, regression));
  const lambda = traffic.requestsPerStep * share;
  const buckets = new Float64Array(shares.length);
  let requests = 0;
  for (let k = 0; k < shares.length; k++) {
    const mean = lambda * shares[k];
    const count = mean > 0 ? random.poisson(mean) : 0;
    buckets[k] = count;
    requests += count;
  }
  const errors = binomial(random, requests, Math.min(1, errorRate));
  if (requests === 0) return { requests, errors, buckets, p99: null };
  const h = mergeHistogram(BUCKETS, buckets);
  const p99 = h ? histogramQuantile(h, 0.99).value : null;
  return { requests, errors, buckets, p99 };
}
