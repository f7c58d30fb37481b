/**
 * Words for the live judge's extras (always-valid interval, guard, onset, suspects, bake time, SRM): pure, so
 * what the verdict panel, the chart marker and the Ramp button say is tested without a browser.
 */
import type { VerdictExtras } from '../../../shared/domain/verdict';
import { formatPValue, formatSig } from './format';
import { formatDuration as formatJudgeDuration } from '../../../shared/stats/format';

export type Guard = VerdictExtras['guard'];
export type Onset = NonNullable<VerdictExtras['onset']>;
export type Srm = NonNullable<VerdictExtras['srm']>;
export type Sequential = VerdictExtras['sequential'][number];

/** A relative shift as a signed percentage: 0.18 → "+18%", -0.032 → "−3.2%". */
export function formatShift(shift: number | null | undefined): string {
  if (shift === null || shift === undefined || !Number.isFinite(shift)) return '';
  const pct = shift * 100;
  const digits = Math.abs(pct) >= 10 ? 0 : 1;
  const text = Math.abs(pct).toFixed(digits).replace(/\.0$/, '');
  if (Number(text) === 0) return '±0%';
  return `${pct > 0 ? '+' : '−'}${text}%`;
}

/** The chart label of an onset: "onset: p99 +18%". */
export function onsetLabel(onset: Pick<Onset, 'metric' | 'shift'>): string {
  const shift = formatShift(onset.shift);
  return `onset: ${onset.metric}${shift ? ` ${shift}` : ''}`;
}

export interface GuardWords {
  act: boolean;
  /** What WILL happen: "alert: roll back" without a plan, "the plan rolls back" with one — never a promise of an auto-rollback nothing makes. */
  headline: string;
  reason: string;
  /** "fixed-horizon fail on 2 of 3 new data steps", past the threshold "… held 8 new data steps (3 needed)". */
  streak: string;
  /** Who acts on the guard. */
  actor: string;
}

/** The live guard as the decision states it (shared/domain/decision.ts LiveGuard), or the verdict extras' form. */
export interface GuardLike {
  act: boolean;
  reason: string;
  sustain: number;
  sustainedSteps?: number;
  consecutiveFixedFails?: number;
}

export function guardWords(g: GuardLike, o: { planRunning?: boolean } = {}): GuardWords {
  const steps = g.sustainedSteps ?? g.consecutiveFixedFails ?? 0;
  const plan = o.planRunning === true;
  return {
    act: g.act,
    headline: g.act
      ? plan
        ? 'ACTING — the plan rolls the flag back now'
        : 'ALERT — the guard says roll back now'
      : plan
        ? 'quiet — the plan keeps going'
        : 'quiet — no alert',
    reason: g.reason,
    streak:
      steps >= g.sustain
        ? `fixed-horizon fail held ${steps} new data steps in a row (${g.sustain} needed)`
        : `fixed-horizon fail on ${steps} of ${g.sustain} new data steps needed`,
    actor: plan
      ? 'A running plan acts on this guard: it rolls back on its own.'
      : 'No plan is running: nothing rolls back automatically — the guard alerts, and Roll back is yours to press.',
  };
}

const SRM_HEADLINE: Record<Srm['status'], string> = {
  ok: 'OK — the observed split matches the configured one',
  warn: 'WARNING — the split looks off (p < 0.01)',
  alert:
    'ALERT — sample ratio mismatch: the variants do not get the traffic the rollout says; do not trust the comparison',
  nodata: 'NO DATA — too few exposed units in the current step to check the split',
  'not-applicable': 'NOT APPLICABLE — at a 0 % or 100 % split there is no ratio to check',
};

export interface SrmRow {
  variant: string;
  count: number;
  observedShare: number | null;
  expectedShare: number | null;
}

export interface SrmWords {
  status: Srm['status'];
  headline: string;
  pValue: string;
  rows: SrmRow[];
}

/** "p = 0.0123", or "p < 0.0001" (never "p = < 0.0001"). */
export function pEquals(p: number | null): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/** Observed count and share per variant beside the configured share (variants in the order the core sent). */
export function srmWords(srm: Srm): SrmWords {
  const variants = [...new Set([...Object.keys(srm.observed), ...Object.keys(srm.expectedShare)])];
  const total = variants.reduce((n, v) => n + (srm.observed[v] ?? 0), 0);
  return {
    status: srm.status,
    headline: SRM_HEADLINE[srm.status],
    pValue: pEquals(srm.pValue),
    rows: variants.map((variant) => ({
      variant,
      count: srm.observed[variant] ?? 0,
      observedShare: total > 0 ? (srm.observed[variant] ?? 0) / total : null,
      expectedShare: srm.expectedShare[variant] ?? null,
    })),
  };
}

/** A share 0–1 as a percentage with one decimal: 0.256 → "25.6%". */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(1)}%`;
}

/** Where a change sits relative to the onset: "2 min before the onset", "at the onset". */
export function distanceFromOnset(at: number, onsetAt: number): string {
  const d = at - onsetAt;
  if (Math.abs(d) < 1_000) return 'at the onset';
  // The judge's own duration words, so this column and the core's reason never disagree ("2 min" vs "1 min").
  return `${formatJudgeDuration(Math.abs(d))} ${d < 0 ? 'before' : 'after'} the onset`;
}

/** The bake time for the Ramp button, e.g. "p99 10%: ≥ 12 min more" or "p99 10%: detectable now". */
export function bakeWords(bake: VerdictExtras['bakeTime'] | undefined): { text: string; ready: boolean } | null {
  if (!bake) return null;
  return { text: bake.text, ready: bake.minutesMore === 0 };
}

/** The always-valid result of one metric, or null when the core sent none for it. */
export function sequentialFor(extras: VerdictExtras | undefined, metric: string): Sequential | null {
  return extras?.sequential.find((s) => s.metric === metric) ?? null;
}

/** Suspect score, compact: 1.54 → "1.54", 0.0042 → "0.0042". */
export function formatScore(score: number): string {
  return formatSig(score, 3);
}

/** A relative interval as signed percentages: [0.031, 0.098] → "[+3.1%, +9.8%]". */
export function formatRelative(ci: readonly [number, number] | null | undefined): string {
  if (!ci) return '—';
  return `[${formatShift(ci[0]) || '±0%'}, ${formatShift(ci[1]) || '±0%'}]`;
}
