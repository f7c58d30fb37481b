import { z } from 'zod';
import { base, defineKind, httpUrl, TOKEN_OPTION, type KindCliOption, type KindField } from './common';

/**
 * The GrowthBook connection kind (docs/growthbook.md): its zod schema, and its form fields and CLI options as plain
 * data, from which the renderer's form and the CLI's options are generated (shared/kinds/index.ts).
 */

/** GrowthBook environment ids: what its Environments page accepts (letters, digits, `-`, `_`). */
const environmentId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a GrowthBook environment id (letters, digits, - and _)');

export const GROWTHBOOK_CLOUD_API = 'https://api.growthbook.io';

export const GrowthBookConnection = z.object({
  ...base,
  kind: z.literal('growthbook'),
  /** The API host: GrowthBook Cloud, or a self-hosted server's API_HOST (port 3100 by default), without `/api`. */
  url: httpUrl.default(GROWTHBOOK_CLOUD_API),
  /** A project id (`prj_…`): only its features, and the environments scoped to it. Absent: every feature. */
  project: z.string().trim().min(1).max(100).optional(),
  /**
   * Which environments Rampart shows and acts on. Absent: every environment of the organization that applies to
   * the project (an environment scoped to other projects is left out).
   */
  environments: z.array(environmentId).min(1).max(50).optional(),
});
export type GrowthBookConnection = z.infer<typeof GrowthBookConnection>;
export type { KindCliOption, KindField } from './common';

export const GROWTHBOOK_FIELDS: readonly KindField[] = [
  {
    name: 'url',
    label: 'GrowthBook API host',
    type: 'url',
    defaultValue: GROWTHBOOK_CLOUD_API,
    help: 'GrowthBook Cloud, or your self-hosted API_HOST (e.g. http://127.0.0.1:3100), without /api',
  },
  {
    name: 'project',
    label: 'Project id (optional)',
    type: 'text',
    placeholder: 'prj_abc123',
    help: 'Only this project’s features and environments',
  },
  {
    name: 'environments',
    label: 'Environments (optional)',
    type: 'text',
    list: true,
    placeholder: 'production, staging',
    help: 'Comma-separated; empty: every environment of the project',
  },
  {
    name: 'tokenEnv',
    label: 'Secret API key env var',
    type: 'envvar',
    required: true,
    placeholder: 'RAMPART_GROWTHBOOK_KEY',
    help: 'Name of an environment variable of the Rampart process holding a secret_… key (admin, or a personal access token) — never the key itself.',
  },
];

export const GROWTHBOOK_CLI_OPTIONS: readonly KindCliOption[] = [
  { option: 'url', field: 'url', type: 'string', help: `API host (default ${GROWTHBOOK_CLOUD_API})` },
  { option: 'project', field: 'project', type: 'string', help: 'project id (prj_…); default: every feature' },
  {
    option: 'environments',
    field: 'environments',
    type: 'string',
    list: true,
    help: 'comma-separated environment ids; default: every environment of the project',
  },
  { ...TOKEN_OPTION, help: 'variable holding the secret API key' },
];

export const growthBookKind = defineKind<GrowthBookConnection, 'flags'>({
  kind: 'growthbook',
  role: 'flags',
  label: 'GrowthBook',
  schema: GrowthBookConnection,
  fields: GROWTHBOOK_FIELDS,
  cli: GROWTHBOOK_CLI_OPTIONS,
  secrets: () => ['token'],
  target: (c) =>
    `${c.url}${c.project ? ` · project ${c.project}` : ''}${c.environments ? ` · ${c.environments.join(', ')}` : ''}`,
  webHosts: ['app.growthbook.io', 'docs.growthbook.io'],
});
