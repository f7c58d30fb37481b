/**
 * Pure helpers of the Lifecycle view (issue 14): stage names and tones, grouping rows by stage, the "how long"
 * figure each stage shows, and the key that ties a lifecycle row to a flag-list row.
 */
import {
  LIFECYCLE_STAGES,
  type FlagVersion,
  type LifecycleRow,
  type LifecycleStage,
  type VersionState,
} from '../../../../shared/domain/lifecycle';
import { formatPercent } from '../../lib/format';
import { formatDuration } from '../../lib/time';

export const STAGE_LABELS: Record<LifecycleStage, string> = {
  stale: 'Stale',
  released: 'Released',
  off: 'Off',
  'rolling-out': 'Rolling out',
  created: 'Created',
  archived: 'Archived',
};

export const STAGE_HINTS: Record<LifecycleStage, string> = {
  stale: 'Done and untouched for the threshold (or no longer evaluated): remove it from the code, then archive it',
  released: 'On for everyone',
  off: 'Turned off after it was exposed',
  'rolling-out': 'Between 0 and 100 %, or a plan is driving it',
  created: 'Never exposed to anyone yet',
  archived: 'Archived in its store',
};

export const rowKey = (r: { connectionId: string; flagKey: string; env: string }) =>
  `${r.connectionId}\u0000${r.flagKey}\u0000${r.env}`;

/** Rows by stage, in the order the view shows them; empty stages are left out. The core already sorted each. */
export function groupByStage(rows: readonly LifecycleRow[]): { stage: LifecycleStage; rows: LifecycleRow[] }[] {
  return LIFECYCLE_STAGES.map((stage) => ({ stage, rows: rows.filter((r) => r.stage === stage) })).filter(
    (g) => g.rows.length > 0,
  );
}

/** "for 45 d" (done stages), "for 3 d" (rolling out / created), with "≥" when only Rampart's first sighting dates it. */
export function ageText(r: LifecycleRow, now: number): string {
  const at = r.stage === 'created' ? (r.createdAt ?? r.since) : r.since;
  if (at === null) return '—';
  if (r.sinceBasis === 'at-least' && now - at < 60_000) return 'just seen';
  return `${r.sinceBasis === 'at-least' ? '≥ ' : ''}${formatDuration(now - at)}`;
}

export function stateText(
  s: { enabled: boolean | null; exposure: number | null } | null,
  exposureKnown = true,
): string {
  if (!s || s.enabled === null) return 'unknown';
  if (!s.enabled) return 'off';
  return `on · ${exposureKnown ? formatPercent(s.exposure ?? 100) : '?%'}`;
}

/** A version's state; an off one keeps its exposure (what turning it back on would serve). */
export function versionStateText(s: VersionState): string {
  if (s.enabled === false && s.exposureKnown && s.exposure !== null) return `off · ${formatPercent(s.exposure)}`;
  return stateText(s, s.exposureKnown);
}

/** Newest first for the history table; the live version on top. */
export function newestFirst(versions: readonly FlagVersion[]): FlagVersion[] {
  return [...versions].sort((a, b) => b.version - a.version);
}

/** Per stage, how many rows: the view's summary line. */
export function stageCounts(rows: readonly LifecycleRow[]): Partial<Record<LifecycleStage, number>> {
  const out: Partial<Record<LifecycleStage, number>> = {};
  for (const r of rows) out[r.stage] = (out[r.stage] ?? 0) + 1;
  return out;
}
