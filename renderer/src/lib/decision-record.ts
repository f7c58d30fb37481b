/**
 * A decision record (issue 11): the current decision as Markdown — what was decided and why, on which windows,
 * the numbers per metric, the live guard and the sample-ratio check, the queries, and who looked when — to paste into
 * a ticket or a post-mortem beside its PNG (the charts). Pure, so the record is tested without a browser. Times
 * carry the display zone's name.
 */
import type { WatchDecision } from '../../../shared/domain/decision';
import type { Watch } from '../../../shared/domain/metrics';
import { formatRelative as rel, formatShift } from './extras';
import { formatDateTimeZone, formatDuration, zoneLabel } from './time';

export interface RecordContext {
  decision: WatchDecision;
  watch: Watch;
  /** Who exported it (app:info user) and through which door. */
  user: string;
  door: string;
  exportedAt: number;
  /** A deep link that reopens the view. */
  link: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function decisionMarkdown(c: RecordContext): string {
  const d = c.decision;
  const v = d.verdict;
  const win = (w: { from: number; to: number }) =>
    `${formatDateTimeZone(w.from)} → ${formatDateTimeZone(w.to)} (${formatDuration(w.to - w.from)})`;
  const lines = [
    `# Decision record — ${d.flagKey} in ${d.env}`,
    '',
    `**${d.action.toUpperCase()}** · verdict **${v.verdict.toUpperCase()}** (score ${v.score.toFixed(1)} / 100) — ${d.reason}`,
    '',
    `- flag: \`${d.flagKey}\` (${d.flagConnectionId}), environment \`${d.env}\`${d.exposure !== undefined ? `, exposure ${d.exposure}%` : ''}`,
    `- metrics: ${c.watch.metricsConnectionId} \`{${c.watch.selector}}\`, variant label \`${c.watch.variantLabel}\`${d.arms ? ` (treatment ${d.arms.treatment.join('|')} vs control ${d.arms.control.join('|')}: ${d.arms.source})` : ''}`,
    `- decided: ${formatDateTimeZone(d.computedAt)} on data up to ${formatDateTimeZone(d.step)}${d.stale ? ` — STALE: ${d.stale.message}` : ''}`,
    `- baseline: ${v.baseline.kind} — ${v.baseline.label}${d.baselineReason ? ` (${d.baselineReason})` : ''}`,
    `  - window: ${win(v.baseline)}`,
    `- canary: ${v.canary.label}`,
    `  - window: ${win(v.canary)}`,
    `- thresholds: confidence ${c.watch.thresholds.confidence}, allowed increase ×${c.watch.thresholds.allowedIncrease}, pass ≥ ${c.watch.thresholds.passScore}, marginal ≥ ${c.watch.thresholds.marginalScore}`,
    `- live guard: ${d.guard.act ? 'ACTS' : 'quiet'} — ${d.guard.reason} (fixed-horizon fail on ${d.guard.sustainedSteps} of ${d.guard.sustain} new data steps)`,
  ];
  const srm = v.extras?.srm;
  if (srm)
    lines.push(`- sample ratio (current step): ${srm.status} — ${srm.message}${srm.method ? ` (${srm.method})` : ''}`);
  if (v.extras?.bakeTime) lines.push(`- bake time: ${v.extras.bakeTime.text}`);
  lines.push(
    '',
    '| metric | verdict | change | interval vs margin | allowed | always-valid | n baseline / canary | reason |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const m of v.metrics) {
    const s = v.extras?.sequential.find((x) => x.metric === m.name);
    lines.push(
      `| ${m.name}${m.critical ? ' (critical)' : ''} | ${m.verdict} | ${m.ratio !== null ? formatShift(m.ratio - 1) || '±0%' : '—'} | ${rel(m.relativeCi)} ${cell(m.level)} | ${m.margin !== null ? formatShift(m.margin) : '—'} | ${s ? `${rel(s.relativeCi)}${s.fails ? ' fails' : s.passes ? ' passes' : ''}` : '—'} | ${m.baselineN} / ${m.canaryN} | ${cell(m.reason)} |`,
    );
  }
  lines.push('', '## Queries', '');
  for (const [name, q] of Object.entries(v.queries)) lines.push(`- ${name}: \`${q.replace(/`/g, "'")}\``);
  lines.push(
    '',
    `Looked at by **${c.user}** (${c.door}) at ${formatDateTimeZone(c.exportedAt)}; times in ${zoneLabel()}.`,
    '',
    `Reopen: ${c.link}`,
    '',
  );
  return lines.join('\n');
}
