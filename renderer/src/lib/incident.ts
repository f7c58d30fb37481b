/**
 * The incident timeline's pure parts: one colour per connection, marker texts that name the flag (changes from
 * every store share one chart), and the ranked suspect rows with their time distance and the metric's shift
 * across each change.
 */
import type { FlagChange } from '../../../shared/domain/flags';
import type { WireSeries } from '../../../shared/domain/metrics';
import type { VerdictExtras } from '../../../shared/domain/verdict';
import { shiftAround } from '../../../shared/stats/suspects';
import { HOUR } from './time';

/** Marker colours by connection: distinct from each other, from the onset magenta and from the metric lines. */
export const CONNECTION_COLORS = ['#5fb3ff', '#c792ea', '#56c26a', '#4dd0e1', '#f5b73b', '#e6e8eb', '#ff8a65', '#9ccc65'] as const;

/** A colour per connection id, in the order given (the Connections list order), so colours are stable. */
export function connectionColors(ids: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  [...new Set(ids)].forEach((id, i) => {
    out[id] = CONNECTION_COLORS[i % CONNECTION_COLORS.length];
  });
  return out;
}

/** "#1 checkout-v2: rollout 5% → 25%" — the rank when the change is a suspect, the env when several are shown. */
export function incidentMarkerText(c: FlagChange, rank: number | null, showEnv: boolean): string {
  const env = showEnv ? ` (${c.env})` : '';
  return `${rank !== null ? `#${rank} ` : ''}${c.flagKey}${env}: ${c.label}`;
}

/** Whether the changes span more than one environment (then markers name theirs). */
export function spansEnvironments(changes: readonly FlagChange[]): boolean {
  return new Set(changes.map((c) => c.env)).size > 1;
}

export interface SuspectRow {
  rank: number;
  changeId: string;
  label: string;
  at: number;
  score: number;
  reason: string;
  /** change.at − onset.at; negative: before the onset. */
  offsetMs: number;
  /** Mean after / mean before − 1 around the change, on the analysed series; null without data on both sides. */
  shift: number | null;
  shiftSigma: number | null;
  /** The full change (for "open in Canary watch"); absent if the core's list lacks it. */
  change: FlagChange | undefined;
}

/**
 * Suspects as ranked by the core (most suspicious first), with the time distance to the onset and the shift
 * across each change measured on the series the chart draws (10 points each side, as the core ranks them).
 */
export function suspectRows(
  suspects: VerdictExtras['suspects'],
  changes: readonly FlagChange[],
  onsetAt: number,
  series: WireSeries | null,
): SuspectRow[] {
  const points = series?.points ?? [];
  return suspects.map((s, i) => {
    const { relative, sigma } = shiftAround(points, s.at);
    return {
      rank: i + 1,
      changeId: s.changeId,
      label: s.label,
      at: s.at,
      score: s.score,
      reason: s.reason,
      offsetMs: s.at - onsetAt,
      shift: relative,
      shiftSigma: sigma,
      change: changes.find((c) => c.id === s.changeId),
    };
  });
}

/** Rank of each suspect change by id, for the "#1" on its marker. */
export function suspectRanks(suspects: VerdictExtras['suspects']): Map<string, number> {
  return new Map(suspects.map((s, i) => [s.changeId, i + 1]));
}

/**
 * The canary watch's window when opening a suspect: the incident's window, widened if needed so the change has
 * an hour before it and half an hour after it on screen, but never past `now`.
 */
export function canaryWindowFor(at: number, incident: { from: number; to: number }, now: number): { from: number; to: number } {
  const from = Math.min(incident.from, at - HOUR);
  const to = Math.min(now, Math.max(incident.to, at + HOUR / 2));
  return to > from ? { from, to } : incident;
}
