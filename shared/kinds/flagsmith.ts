import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';

export const FLAGSMITH_API = 'https://api.flagsmith.com';

export const FlagsmithConnection = z.object({
  ...base,
  kind: z.literal('flagsmith'),
  url: httpUrl.default(FLAGSMITH_API),
  project: z.string().min(1),
});
export type FlagsmithConnection = z.infer<typeof FlagsmithConnection>;

export const flagsmithKind = defineKind<FlagsmithConnection, 'flags'>({
  kind: 'flagsmith',
  role: 'flags',
  label: 'Flagsmith',
  schema: FlagsmithConnection,
  fields: [
    { name: 'url', label: 'Flagsmith API URL', type: 'url', defaultValue: FLAGSMITH_API },
    { name: 'project', label: 'Project id', type: 'text', required: true },
    {
      name: 'tokenEnv',
      label: 'Admin API token env var',
      type: 'envvar',
      placeholder: 'RAMPART_FLAGSMITH_TOKEN',
      help: TOKEN_HELP,
    },
  ],
  cli: [
    { option: 'url', field: 'url', type: 'string', help: `API URL (default ${FLAGSMITH_API})` },
    { option: 'project', field: 'project', type: 'string', help: 'project id' },
    TOKEN_OPTION,
  ],
  secrets: () => ['token'],
  target: (c) => `${c.url} · project ${c.project}`,
  webHosts: ['app.flagsmith.com'],
});
