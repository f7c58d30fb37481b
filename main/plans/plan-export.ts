import type { DecisionSnapshot, Plan, PlanEvent } from '../../shared/domain/plans';
import { describeExposure } from './step-rules';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (x: number | null, digits = 3) => (x === null ? '—' : Number(x.toPrecision(digits)).toString());

function decisionTable(d: DecisionSnapshot): string[] {
  return [
    `  - decision at ${iso(d.computedAt)} (data step ${iso(d.step)}): **${d.action}** — ${cell(d.reason)}`,
    `  - baseline ${cell(d.baseline.label)} (${iso(d.baseline.from)} – ${iso(d.baseline.to)}); canary ${cell(d.canary.label)} (${iso(d.canary.from)} – ${iso(d.canary.to)})`,
    `  - verdict ${d.verdict}, score ${d.score.toFixed(1)}; guard ${d.guard.act ? `ACTS (${d.guard.trigger})` : 'quiet'}: ${cell(d.guard.reason)}${d.stale ? `; stale: ${cell(d.stale)}` : ''}`,
    '',
    '    | metric | verdict | ratio | interval | p | n (baseline / canary) |',
    '    |---|---|---|---|---|---|',
    ...d.metrics.map(
      (m) =>
        `    | ${m.name} | ${m.verdict} | ${num(m.ratio)} | ${m.ci ? `[${num(m.ci[0])}, ${num(m.ci[1])}]` : '—'} | ${num(m.pValue, 2)} | ${m.baselineN} / ${m.canaryN} |`,
    ),
    '',
    ...Object.entries(d.queries).map(([name, q]) => `    - \`${name}\`: \`${q.replace(/`/g, "'")}\``),
  ];
}

/**
 * The decision record of a plan (issue 12): every transition with the numbers, windows and queries it rested on,
 * as JSON (machine) or Markdown (a person, a post-mortem). Built from the stored plan and its append-only events.
 */
export function exportRecord(
  plan: Plan,
  events: readonly PlanEvent[],
  format: 'json' | 'markdown',
  now: number,
): { filename: string; mimeType: string; content: string } {
  const base = `rampart-plan-${plan.flagKey}-${plan.env}-${plan.id}`.replace(/[^A-Za-z0-9._-]/g, '_');
  if (format === 'json') {
    return {
      filename: `${base}.json`,
      mimeType: 'application/json',
      content: JSON.stringify({ exportedAt: now, plan, events }, null, 2),
    };
  }
  const lines = [
    `# Plan ${plan.id}: ${plan.flagKey} in ${plan.env}`,
    '',
    `- state: **${plan.state}** — ${cell(plan.reason)}`,
    `- started ${iso(plan.startedAt)} by ${plan.startedBy} at ${describeExposure(plan.initial)}: ${cell(plan.comment)}`,
    `- steps: ${plan.policy.steps.map((s) => `${s.exposure}%${s.approval ? ' (approval)' : ''}`).join(' → ')}; bake ≥ ${Math.round(plan.policy.bakeMs / 1000)} s, ≥ ${plan.policy.minSamples} treatment requests per step`,
    `- windows: ${plan.policy.windows.length ? plan.policy.windows.map((w) => `${w.days.join(',')} ${w.start}-${w.end} ${w.timeZone}`).join('; ') : 'any time'}; freeze: ${plan.policy.freezeDates.join(', ') || 'none'}`,
    ...(plan.rollback
      ? [`- rolled back ${iso(plan.rollback.at)} by ${plan.rollback.by}: ${cell(plan.rollback.reason)}`]
      : []),
    ...(plan.recovery ? [`- recovery: ${plan.recovery.status} — ${cell(plan.recovery.message)}`] : []),
    `- exported ${iso(now)}`,
    '',
    '## Decision record',
    '',
  ];
  for (const e of events) {
    lines.push(
      `- **${iso(e.at)}** ${e.kind} · step ${e.stepIndex + 1}/${plan.policy.steps.length} · ${e.exposure === null ? '—' : `${e.exposure}%`} · ${e.actor}${e.detail.door ? ` (${String(e.detail.door)})` : ''}: ${cell(e.message)}`,
    );
    if (e.decision && ['advance', 'rollback', 'hold', 'pause', 'approval-needed', 'complete'].includes(e.kind))
      lines.push(...decisionTable(e.decision));
  }
  return { filename: `${base}.md`, mimeType: 'text/markdown', content: `${lines.join('\n')}\n` };
}
