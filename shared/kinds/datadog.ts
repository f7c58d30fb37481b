import { z } from 'zod';
import { APP_KEY_OPTION, base, defineKind, TOKEN_HELP, TOKEN_OPTION } from './common';

export const DatadogConnection = z.object({
  ...base,
  kind: z.literal('datadog'),
  /** e.g. datadoghq.com, datadoghq.eu, us3.datadoghq.com; or a full URL for a local test server. */
  site: z.string().min(1).default('datadoghq.com'),
  /** Post Rampart's ramps and rollbacks as Datadog events. Off by default. */
  postEvents: z.boolean().default(false),
});
export type DatadogConnection = z.infer<typeof DatadogConnection>;

export const datadogKind = defineKind<DatadogConnection, 'metrics'>({
  kind: 'datadog',
  role: 'metrics',
  label: 'Datadog',
  schema: DatadogConnection,
  fields: [
    {
      name: 'site',
      label: 'Site',
      type: 'text',
      defaultValue: 'datadoghq.com',
      help: 'datadoghq.com, datadoghq.eu, us3.datadoghq.com…',
    },
    {
      name: 'tokenEnv',
      label: 'API key env var',
      type: 'envvar',
      placeholder: 'RAMPART_DATADOG_API_KEY',
      help: TOKEN_HELP,
    },
    {
      name: 'appKeyEnv',
      label: 'Application key env var',
      type: 'envvar',
      placeholder: 'RAMPART_DATADOG_APP_KEY',
      help: TOKEN_HELP,
    },
    { name: 'postEvents', label: 'Post ramps and rollbacks as Datadog events', type: 'checkbox', defaultValue: false },
  ],
  cli: [
    { option: 'site', field: 'site', type: 'string', help: 'datadoghq.com, datadoghq.eu, … (default datadoghq.com)' },
    { ...TOKEN_OPTION, help: 'variable holding the API key' },
    APP_KEY_OPTION,
    { option: 'post-events', field: 'postEvents', type: 'boolean', help: 'post ramps and rollbacks as Datadog events' },
  ],
  secrets: () => ['token', 'appKey'],
  target: (c) => c.site,
  webHosts: ['datadoghq.com', 'datadoghq.eu', 'ddog-gov.com'],
});
