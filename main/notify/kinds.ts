import type { AlertmanagerConnection } from '../../shared/kinds/alertmanager';
import type { GrafanaConnection } from '../../shared/kinds/grafana';
import type { PagerDutyConnection } from '../../shared/kinds/pagerduty';
import type { SlackConnection } from '../../shared/kinds/slack';
import type { WebhookConnection } from '../../shared/kinds/webhook';
import { DEFAULT_NOTICE_KINDS, type NoticeKind } from '../../shared/domain/plans';
import type { NotifyKind } from '../kinds/types';
import { remindSlack, remindWebhook } from './reminders';
import { grafana, pagerDuty, slack, webhook } from './sinks';

/** The plan notices a target picked (`events`), else the default set. */
const chosen = (c: { events?: NoticeKind[] }, kind: NoticeKind) => (c.events ?? DEFAULT_NOTICE_KINDS).includes(kind);

export const slackMain: NotifyKind<SlackConnection> = {
  deliver: (c, n, _plan, ctx) => slack(c, n, ctx).then(() => undefined),
  wants: chosen,
  remind: remindSlack,
};
export const webhookMain: NotifyKind<WebhookConnection> = {
  deliver: (c, n, _plan, ctx) => webhook(c, n, ctx).then(() => undefined),
  wants: chosen,
  remind: remindWebhook,
};
export const pagerDutyMain: NotifyKind<PagerDutyConnection> = {
  deliver: (c, n, _plan, ctx) => pagerDuty(c, n, ctx).then(() => undefined),
  wants: chosen,
};
/** Every step and transition is an annotation. */
export const grafanaMain: NotifyKind<GrafanaConnection> = {
  deliver: (c, n, plan, ctx) => grafana(c, n, plan, ctx),
  wants: () => true,
};
/**
 * An inbound trigger (main/plans/alert-receiver.ts): nothing to send. Its test checks the token it expects is
 * available and says where it listens.
 */
export const alertmanagerMain: NotifyKind<AlertmanagerConnection> = {
  deliver: () => Promise.resolve(undefined),
  wants: () => false,
  test: (c, secret) =>
    secret
      ? {
          ok: true,
          message: `${c.name}: token available; point Alertmanager's webhook_configs at http://<host>:<port>/alertmanager/${c.id} on \`rampart autopilot --listen\``,
        }
      : {
          ok: false,
          message: `${c.name}: no bearer token available${c.tokenEnv ? ` (${c.tokenEnv} is not set)` : ''}: Alertmanager's requests would all be refused`,
        },
};
