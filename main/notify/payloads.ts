import type { PlanNotice } from '../../shared/domain/plans';

/**
 * The bodies each target documents (docs/integrations.md "Notification and event targets"), built from one
 * PlanNotice. Pure, so the shapes are unit-tested against the documented fields.
 */
const ICON: Record<PlanNotice['severity'], string> = {
  info: ':information_source:',
  warning: ':warning:',
  error: ':rotating_light:',
  critical: ':rotating_light:',
};

/** Slack incoming webhook: `{text, blocks?}`; `text` is the fallback shown in notifications. */
export function slackBody(n: PlanNotice): { text: string; blocks: unknown[] } {
  const text = `${ICON[n.severity]} *${n.title}*\n${n.body}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Rampart plan \`${n.planId}\` · flag \`${n.flagKey}\` · ${n.env} · ${new Date(n.at).toISOString()}`,
          },
        ],
      },
    ],
  };
}

/** A generic JSON webhook: the notice itself, versioned, so any receiver can route on `kind`. */
export function webhookBody(n: PlanNotice): { source: 'rampart'; version: 1; notice: PlanNotice } {
  return { source: 'rampart', version: 1, notice: n };
}

/** PagerDuty Events API v2: one incident per plan (dedup_key); a recovery or completion resolves it. */
export function pagerDutyBody(n: PlanNotice, routingKey: string): Record<string, unknown> {
  const dedup_key = `rampart-plan-${n.planId}`;
  if (n.kind === 'recovered' || n.kind === 'completed' || n.kind === 'resumed')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: `${n.title}: ${n.body}`.slice(0, 1024),
      source: 'rampart',
      severity: n.severity,
      timestamp: new Date(n.at).toISOString(),
      component: n.flagKey,
      group: n.env,
      class: n.kind,
      custom_details: { planId: n.planId, connectionId: n.connectionId, exposure: n.exposure, body: n.body },
    },
  };
}

/** Grafana `POST /api/annotations`: `timeEnd` makes a region; tags let a dashboard pick Rampart's annotations. */
export function grafanaAnnotation(
  n: PlanNotice,
  o: { tags: readonly string[]; dashboardUID?: string; panelId?: number; region: boolean },
): Record<string, unknown> {
  return {
    time: n.at,
    ...(o.region ? { timeEnd: n.at } : {}),
    tags: ['rampart', `flag:${n.flagKey}`, `env:${n.env}`, `plan:${n.planId}`, n.kind, ...o.tags],
    text: `${n.title}${n.body ? ` — ${n.body}` : ''}`,
    ...(o.dashboardUID ? { dashboardUID: o.dashboardUID } : {}),
    ...(o.panelId !== undefined ? { panelId: o.panelId } : {}),
  };
}

export const SEVERITY: Record<PlanNotice['kind'], PlanNotice['severity']> = {
  started: 'info',
  advanced: 'info',
  resumed: 'info',
  completed: 'info',
  recovered: 'info',
  'approval-needed': 'warning',
  paused: 'warning',
  aborted: 'warning',
  rollback: 'error',
  'not-recovered': 'critical',
};
