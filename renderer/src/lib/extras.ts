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
  /** "would act now" / "would not act". */
  headline: string;
  reason: string;
  /** "fixed-horizon fail 2 of 3 needed", or "fixed-horizon fail held 8 evaluations (3 needed)" past the threshold. */
  streak: string;
}

export function guardWords(g: Guard): GuardWords {
  return {
    act: g.act,
    headline: g.act ? 'alerts and auto-rollback WOULD ACT NOW' : 'alerts and auto-rollback would not act',
    reason: g.reason,
    streak:
      g.consecutiveFixedFails >= g.sustain
        ? `fixed-horizon fail held ${g.consecutiveFixedFails} evaluations in a row (${g.sustain} needed)`
        : `fixed-horizon fail ${g.consecutiveFixedFails} of ${g.sustain} needed`,
  };
}

const SRM_HEADLINE: Record<Srm['status'], string> = {
  ok: 'OK — the observed split matches the configured one',
  warn: 'WARNING — the split looks off (p < 0.01)',
  alert: 'ALERT — sample ratio mismatch: the variants do not get the traffic the rollout says; do not trust the comparison',
  nodata: 'NO DATA — no exposure counts to check the split',
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
