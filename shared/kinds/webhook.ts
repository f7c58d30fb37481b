import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';
import { EVENTS_OPTION, noticeKinds, URL_OPTION } from './notify-common';

export const WebhookConnection = z.object({ ...base, kind: z.literal('webhook'), url: httpUrl, events: noticeKinds });
export type WebhookConnection = z.infer<typeof WebhookConnection>;
export const webhookKind = defineKind<WebhookConnection, 'notify'>({
  kind: 'webhook',
  role: 'notify',
  label: 'Webhook',
  schema: WebhookConnection,
  fields: [
    {
      name: 'url',
      label: 'Webhook URL',
      type: 'url',
      required: true,
      placeholder: 'https://hooks.example.com/rampart',
    },
    { name: 'tokenEnv', label: 'Bearer token env var (optional)', type: 'envvar', help: TOKEN_HELP },
  ],
  cli: [URL_OPTION, { ...TOKEN_OPTION, help: 'variable holding the bearer token (optional)' }, EVENTS_OPTION],
  secrets: (c) => (c.tokenEnv || c.hasStoredSecret ? ['token'] : []),
  target: (c) => c.url,
});
