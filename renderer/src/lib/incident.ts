/**
 * The incident timeline's pure parts: one colour per flag (and per connection for the legend), marker texts that
 * name the flag (changes from every store share one chart), which labels to draw when they crowd, the ranked suspect
 * rows with their evidence, what the view opens on (the service that regressed, from incident:scan), and the Canary
 * watch window that zooms onto a suspect's change.
 */
import type { FlagChange } from '../../../shared/domain/flags';
import type { WireSeries } from '../../../shared/domain/metrics';
import type { IncidentRegression, IncidentSuspect } from '../../../shared/contract/domains/incident';
import type { Watch } from '../../../shared/domain/metrics';
import { shiftAround } from '../../../shared/stats/suspects';
import { HOUR } from './time';

/**
 * Marker colours: distinct from each other, from the onset magenta and from the metric lines the incident chart
 * draws (orange/yellow/green latency, the grey seasonal reference) — no orange, yellow or red here.
 */
export const CONNECTION_COLORS = [
  '#5fb3ff',
  '#c792ea',
  '#4dd0e1',
  '#e6e8eb',
  '#9ccc65',
  '#80cbc4',
  '#b39ddb',
  '#90a4ae',
] as const;

export const flagKeyOf = (c: Pick<FlagChange, 'connectionId' | 'flagKey'>): string =>
  `${c.connectionId}\u0000${c.flagKey}`;

/** A colour per flag (connection × key), sorted by name so a flag keeps its colour when the window moves. */
export function flagColors(changes: readonly Pick<FlagChange, 'connectionId' | 'flagKey'>[]): Record<string, string> {
  const keys = [...new Set(changes.map(flagKeyOf))].sort();
  return Object.fromEntries(keys.map((k, i) => [k, CONNECTION_COLORS[i % CONNECTION_COLORS.length]]));
}

/**
 * Which markers get a text label when they crowd: every suspect (by rank), then the others newest first — but no
 * more than `max` in all, so labels never stack four deep over the data; the rest keep their line and handle, and
 * the tooltip names them.
 */
export function labelPriority(changes: readonly FlagChange[], ranks: ReadonlyMap<string, number>, max = 8): number[] {
  const order = [...changes].sort((a, b) => (ranks.get(a.id) ?? 1e6) - (ranks.get(b.id) ?? 1e6) || b.at - a.at);
  const keep = new Set(order.slice(0, max).map((c) => c.id));
  return changes.map((c) => (keep.has(c.id) ? 1e6 - (ranks.get(c.id) ?? 1e3) : -1));
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
  evidence: IncidentSuspect['evidence'];
}

/**
 * Suspects as ranked by the core (most suspicious first), with the time distance to the onset and the shift
 * across each change measured on the series the chart draws (10 points each side, as the core ranks them).
 */
export function suspectRows(
  suspects: readonly IncidentSuspect[],
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
      evidence: s.evidence ?? null,
    };
  });
}

/** Rank of each suspect change by id, for the "#1" on its marker. */
export function suspectRanks(suspects: readonly { changeId: string }[]): Map<string, number> {
  return new Map(suspects.map((s, i) => [s.changeId, i + 1]));
}

/**
 * The Canary watch's window when opening a suspect: zoomed onto the change — 45 min before it to 45 min after
 * (never past now) — so its marker, the step's band and the shift are what fills the screen.
 */
export function canaryWindowFor(at: number, now: number): { from: number; to: number } {
  const half = 45 * 60_000;
  const to = Math.min(now, at + half);
  return { from: Math.min(at - half, to - 2 * half), to };
}

/** The incident window presets, shortest first. */
export const INCIDENT_RANGES = [HOUR, 6 * HOUR, 24 * HOUR] as const;

/**
 * What the view opens on: the service that regressed most in the scan (its watch), the latency metric when that
 * watch regressed in latency too, and the shortest preset window that holds the onset with room before it.
 */
export function openingFor(
  regressions: readonly IncidentRegression[],
  watches: readonly Pick<Watch, 'id' | 'metrics'>[],
  anchor: number,
): { watchId: string; metric: string; rangeMs: number } | null {
  const top = regressions.find((r) => watches.some((w) => w.id === r.watchId));
  if (!top) return null;
  const watch = watches.find((w) => w.id === top.watchId);
  const latency = regressions.find(
    (r) => r.watchId === top.watchId && watch?.metrics.some((m) => m.name === r.metric && m.kind === 'latency'),
  );
  const chosen = latency ?? top;
  const rangeMs =
    INCIDENT_RANGES.find((ms) => chosen.at >= anchor - ms * 0.8) ?? INCIDENT_RANGES[INCIDENT_RANGES.length - 1];
  return { watchId: top.watchId, metric: chosen.metric, rangeMs };
}
