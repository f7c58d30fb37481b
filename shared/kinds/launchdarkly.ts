import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';

export const LAUNCHDARKLY_API = 'https://app.launchdarkly.com';

export const LaunchDarklyConnection = z.object({
  ...base,
  kind: z.literal('launchdarkly'),
  url: httpUrl.default(LAUNCHDARKLY_API),
  project: z.string().min(1),
});
export type LaunchDarklyConnection = z.infer<typeof LaunchDarklyConnection>;

export const launchDarklyKind = defineKind<LaunchDarklyConnection, 'flags'>({
  kind: 'launchdarkly',
  role: 'flags',
  label: 'LaunchDarkly',
  schema: LaunchDarklyConnection,
  fields: [
    { name: 'url', label: 'LaunchDarkly URL', type: 'url', defaultValue: LAUNCHDARKLY_API },
    { name: 'project', label: 'Project key', type: 'text', required: true },
    {
      name: 'tokenEnv',
      label: 'API access token env var',
      type: 'envvar',
      placeholder: 'RAMPART_LAUNCHDARKLY_TOKEN',
      help: TOKEN_HELP,
    },
  ],
  cli: [
    { option: 'url', field: 'url', type: 'string', help: `API URL (default ${LAUNCHDARKLY_API})` },
    { option: 'project', field: 'project', type: 'string', help: 'project key' },
    TOKEN_OPTION,
  ],
  secrets: () => ['token'],
  target: (c) => `${c.url} · project ${c.project}`,
  webHosts: ['app.launchdarkly.com'],
});
