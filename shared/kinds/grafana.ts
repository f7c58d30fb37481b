import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';
import { URL_OPTION } from './notify-common';

export const GrafanaConnection = z.object({
  ...base,
  kind: z.literal('grafana'),
  url: httpUrl,
  dashboardUID: z.string().min(1).max(100).optional(),
  panelId: z.number().int().min(0).optional(),
  tags: z.array(z.string().min(1).max(100)).max(20).default([]),
});
export type GrafanaConnection = z.infer<typeof GrafanaConnection>;
export const grafanaKind = defineKind<GrafanaConnection, 'notify'>({
  kind: 'grafana',
  role: 'notify',
  label: 'Grafana annotations',
  schema: GrafanaConnection,
  fields: [
    { name: 'url', label: 'Grafana URL', type: 'url', required: true, placeholder: 'http://127.0.0.1:3000' },
    { name: 'dashboardUID', label: 'Dashboard UID (optional)', type: 'text' },
    {
      name: 'tokenEnv',
      label: 'Service account token env var',
      type: 'envvar',
      required: true,
      placeholder: 'RAMPART_GRAFANA_TOKEN',
      help: TOKEN_HELP,
    },
  ],
  cli: [
    { ...URL_OPTION, help: 'the Grafana server' },
    { option: 'dashboard-uid', field: 'dashboardUID', type: 'string', help: 'annotate this dashboard only' },
    { option: 'panel-id', field: 'panelId', type: 'number', help: 'annotate this panel only' },
    { option: 'tags', field: 'tags', type: 'string', list: true, help: 'comma-separated annotation tags' },
    { ...TOKEN_OPTION, help: 'variable holding the service account token' },
  ],
  secrets: () => ['token'],
  target: (c) => c.url,
});
