/**
 * How a plan reads on screen: its state as a word and a tone, bake progress as a fraction, which buttons a state
 * allows. Pure, so the strip, the Plans view and their tests agree.
 */
import type { PlanState, PlanView } from '../../../../shared/domain/plans';
import { formatPercent } from '../../../../shared/domain/flags';
import { formatDuration } from '../../lib/time';

export const STATE_WORDS: Record<PlanState, string> = {
  running: 'RUNNING',
  holding: 'HOLDING',
  paused: 'PAUSED',
  'awaiting-approval': 'AWAITING APPROVAL',
  'rolled-back': 'ROLLED BACK',
  recovered: 'RECOVERED',
  'not-recovered': 'NOT RECOVERED',
  completed: 'COMPLETED',
  aborted: 'ABORTED',
};

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'grey';
export const STATE_TONES: Record<PlanState, Tone> = {
  running: 'ok',
  holding: 'info',
  paused: 'warn',
  'awaiting-approval': 'warn',
  'rolled-back': 'bad',
  recovered: 'ok',
  'not-recovered': 'bad',
  completed: 'ok',
  aborted: 'grey',
};

export type PlanVerb = 'approve' | 'pause' | 'resume' | 'abort';

/** The buttons a plan offers in its state; abort (= roll back) whenever it still drives the flag. */
export function allowedActions(p: Pick<PlanView, 'state' | 'stepIndex' | 'policy' | 'approved'>): PlanVerb[] {
  const driving =
    p.state === 'running' || p.state === 'holding' || p.state === 'awaiting-approval' || p.state === 'paused';
  if (!driving) return [];
  const gate = p.policy.steps.some((s, i) => i > p.stepIndex && s.approval && !p.approved.includes(i));
  const out: PlanVerb[] = [];
  if (p.state === 'awaiting-approval' || gate) out.push('approve');
  out.push(p.state === 'paused' ? 'resume' : 'pause');
  out.push('abort');
  return out;
}

export const VERB_LABELS: Record<PlanVerb, string> = {
  approve: 'Approve',
  pause: 'Pause',
  resume: 'Resume',
  abort: 'Abort (roll back)',
};

/** Bake progress 0–1 of the current step (1 when baked), and samples 0–1 (null when the watch counts none). */
export function progress(p: PlanView): { bake: number; samples: number | null } {
  const b = p.outlook.bake;
  const s = p.outlook.samples;
  return {
    bake: b.requiredMs <= 0 ? 1 : Math.min(1, b.elapsedMs / b.requiredMs),
    samples: s.need <= 0 ? null : s.have === null ? 0 : Math.min(1, s.have / s.need),
  };
}

const served = (x: PlanView['expected']): string => (x.enabled ? formatPercent(x.exposure) : 'off');

/** The plan's exposure; while a change outside the plan paused it, what the store serves (and the plan's own step). */
export const exposureOf = (
  p: Pick<PlanView, 'expected'> & { outlook?: Pick<PlanView['outlook'], 'served'> },
): string =>
  p.outlook?.served ? `${served(p.outlook.served)} in the store (plan: ${served(p.expected)})` : served(p.expected);

/** "evaluating since 02:31 (3 min)": a runner waiting on a provider, so a stuck runner is visible. */
export function evaluatingText(
  p: Pick<PlanView, 'outlook'>,
  now: number,
  clock: (at: number) => string,
): string | null {
  const since = p.outlook.evaluatingSince;
  return since === null ? null : `evaluating since ${clock(since)} (${formatDuration(Math.max(0, now - since))})`;
}

/** "1% → 5% → [25%] → 50% → 100%" for titles and tooltips. */
export function ladder(p: Pick<PlanView, 'policy' | 'stepIndex'>): string {
  return p.policy.steps.map((s, i) => (i === p.stepIndex ? `[${s.exposure}%]` : `${s.exposure}%`)).join(' → ');
}

/** Parses the start form's steps "1, 5, 25, 50, 100" (null with a message when it is not a list of percentages). */
export function parseSteps(text: string): { steps: number[] } | { error: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  const steps = parts.map(Number);
  if (parts.length === 0) return { error: 'at least one step' };
  const bad = parts.find((_, i) => !(steps[i] > 0 && steps[i] <= 100));
  if (bad !== undefined) return { error: `'${bad}' is not a percentage above 0 and up to 100` };
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1])) return { error: 'steps must strictly increase' };
  return { steps };
}
