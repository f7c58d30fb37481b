import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';
import { EVENTS_OPTION, noticeKinds, URL_OPTION } from './notify-common';

export const PAGERDUTY_API = 'https://events.pagerduty.com';
export const PagerDutyConnection = z.object({
  ...base,
  kind: z.literal('pagerduty'),
  url: httpUrl.default(PAGERDUTY_API),
  events: noticeKinds,
});
export type PagerDutyConnection = z.infer<typeof PagerDutyConnection>;
export const pagerDutyKind = defineKind<PagerDutyConnection, 'notify'>({
  kind: 'pagerduty',
  role: 'notify',
  label: 'PagerDuty',
  schema: PagerDutyConnection,
  fields: [
    { name: 'url', label: 'Events API URL', type: 'url', defaultValue: PAGERDUTY_API },
    {
      name: 'tokenEnv',
      label: 'Routing key env var',
      type: 'envvar',
      required: true,
      placeholder: 'RAMPART_PAGERDUTY_KEY',
      help: TOKEN_HELP,
    },
  ],
  cli: [
    { ...URL_OPTION, help: `Events API URL (default ${PAGERDUTY_API})` },
    { ...TOKEN_OPTION, help: 'variable holding the routing key' },
    EVENTS_OPTION,
  ],
  secrets: () => ['token'],
  target: (c) => c.url,
});
