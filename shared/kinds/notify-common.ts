import { z } from 'zod';
import { NOTICE_KINDS } from '../domain/plans';
import type { KindCliOption } from './common';

/**
 * Notification and event targets (docs/integrations.md "Notification and event targets", docs/autopilot.md). Their
 * secrets follow the token rules: `tokenEnv` names the variable holding the Slack webhook URL (the URL is the
 * secret), the generic webhook's bearer token, the PagerDuty routing key, the Grafana service-account token, or the
 * bearer token an Alertmanager trigger expects. `events` picks which plan notices a target gets.
 */
export const noticeKinds = z.array(z.enum(NOTICE_KINDS)).max(NOTICE_KINDS.length).optional();
export const EVENTS_OPTION: KindCliOption = {
  option: 'events',
  field: 'events',
  type: 'string',
  list: true,
  help: `comma-separated plan notices (${NOTICE_KINDS.join(', ')})`,
};
export const URL_OPTION: KindCliOption = { option: 'url', field: 'url', type: 'string', help: 'where to send' };
