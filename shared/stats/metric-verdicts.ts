/**
 * One verdict per metric, against the margin (docs/statistics.md "Tests per metric kind — always against the
 * margin"). Each kind lives in its own file; this module keeps the names the rest of the code imports.
 *  - latency (per-step values): latency-verdict.ts — Hodges–Lehmann shift / baseline median, tie-aware
 *    Brunner–Munzel interval;
 *  - errors (counts): errors-verdict.ts — Newcombe difference and MOVER-R ratio intervals, relative AND absolute limit;
 *  - quantile (raw observations) and histogram (merged buckets): quantile-verdict.ts — order-statistic ratio interval.
 * Values that are null, NaN or ±Infinity are dropped (a count metric's missing step = 0 is the caller's business:
 * it arrives here already summed into `errors`/`total`).
 */
export {
  DEFAULT_ALLOWED_INCREASE,
  DEFAULT_CONFIDENCE,
  ERROR_ABSOLUTE_LIMIT,
  ERROR_RELATIVE_LIMIT,
  METHODS,
  nodataVerdict,
} from './verdict-common';
export { judgeLatency } from './latency-verdict';
export { judgeErrors } from './errors-verdict';
export { judgeHistogram, judgeQuantile } from './quantile-verdict';
