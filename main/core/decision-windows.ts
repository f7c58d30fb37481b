import type { FlagChange } from '../../shared/domain/flags';
import type { BaselineKind } from '../../shared/domain/verdict';

/**
 * The windows a verdict compares (docs/statistics.md "Three baselines", "Samples must be honest"):
 *  - canary: the current step — from its change + the query's lookback (a `rate(…[w])` point within w of the
 *    change still carries the old split) to the newest complete data step;
 *  - pre: as long, ending one lookback before the rollout's FIRST exposure (where exposure left 0);
 *  - previous: as long, ending one lookback before the current step's change;
 *  - control: the canary window itself, the other arm;  seasonal: the canary window a week (or a day) earlier.
 * Every bound is on the step grid, so the per-step samples of a window are exactly its own steps.
 */
export interface TimeWindow {
  from: number;
  to: number;
}

export interface JudgeWindows {
  canary: TimeWindow & { label: string };
  baseline: TimeWindow & { kind: BaselineKind; label: string };
  /** The change the current step began with (null: none in the history). */
  change: FlagChange | null;
  /** When the current rollout first exposed anyone (exposure left 0), if known. */
  rolloutStart: { at: number; change: FlagChange } | null;
  /** Effective exposure (%) of the current step: 0 when the flag is off. */
  exposure: number;
  /** False while the canary window is still shorter than one step (inside the lookback after a change). */
  ready: boolean;
  reason: string;
}

export const fmtTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
const fmtSpan = (w: TimeWindow) => `${fmtTime(w.from)} – ${fmtTime(w.to).slice(11)}`;

const EXPOSING_KINDS = new Set<FlagChange['kind']>(['exposure', 'enabled', 'created', 'archived']);

/** The flag's effective exposure after each change that set it (enabled ? exposure : 0), oldest first. */
export function exposureSteps(changes: readonly FlagChange[]): { at: number; exposure: number; change: FlagChange }[] {
  let enabled = false;
  let exposure: number | null = 0;
  const out: { at: number; exposure: number; change: FlagChange }[] = [];
  for (const c of [...changes].sort((a, b) => a.at - b.at)) {
    if (c.kind === 'archived') enabled = false;
    if (c.to?.enabled !== undefined) enabled = c.to.enabled;
    if (c.to?.exposure !== undefined) exposure = c.to.exposure;
    if (!EXPOSING_KINDS.has(c.kind)) continue;
    const effective = enabled ? (exposure ?? 100) : 0;
    if (out.length > 0 && out[out.length - 1].exposure === effective) continue; // no change of exposure: same step
    out.push({ at: c.at, exposure: effective, change: c });
  }
  return out;
}

export interface WindowInput {
  kind: BaselineKind;
  /** This flag's changes in this environment (any order), as far back as known. */
  changes: readonly FlagChange[];
  /** End of the newest complete data step (epoch ms, on the step grid). */
  at: number;
  stepMs: number;
  /** How far back one sample reaches (the per-step query's range); default one step. */
  lookbackMs?: number;
  /** Shift of the seasonal baseline; default one week. */
  seasonalMs?: number;
  /**
   * When the evaluation happens (default `at`). A change after the newest complete step but before now (a ramp a
   * moment ago) starts the current step: its canary window is not open yet, so nothing is judged on the old split.
   */
  now?: number;
}

export function judgeWindows(i: WindowInput): JudgeWindows {
  const step = i.stepMs;
  const lookback = i.lookbackMs ?? step;
  const up = (t: number) => Math.ceil(t / step) * step;
  const down = (t: number) => Math.floor(t / step) * step;
  const to = down(i.at);
  const history = exposureSteps(i.changes.filter((c) => c.at <= Math.max(i.at, i.now ?? i.at)));
  const current = history.at(-1) ?? null;
  const exposure = current?.exposure ?? 0;
  // The current rollout: walk back from the current step to where exposure left 0.
  let first = current && current.exposure > 0 ? history.length - 1 : -1;
  while (first > 0 && history[first - 1].exposure > 0) first--;
  // Known only when exposure was 0 before it, or the flag was created exposed; else history is too short.
  const known = first > 0 || (first === 0 && history[0].change.kind === 'created');
  const rolloutStart = known ? { at: history[first].at, change: history[first].change } : null;

  const change = current?.change ?? null;
  const from = change ? Math.min(up(change.at + lookback), to) : to - 60 * step;
  const canary = {
    from,
    to,
    label: change
      ? `canary: ${fmtSpan({ from, to })}, since ${change.label} at ${fmtTime(change.at)} (+${lookback / 1000} s lookback)`
      : `canary: ${fmtSpan({ from, to })} (no flag change found)`,
  };
  const length = to - from;
  const ready = length >= step;
  const reason = ready
    ? 'ok'
    : `waiting for data: the canary window opens at ${fmtTime(up((change?.at ?? to) + lookback))}, one lookback (${lookback / 1000} s) after the change`;
  const before = (end: number, kind: BaselineKind, what: string) => {
    const w = { from: down(end) - length, to: down(end) };
    return { ...w, kind, label: `${what}: ${fmtSpan(w)}` };
  };

  let baseline: JudgeWindows['baseline'];
  if (i.kind === 'control')
    baseline = { from, to, kind: 'control', label: `concurrent control: ${fmtSpan({ from, to })}, same window` };
  else if (i.kind === 'seasonal') {
    const shift = i.seasonalMs ?? 7 * 86_400_000;
    const w = { from: from - shift, to: to - shift };
    baseline = {
      ...w,
      kind: 'seasonal',
      label: `seasonal: ${fmtSpan(w)}, the same window one ${shift >= 7 * 86_400_000 ? 'week' : 'day'} earlier`,
    };
  } else if (i.kind === 'previous' || !rolloutStart) {
    const end = (change?.at ?? from) - lookback;
    const note = i.kind === 'pre' ? ' (the rollout began before the known history: previous step instead)' : '';
    baseline = before(
      end,
      i.kind === 'pre' ? 'pre' : 'previous',
      `previous step${note}, before ${change ? `${change.label} at ${fmtTime(change.at)}` : 'the canary'}`,
    );
  } else {
    baseline = before(
      rolloutStart.at - lookback,
      'pre',
      `pre-rollout, before the first exposure (${rolloutStart.change.label} at ${fmtTime(rolloutStart.at)})`,
    );
  }
  return { canary, baseline, change, rolloutStart, exposure, ready, reason };
}
