/**
 * Rampart's judge and its statistics, as pure functions (no I/O, no Node or DOM APIs), shared by the UI, the guard
 * and the CLI so all three give the same answer. The policy they implement is the product doc "How Rampart judges a rollout".
 */
export * from './distributions';
export * from './special';
export * from './sort';
export * from './sample';
export * from './mann-whitney';
export * from './pairwise-select';
export * from './hodges-lehmann';
export * from './proportions';
export * from './quantile-ci';
export * from './format';
export * from './metric-verdicts';
export * from './judge';
export * from './sequential';
export * from './onset';
export * from './suspects';
export * from './bake-time';
export * from './srm';
export * from './windows';
