import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';

export const PrometheusConnection = z.object({
  ...base,
  kind: z.literal('prometheus'),
  url: httpUrl,
  auth: z.enum(['none', 'bearer', 'basic']).default('none'),
  username: z.string().optional(),
});
export type PrometheusConnection = z.infer<typeof PrometheusConnection>;

export const prometheusKind = defineKind<PrometheusConnection, 'metrics'>({
  kind: 'prometheus',
  role: 'metrics',
  label: 'Prometheus',
  schema: PrometheusConnection,
  fields: [
    { name: 'url', label: 'Prometheus URL', type: 'url', required: true, placeholder: 'http://127.0.0.1:9090' },
    {
      name: 'auth',
      label: 'Authentication',
      type: 'select',
      options: ['none', 'bearer', 'basic'],
      defaultValue: 'none',
    },
    { name: 'username', label: 'Username', type: 'text', when: { field: 'auth', values: ['basic'] } },
    {
      name: 'tokenEnv',
      label: 'Token / password env var',
      type: 'envvar',
      help: TOKEN_HELP,
      when: { field: 'auth', values: ['bearer', 'basic'] },
    },
  ],
  cli: [
    { option: 'url', field: 'url', type: 'string', help: 'the Prometheus server' },
    { option: 'auth', field: 'auth', type: 'string', help: 'none|bearer|basic (default none)' },
    { option: 'username', field: 'username', type: 'string', help: 'user name for basic auth' },
    { ...TOKEN_OPTION, help: 'variable holding the bearer token or the basic-auth password' },
  ],
  // Auth is optional for Prometheus: only bearer/basic need the secret.
  secrets: (c) => (c.auth === 'none' ? [] : ['token']),
  target: (c) => `${c.url}${c.auth !== 'none' ? ` · ${c.auth} auth` : ''}`,
  webHosts: ['prometheus.io'],
});
