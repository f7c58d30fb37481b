import { formatPercent } from '../../shared/domain/flags';
import type { Plan, PlanBand, PlanEvent } from '../../shared/domain/plans';

export interface StepSpan {
  stepIndex: number;
  exposure: number;
  from: number;
  to: number | null;
  endedBy: PlanBand['outcome'];
  /** The message of the rollback or abort that ended the step. */
  note: string | null;
}

const ENDS: Partial<Record<PlanEvent['kind'], PlanBand['outcome']>> = {
  rollback: 'rolled-back',
  abort: 'aborted',
  complete: 'completed',
};

/**
 * The stretches of time the plan held each step, from its decision record: a step starts when the plan reached it
 * (started on it, advanced to it, or found it applied after a restart) and ends at the next step, a rollback, an
 * abort or completion. The one source for the strip's step times and the charts' plan bands.
 */
export function stepSpans(events: readonly PlanEvent[]): StepSpan[] {
  const spans: StepSpan[] = [];
  const open = () => spans.at(-1);
  for (const e of events) {
    const reached =
      (e.kind === 'start' || e.kind === 'advance' || e.kind === 'adopt') &&
      e.stepIndex >= 0 &&
      e.exposure !== null &&
      e.exposure > 0;
    const current = open();
    if (reached && (!current || current.to !== null || current.stepIndex !== e.stepIndex)) {
      if (current && current.to === null) Object.assign(current, { to: e.at, endedBy: 'advanced' });
      spans.push({
        stepIndex: e.stepIndex,
        exposure: e.exposure!,
        from: e.at,
        to: null,
        endedBy: 'current',
        note: null,
      });
      continue;
    }
    const end = ENDS[e.kind];
    if (end && current && current.to === null)
      Object.assign(
        current,
        end === 'completed' ? { endedBy: 'completed' } : { to: e.at, endedBy: end, note: e.message },
      );
  }
  return spans;
}

/** Plan steps as bands for the charts over [from, to]: each labelled "plan step 2/5 · 5%". */
export function planBands(plan: Plan, events: readonly PlanEvent[], from: number, to: number, now: number): PlanBand[] {
  const end = plan.finishedAt ?? now;
  return stepSpans(events)
    .map((s) => ({ ...s, to: s.to ?? (s.endedBy === 'completed' ? end : now) }))
    .filter((s) => s.to > from && s.from < to)
    .map((s) => ({
      planId: plan.id,
      connectionId: plan.connectionId,
      flagKey: plan.flagKey,
      env: plan.env,
      stepIndex: s.stepIndex,
      exposure: s.exposure,
      from: Math.max(from, s.from),
      to: Math.min(to, s.to),
      outcome: s.endedBy === 'current' && plan.state === 'paused' ? 'paused' : s.endedBy,
      label: `plan step ${s.stepIndex + 1}/${plan.policy.steps.length} · ${formatPercent(s.exposure)}`,
      note: s.note,
    }));
}
