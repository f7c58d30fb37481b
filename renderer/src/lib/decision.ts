/**
 * What the canary watch's header and buttons say, from the ONE decision (docs/design.md "One decision, many
 * consumers") and the liveness of what it rests on. Pure, so every wording is tested without a browser:
 *  - rollback: Roll back is the primary action; Ramp becomes "Ramp anyway…" (override + comment, audited);
 *  - advance: Ramp is primary and says what the next step exposes (the blast radius);
 *  - hold: Ramp is secondary and the reason says why;
 *  - core, store or metrics unreachable: Ramp is disabled with the reason; Roll back is always offered.
 */
import type { WatchDecision } from '../../../shared/domain/decision';
import { formatPercent } from './format';
import { formatDuration } from './time';

export type Tone = 'bad' | 'ok' | 'hold' | 'stale';

export interface ActionInputs {
  decision: Pick<WatchDecision, 'action' | 'reason' | 'stale' | 'verdict' | 'computedAt' | 'exposure'> | null;
  /** Effective exposure now (0 when off) and the next rung. */
  exposure: number;
  next: number;
  atTop: boolean;
  coreDown: { since: number } | null;
  /** The flag state shown is from the store's last known state (it could not be reached). */
  storeStale: { ageMs: number; reason: string } | null;
  /** The metrics provider failed 4+ times in a row. */
  providerDown: { errors: number; lastError: string | null } | null;
  /** Total request rate of the watched service (rps), for the blast radius; null when unknown. */
  totalRps: number | null;
  now: number;
  /** A plan drives the flag: its next step (null at the last one) and whether that step waits for an approval. */
  plan?: { nextExposure: number | null; awaitingApproval: boolean } | null;
}

export interface ActionModel {
  headline: string;
  tone: Tone;
  reason: string;
  /** Which button is the primary one; 'none' when holding (both secondary, the reason says why); 'plan' when a plan leads. */
  primary: 'ramp' | 'rollback' | 'none' | 'plan';
  ramp: { label: string; disabled: string | null; override: boolean; blast: string | null };
  /** While a plan drives the flag: what it does next (the primary action; the plan strip carries it out). */
  plan?: { label: string; note: string };
  rollback: { label: string; note: string | null };
}

/** Requests per minute the next step sends to the treatment, and how many more than now. */
export function blastRadius(totalRps: number | null, exposure: number, next: number): string | null {
  if (totalRps === null || !Number.isFinite(totalRps) || totalRps <= 0) return null;
  const perMin = (pct: number) => (totalRps * 60 * pct) / 100;
  const fmt = (n: number) =>
    n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 100 ? String(Math.round(n / 10) * 10) : String(Math.round(n));
  return `exposes ≈ ${fmt(perMin(next))} req/min to the treatment (+${fmt(perMin(next) - perMin(exposure))})`;
}

const HEADLINE: Record<WatchDecision['action'], string> = { rollback: 'ROLL BACK', advance: 'RAMP', hold: 'HOLD' };
const TONE: Record<WatchDecision['action'], Tone> = { rollback: 'bad', advance: 'ok', hold: 'hold' };

/**
 * The one decision, with a plan driving the flag: the plan's next move leads ("Plan: next 75%", or its approval), and
 * a ramp by hand stays possible but says it pauses the plan. A rollback still leads: it is never the plan's to hold.
 */
export function actionModel(x: ActionInputs): ActionModel {
  const m = decisionModel(x);
  if (!x.plan || m.primary === 'rollback') return m;
  const next = x.plan.nextExposure;
  const label =
    next === null
      ? 'Plan: at its last step'
      : x.plan.awaitingApproval
        ? `Plan: approve ${formatPercent(next)}…`
        : `Plan: next ${formatPercent(next)}`;
  const note = x.plan.awaitingApproval
    ? 'the plan waits for your approval of its next step (in the plan below)'
    : 'the plan takes its next step itself once the decision passes and the step has baked';
  return {
    ...m,
    primary: 'plan',
    plan: { label, note },
    ramp: {
      ...m.ramp,
      label: m.ramp.override ? m.ramp.label : `${m.ramp.label.replace(/…$/, '')} by hand (pauses the plan)…`,
    },
  };
}

function decisionModel(x: ActionInputs): ActionModel {
  const rampTo = x.atTop ? 'Ramp…' : `Ramp ${formatPercent(x.exposure)} → ${formatPercent(x.next)}`;
  const d = x.decision;
  // Ramp needs a live core, the store's current state (read-compare-write) and metrics to watch the step with.
  const disabled = x.coreDown
    ? `the Rampart core is unreachable (since ${formatDuration(x.now - x.coreDown.since)})`
    : x.storeStale
      ? `the flag store is unreachable (state from ${formatDuration(x.storeStale.ageMs)} ago)`
      : x.providerDown
        ? `the metrics provider is failing (${x.providerDown.errors} errors in a row)`
        : null;
  const rollbackNote = x.coreDown
    ? 'the core is unreachable: the rollback is sent when you confirm and fails here if the core is still away — `rampart rollback` works from a terminal on the host'
    : x.storeStale
      ? 'the store is unreachable: the rollback is tried anyway and confirmed only by reading the flag back'
      : null;
  if (!d) {
    return {
      headline: x.coreDown ? 'NO DECISION' : '…',
      tone: 'stale',
      reason: disabled ? `No decision: ${disabled}.` : 'Computing the decision…',
      primary: 'ramp',
      ramp: { label: rampTo, disabled: disabled ?? 'the decision is not computed yet', override: false, blast: null },
      rollback: { label: 'Roll back', note: rollbackNote },
    };
  }
  // The flag moved since the decision's data step (a ramp or a rollback a moment ago): the decision is about
  // another exposure until this step's first data. The core's ramp guard still reads it — a "roll back" refuses the
  // next ramp (never the first step from 0 %) — so the button says what the core will do.
  if (d.exposure !== undefined && Math.abs(d.exposure - x.exposure) > 1e-6) {
    const first = x.exposure === 0;
    const refuses = d.action === 'rollback' && !first;
    return {
      headline: 'DECIDING…',
      tone: 'hold',
      reason: `The flag is at ${formatPercent(x.exposure)} now; the last decision (${HEADLINE[d.action].toLowerCase()}) was about ${formatPercent(d.exposure)}${refuses ? ' and still holds a ramp back' : ''}. The next one comes with the first data step at this exposure.`,
      primary: first ? 'ramp' : 'none',
      ramp: {
        label: first ? `Start canary 0% → ${formatPercent(x.next)}` : refuses ? 'Ramp anyway…' : `${rampTo}…`,
        disabled,
        override: refuses,
        blast: blastRadius(x.totalRps, x.exposure, x.next),
      },
      rollback: { label: 'Roll back', note: rollbackNote },
    };
  }
  const stale = d.stale !== null || disabled !== null;
  const staleText = d.stale ? ` Data from ${formatDuration(d.stale.ageMs)} ago (${d.stale.message}).` : '';
  const verdict = d.verdict.verdict.toUpperCase();
  const base = {
    headline: `${HEADLINE[d.action]} · ${verdict}`,
    tone: stale ? ('stale' as const) : TONE[d.action],
    reason: `${d.reason}${staleText}`,
  };
  if (d.action === 'rollback') {
    return {
      ...base,
      primary: 'rollback',
      ramp: { label: 'Ramp anyway…', disabled, override: true, blast: null },
      rollback: { label: 'Roll back now', note: rollbackNote },
    };
  }
  if (d.action === 'advance') {
    return {
      ...base,
      primary: 'ramp',
      ramp: {
        label: rampTo,
        disabled,
        override: false,
        blast: x.atTop ? null : blastRadius(x.totalRps, x.exposure, x.next),
      },
      rollback: { label: 'Roll back', note: rollbackNote },
    };
  }
  // Hold: the first step (0 → first rung) is what a canary is for — never blocked for lack of treatment data.
  const first = x.exposure === 0;
  return {
    ...base,
    primary: first ? 'ramp' : 'none',
    ramp: {
      label: first ? `Start canary 0% → ${formatPercent(x.next)}` : `${rampTo}…`,
      disabled,
      override: false,
      blast: blastRadius(x.totalRps, x.exposure, x.next),
    },
    rollback: { label: 'Roll back', note: rollbackNote },
  };
}

/** A refusal said once: "the decision says …", never "Ramp blocked: Ramp blocked: …" under a "Not ramped" heading. */
export function blockedText(message: string): string {
  return message.replace(/^(Ramp blocked:\s*)+/i, '');
}
