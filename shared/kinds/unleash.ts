import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_HELP, TOKEN_OPTION } from './common';

export const UnleashConnection = z.object({
  ...base,
  kind: z.literal('unleash'),
  url: httpUrl,
  project: z.string().min(1).default('default'),
  /** Rollback turns the environment off (default) or sets the rollout to 0. */
  rollbackMode: z.enum(['off', 'zero']).default('off'),
});
export type UnleashConnection = z.infer<typeof UnleashConnection>;

export const unleashKind = defineKind<UnleashConnection, 'flags'>({
  kind: 'unleash',
  role: 'flags',
  label: 'Unleash',
  schema: UnleashConnection,
  fields: [
    { name: 'url', label: 'Unleash URL', type: 'url', required: true, placeholder: 'http://127.0.0.1:4242' },
    { name: 'project', label: 'Project', type: 'text', defaultValue: 'default' },
    {
      name: 'rollbackMode',
      label: 'Rollback turns the environment',
      type: 'select',
      options: ['off', 'zero'],
      defaultValue: 'off',
      help: 'off: disable the environment; zero: set the rollout to 0%',
    },
    {
      name: 'tokenEnv',
      label: 'Admin token env var',
      type: 'envvar',
      placeholder: 'RAMPART_UNLEASH_TOKEN',
      help: TOKEN_HELP,
    },
  ],
  cli: [
    { option: 'url', field: 'url', type: 'string', help: 'the Unleash server, with any base path' },
    { option: 'project', field: 'project', type: 'string', help: 'project (default: default)' },
    {
      option: 'rollback-mode',
      field: 'rollbackMode',
      type: 'string',
      help: 'off|zero: a rollback turns the environment off, or sets the rollout to 0',
    },
    TOKEN_OPTION,
  ],
  secrets: () => ['token'],
  target: (c) => `${c.url} · project ${c.project}`,
  webHosts: ['getunleash.io'],
});
