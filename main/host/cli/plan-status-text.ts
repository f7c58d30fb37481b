import type { WatchDecision } from '../../../shared/domain/decision';
import { formatPercent } from '../../../shared/domain/flags';
import type { PlanView } from '../../../shared/domain/plans';
import { formatDuration } from '../../../shared/stats/format';
import { formatTime, localizeText, timeZoneOf, type TimeZone } from './format';

/** `rampart plan status` (and `plan start`'s answer) as text: the plan's record, the decision now, the runner. */

export const pct = (x: { enabled: boolean; exposure: number | null }) =>
  x.enabled ? formatPercent(x.exposure) : 'off';

/** "running at 5% (step 2/5) — baking: 3 min left; next: advance to 25% … ; last decision: advance" */
// Times in the zone every command prints in (--utc / RAMPART_TZ, local by default), the core's own included (F7).
export function statusText(
  p: PlanView,
  now: number,
  zone: TimeZone = timeZoneOf({}),
  current?: CurrentDecision,
): string {
  const at = (ms: number) => formatTime(ms, zone);
  const say = (text: string) => localizeText(text, zone, now);
  const o = p.outlook;
  const d = p.lastDecision;
  return [
    `${p.flagKey} in ${p.env} (${p.connectionId}) — plan ${p.id}: ${p.state.toUpperCase()}`,
    `  at ${o.served ? `${pct(o.served)} in the store (the plan left it at ${pct(p.expected)})` : pct(p.expected)}, step ${p.stepIndex + 1}/${p.policy.steps.length}: ${p.policy.steps.map((s, i) => (i === p.stepIndex ? `[${s.exposure}%]` : `${s.exposure}%${s.approval ? '*' : ''}`)).join(' → ')}`,
    `  ${say(p.reason)}`,
    // A finished plan bakes nothing any more: no live-looking progress line.
    ...(o.finished
      ? []
      : [
          `  bake ${formatDuration(o.bake.elapsedMs)} of ${formatDuration(o.bake.requiredMs)}${o.bake.estimateMs !== null ? ` (decision estimate ${formatDuration(o.bake.estimateMs)})` : ''}; samples ${o.samples.have ?? '?'} of ${o.samples.need}; window: ${o.window.reason}`,
        ]),
    `  next: ${say(o.next.text)}${o.next.at ? ` (≈ ${at(o.next.at)})` : ''}`,
    ...(o.evaluatingSince !== null
      ? [`  runner: evaluating since ${at(o.evaluatingSince)} (${formatDuration(now - o.evaluatingSince)})`]
      : []),
    ...(current ? currentLines(p, now, current, say) : []),
    d
      ? `  last decision the plan acted on ${at(d.computedAt)} (${formatDuration(now - d.computedAt)} ago): ${d.action} — ${say(d.reason)}`
      : '  the plan has not acted on a decision yet',
    ...(p.recovery ? [`  recovery: ${p.recovery.status} — ${p.recovery.message}`] : []),
  ].join('\n');
}

/** The watch's decision now (what `rampart verdict` prints), or why it could not be had. */
export type CurrentDecision = { decision: WatchDecision } | { error: string };

/**
 * What a reader of `plan status` needs beside the plan's own record: the one decision the plan acts on, as it is now
 * (so status and `verdict` never seem to disagree), and whether any runner is moving the plan at all — a RUNNING
 * plan with no runner stays where it is until the app, `rampart serve` or `rampart autopilot` runs.
 */
function currentLines(p: PlanView, now: number, c: CurrentDecision, say: (t: string) => string): string[] {
  if (p.outlook.finished) return [];
  const leased = p.outlook.lease.owner !== null && (p.outlook.lease.expiresAt ?? 0) > now;
  return [
    'error' in c
      ? `  decision now: unavailable (${c.error})`
      : `  decision now: ${c.decision.action} — ${say(c.decision.reason)}`,
    ...(leased
      ? []
      : [
          "  runner: none is running this plan; it moves only while the app, 'rampart serve' or 'rampart autopilot' runs",
        ]),
  ];
}
