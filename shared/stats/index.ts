/**
 * Rampart's judge and its statistics, as pure functions (no I/O, no Node or DOM APIs), shared by the UI, the guard
 * and the CLI so all three give the same answer. The policy they implement is docs/statistics.md ("How Rampart judges a rollout").
 */
export * from './distributions';
export * from './special';
export * from './sort';
export * from './sample';
export * from './mann-whitney';
export * from './pairwise-select';
export * from './hodges-lehmann';
export * from './brunner-munzel';
export * from './latency-shift';
export * from './margin';
export * from './histogram';
export * from './quantile-compare';
export * from './proportions';
export * from './quantile-ci';
export * from './format';
export * from './metric-verdicts';
export * from './judge';
export * from './sequential';
export * from './guard';
export * from './guard-observations';
export * from './onset';
export * from './suspects';
export * from './bake-time';
export * from './bake-power';
export * from './bake-judge';
export * from './srm';
export * from './windows';
