import { z } from 'zod';
import { base, defineKind, TOKEN_OPTION } from './common';
import { EVENTS_OPTION, noticeKinds } from './notify-common';

export const SlackConnection = z.object({ ...base, kind: z.literal('slack'), events: noticeKinds });
export type SlackConnection = z.infer<typeof SlackConnection>;
export const slackKind = defineKind<SlackConnection, 'notify'>({
  kind: 'slack',
  role: 'notify',
  label: 'Slack-compatible webhook',
  schema: SlackConnection,
  fields: [
    {
      name: 'tokenEnv',
      label: 'Webhook URL env var',
      type: 'envvar',
      required: true,
      placeholder: 'RAMPART_SLACK_WEBHOOK',
      help: 'The webhook URL is the secret: name the variable that holds it.',
    },
  ],
  cli: [{ ...TOKEN_OPTION, help: 'variable holding the webhook URL (the URL is the secret)' }, EVENTS_OPTION],
  secrets: () => ['token'],
  target: (c) => `webhook URL from $${c.tokenEnv ?? '?'}`,
});
