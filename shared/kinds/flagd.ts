import { z } from 'zod';
import { base, defineKind } from './common';

/**
 * A flagd file has no environments; one file serves one environment, named here. `file` must be an absolute path to
 * a regular file: checked at save by the flagd kind's record (main/flags/flagd/flagd-connection-check.ts), not here,
 * so a connection stored before the rule still loads (and is refused when saved again).
 */
export const FlagdConnection = z.object({
  ...base,
  kind: z.literal('flagd'),
  file: z.string().min(1),
  environment: z.string().min(1).default('production'),
});
export type FlagdConnection = z.infer<typeof FlagdConnection>;

export const flagdKind = defineKind<FlagdConnection, 'flags'>({
  kind: 'flagd',
  role: 'flags',
  label: 'flagd file',
  schema: FlagdConnection,
  fields: [
    {
      name: 'file',
      label: 'Flag file (flagd JSON)',
      type: 'text',
      required: true,
      placeholder: '/etc/flagd/flags.json',
      help: 'The absolute path of a flagd JSON file on this machine.',
    },
    { name: 'environment', label: 'Environment this file serves', type: 'text', defaultValue: 'production' },
  ],
  cli: [
    {
      option: 'file',
      field: 'file',
      type: 'string',
      path: true,
      help: 'the flagd JSON file (saved as an absolute path)',
    },
    {
      option: 'environment',
      field: 'environment',
      type: 'string',
      help: 'the environment this file serves (default production)',
    },
  ],
  secrets: () => [],
  target: (c) => `${c.file} (${c.environment})`,
  webHosts: ['flagd.dev'],
});
