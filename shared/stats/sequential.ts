/**
 * Always-valid live test (mixture SPRT), as in docs/statistics.md, for a difference in means Δ = mean_t − mean_c:
 *
 *   V  = var_t/n_t + var_c/n_c
 *   τ  = z²(α/2) · (var_t + var_c) / (n_t + n_c)          (mixing variance of the normal prior on Δ)
 *   Λₙ = √(V/(V+τ)) · exp( Δ²·τ / (2V(V+τ)) )               (mixture likelihood ratio against Δ = 0)
 *   confidence sequence  Δ ± Z*·√V,  Z* = √( ((V+τ)/τ) · (−2 ln(α/2) − ln(V/(V+τ))) )
 *   always-valid p-value pₙ = min(pₙ₋₁, 1/Λₙ)
 *
 * τ is fixed at the first look that has data and kept in the state: the mixture must not be re-tuned to data
 * that arrive later, or Ville's inequality (P(sup Λ ≥ 1/a) ≤ a, which makes peeking safe) no longer applies.
 *
 * Note on the two α's: the interval excludes 0 exactly when 1/Λₙ ≤ α/2, so it is the stricter of the two
 * readings. Rampart acts on the interval (what the UI shows); pₙ ≤ α alone is reported but does not act.
 *
 * The API is stateful by value: pass the previous state (or null) and the arms' cumulative summaries; get a new
 * state back. Nothing is mutated.
 */
import { twoSidedZ } from './distributions';
import type { ArmStats } from './sample';

export type BadSide = 'higher' | 'lower';

export interface SequentialOptions {
  /** Error rate of the always-valid test; default 0.05. */
  alpha?: number;
  /** Which direction of treatment − control is a regression; default 'higher' (latency, errors). */
  badSide?: BadSide;
  /** Units per arm before the test starts; default 10. */
  minSamples?: number;
}

/**
 * The mixture SPRT treats the variances as known; with a handful of values the plug-in variances are so noisy
 * that a lucky small variance fakes an effect. In simulation (A/A, per-step values, 120 looks) starting at 2 per
 * arm gives a 14% false-positive rate, at 10 per arm 3.4% (the interval rule: 1.6%).
 */
export const SEQUENTIAL_MIN_SAMPLES = 10;

export interface SequentialState {
  alpha: number;
  /** Looks that had usable data. */
  looks: number;
  /** Mixing variance, fixed at the first usable look. */
  tau: number | null;
  /** Always-valid p-value (never increases). */
  pValue: number;
  /** Δ = mean_t − mean_c at the latest look. */
  estimate: number | null;
  /** Confidence sequence Δ ± Z*·√V at the latest look. */
  ci: [number, number] | null;
  lambda: number | null;
  /** 'higher' / 'lower' when the interval excludes 0. */
  direction: 'higher' | 'lower' | 'same';
}

function usableArm(a: ArmStats | undefined, minSamples: number): a is ArmStats {
  return (
    !!a && a.n >= Math.max(2, minSamples) && Number.isFinite(a.mean) && Number.isFinite(a.variance) && a.variance >= 0
  );
}

export function initialSequentialState(alpha = 0.05): SequentialState {
  return { alpha, looks: 0, tau: null, pValue: 1, estimate: null, ci: null, lambda: null, direction: 'same' };
}

export function sequentialUpdate(
  previous: SequentialState | null,
  observation: { treatment: ArmStats; control: ArmStats },
  options: SequentialOptions = {},
): SequentialState {
  const alpha =
    previous?.alpha ?? (options.alpha !== undefined && options.alpha > 0 && options.alpha < 1 ? options.alpha : 0.05);
  const state = previous ?? initialSequentialState(alpha);
  const { treatment: t, control: c } = observation;
  const minSamples = options.minSamples ?? SEQUENTIAL_MIN_SAMPLES;
  if (!usableArm(t, minSamples) || !usableArm(c, minSamples)) return { ...state };
  const v = t.variance / t.n + c.variance / c.n;
  const tau = state.tau ?? twoSidedZ(1 - alpha) ** 2 * ((t.variance + c.variance) / (t.n + c.n));
  if (!(v > 0) || !(tau > 0) || !Number.isFinite(v) || !Number.isFinite(tau)) return { ...state };
  const delta = t.mean - c.mean;
  const logLambda = 0.5 * Math.log(v / (v + tau)) + (delta * delta * tau) / (2 * v * (v + tau));
  const lambda = Math.exp(logLambda);
  // 1/Λ computed in log space so a huge Λ gives a tiny p rather than 1/Infinity trouble.
  const pValue = Math.min(state.pValue, 1, Math.exp(-logLambda));
  const zStar = Math.sqrt(((v + tau) / tau) * (-2 * Math.log(alpha / 2) - Math.log(v / (v + tau))));
  const half = zStar * Math.sqrt(v);
  const ci: [number, number] = [delta - half, delta + half];
  const direction = ci[0] > 0 ? 'higher' : ci[1] < 0 ? 'lower' : 'same';
  return {
    alpha,
    looks: state.looks + 1,
    tau,
    pValue,
    estimate: delta,
    ci,
    lambda: Number.isFinite(lambda) ? lambda : null,
    direction,
  };
}

export interface ErrorCounts {
  errors: number;
  total: number;
}

/**
 * Per-request summaries of two error counts for the sequential test. Both arms get the pooled variance
 * p̄(1 − p̄) — the variance under "no difference", as in the pooled two-proportion z test. Per-arm plug-in
 * variances fail at low exposure: a canary with 0 errors in its first few hundred requests (likely when the rate
 * is 1%) would claim a tiny variance and look "significantly better" (in simulation: 7% false positives at 1%
 * exposure with plug-in variances, 2% pooled).
 */
export function pooledProportionStats(
  treatment: ErrorCounts,
  control: ErrorCounts,
): { treatment: ArmStats; control: ArmStats } {
  const tn = Math.max(0, treatment.total);
  const cn = Math.max(0, control.total);
  const te = Math.min(tn, Math.max(0, treatment.errors));
  const ce = Math.min(cn, Math.max(0, control.errors));
  const pooled = tn + cn > 0 ? (te + ce) / (tn + cn) : 0;
  const variance = pooled * (1 - pooled);
  return {
    treatment: { n: tn, mean: tn > 0 ? te / tn : 0, variance },
    control: { n: cn, mean: cn > 0 ? ce / cn : 0, variance },
  };
}

/** sequentialUpdate for error rates, from cumulative error and request counts (pooled variance). */
export function sequentialUpdateCounts(
  previous: SequentialState | null,
  observation: { treatment: ErrorCounts; control: ErrorCounts },
  options: SequentialOptions = {},
): SequentialState {
  return sequentialUpdate(previous, pooledProportionStats(observation.treatment, observation.control), options);
}

/** Whether the always-valid interval says the treatment is worse than control. */
export function alwaysValidFail(state: SequentialState | null, badSide: BadSide = 'higher'): boolean {
  if (!state?.ci) return false;
  return badSide === 'higher' ? state.ci[0] > 0 : state.ci[1] < 0;
}

/** The level of sequentialUpdate's interval, built with −2·ln(α/2): "always-valid 97.5%" for α = 0.05. */
export function alwaysValidLevelOf(alpha: number): string {
  return `always-valid ${Number(((1 - alpha / 2) * 100).toFixed(2))}%`;
}

/**
 * @deprecated The live rule of issue 10 is guardStep (guard.ts): new data steps, the margin. Kept for callers that
 * have not moved yet.
 */
export interface LiveGuardState {
  sequential: SequentialState | null;
  /** Consecutive evaluations in which the fixed-horizon judge said fail. */
  failStreak: number;
}

export interface LiveGuardDecision {
  state: LiveGuardState;
  /** Whether an alert / automatic rollback may act now. */
  act: boolean;
  trigger: 'always-valid' | 'sustained-fixed-horizon' | null;
  reason: string;
}

/** Default number of consecutive fixed-horizon fails that may trigger action on their own. */
export const DEFAULT_SUSTAIN = 3;

/**
 * The live rule of docs/statistics.md: act only on the always-valid result, or on a fixed-horizon fail sustained for
 * k consecutive evaluations (default 3). A single fixed-horizon blip never acts.
 */
export function liveGuardUpdate(
  previous: LiveGuardState | null,
  input: { treatment: ArmStats; control: ArmStats; fixedHorizonFail: boolean },
  options: SequentialOptions & { sustain?: number } = {},
): LiveGuardDecision {
  const badSide = options.badSide ?? 'higher';
  const k = options.sustain !== undefined && options.sustain >= 1 ? Math.floor(options.sustain) : DEFAULT_SUSTAIN;
  const sequential = sequentialUpdate(previous?.sequential ?? null, input, options);
  const failStreak = input.fixedHorizonFail ? (previous?.failStreak ?? 0) + 1 : 0;
  const state: LiveGuardState = { sequential, failStreak };
  if (alwaysValidFail(sequential, badSide)) {
    // Built with −2·ln(α/2), the sequence holds with probability 1 − α/2: say 97.5 % for α = 0.05, not 95 %.
    return {
      state,
      act: true,
      trigger: 'always-valid',
      reason: `${alwaysValidLevelOf(sequential.alpha)} interval is entirely ${badSide} than control`,
    };
  }
  if (failStreak >= k) {
    return {
      state,
      act: true,
      trigger: 'sustained-fixed-horizon',
      reason: `fixed-horizon verdict has failed ${failStreak} evaluations in a row (threshold ${k})`,
    };
  }
  const reason =
    failStreak > 0
      ? `fixed-horizon fail ${failStreak} of ${k} needed; always-valid interval not conclusive`
      : 'no sustained or always-valid evidence of a regression';
  return { state, act: false, trigger: null, reason };
}

/** The mixture state of one always-valid interval, JSON-serializable (the core persists it per watch). */
export interface MixtureState {
  /** Mixing variance, fixed at the first usable look. */
  tau: number | null;
  /** Always-valid p-value against Δ = 0 (never increases). */
  pValue: number;
  /** Looks that had usable data. */
  looks: number;
}

export interface MixtureLook {
  state: MixtureState;
  /** Confidence sequence Δ ± Z*·√V at this look; null without usable data. */
  ci: [number, number] | null;
}

/**
 * One look of the mixture SPRT for any asymptotically normal estimate Δ̂ with variance V (a difference of means,
 * of rates, of log quantiles): the confidence sequence at level `confidence`, built with −2·ln(1 − confidence), so
 * P(some look excludes the true Δ) ≤ 1 − confidence — two-sided, at every look. τ = z²·V₁/2 at the first usable
 * look (z the two-sided normal quantile at `confidence`; for equal arms of per-step values this is the τ of
 * sequentialUpdate) and kept: re-tuning it to later data would void Ville's inequality.
 */
export function mixtureLook(
  previous: MixtureState | null,
  estimate: number,
  variance: number,
  confidence: number,
): MixtureLook {
  const state: MixtureState = previous ?? { tau: null, pValue: 1, looks: 0 };
  const alpha = 1 - confidence;
  if (!(variance > 0) || !Number.isFinite(variance) || !Number.isFinite(estimate) || !(alpha > 0 && alpha < 1))
    return { state: { ...state }, ci: null };
  const tau = state.tau ?? (twoSidedZ(confidence) ** 2 * variance) / 2;
  const v = variance;
  const logLambda = 0.5 * Math.log(v / (v + tau)) + (estimate * estimate * tau) / (2 * v * (v + tau));
  const pValue = Math.min(state.pValue, 1, Math.exp(-logLambda));
  const zStar = Math.sqrt(((v + tau) / tau) * (-2 * Math.log(alpha) - Math.log(v / (v + tau))));
  const half = zStar * Math.sqrt(v);
  return { state: { tau, pValue, looks: state.looks + 1 }, ci: [estimate - half, estimate + half] };
}
