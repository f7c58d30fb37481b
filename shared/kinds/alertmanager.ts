import { z } from 'zod';
import { base, defineKind, TOKEN_OPTION } from './common';

/** An inbound trigger: Alertmanager's webhook receiver on `rampart autopilot --listen` pauses or rolls back a plan. */
export const AlertmanagerConnection = z.object({
  ...base,
  kind: z.literal('alertmanager'),
  action: z.enum(['pause', 'rollback']),
  /** Which plans a firing alert acts on; unset fields come from the alert's `rampart_flag` / `rampart_env` labels. */
  flagKey: z.string().min(1).max(200).optional(),
  env: z.string().min(1).max(100).optional(),
  flagConnectionId: z.string().optional(),
});
export type AlertmanagerConnection = z.infer<typeof AlertmanagerConnection>;
export const alertmanagerKind = defineKind<AlertmanagerConnection, 'notify'>({
  kind: 'alertmanager',
  role: 'notify',
  label: 'Alertmanager trigger',
  schema: AlertmanagerConnection,
  fields: [
    {
      name: 'action',
      label: 'A firing alert',
      type: 'select',
      options: ['pause', 'rollback'],
      defaultValue: 'pause',
      help: 'pauses or rolls back the plan of the flag it names',
    },
    { name: 'flagKey', label: 'Flag (else the alert’s rampart_flag label)', type: 'text' },
    { name: 'env', label: 'Environment (else its rampart_env label)', type: 'text' },
    {
      name: 'tokenEnv',
      label: 'Bearer token env var',
      type: 'envvar',
      required: true,
      placeholder: 'RAMPART_ALERTMANAGER_TOKEN',
      help: 'Alertmanager sends it (http_config.authorization); requests without it are refused.',
    },
  ],
  cli: [
    { option: 'action', field: 'action', type: 'string', help: 'pause|rollback: what a firing alert does' },
    { option: 'flag-key', field: 'flagKey', type: 'string', help: 'the flag (else the alert’s rampart_flag label)' },
    { option: 'env', field: 'env', type: 'string', help: 'the environment (else its rampart_env label)' },
    { option: 'flag-connection', field: 'flagConnectionId', type: 'string', help: 'the flag connection' },
    { ...TOKEN_OPTION, help: 'variable holding the bearer token Alertmanager sends' },
  ],
  secrets: () => ['token'],
  target: (c) => `inbound alerts → ${c.action} ${c.flagKey ?? 'the alert’s flag'}`,
});
