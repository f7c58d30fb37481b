/**
 * The form fields per connection kind (mirroring shared/domain/connections.ts) and the conversion from form
 * values to a Connection payload. Secrets are never typed here: only the NAME of the environment variable that
 * holds one. The core validates the result; this only shapes it.
 */
import type { Connection, ConnectionKind } from '../../../../shared/domain/connections';

export interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'url' | 'select' | 'checkbox' | 'envvar' | 'connection';
  required?: boolean;
  options?: readonly string[];
  placeholder?: string;
  help?: string;
  defaultValue?: string | boolean;
  /** Shown only when another field has one of these values. */
  when?: { field: string; values: readonly string[] };
}

const TOKEN_HELP = 'Name of an environment variable of the Rampart process holding the token — never the token itself.';

export const FIELDS: Record<ConnectionKind, readonly FieldSpec[]> = {
  flagd: [
    { name: 'file', label: 'Flag file (flagd JSON)', type: 'text', required: true, placeholder: '/etc/flagd/flags.json' },
    { name: 'environment', label: 'Environment this file serves', type: 'text', defaultValue: 'production' },
  ],
  unleash: [
    { name: 'url', label: 'Unleash URL', type: 'url', required: true, placeholder: 'http://127.0.0.1:4242' },
    { name: 'project', label: 'Project', type: 'text', defaultValue: 'default' },
    { name: 'rollbackMode', label: 'Rollback turns the environment', type: 'select', options: ['off', 'zero'], defaultValue: 'off', help: 'off: disable the environment; zero: set the rollout to 0%' },
    { name: 'tokenEnv', label: 'Admin token env var', type: 'envvar', placeholder: 'UNLEASH_ADMIN_TOKEN', help: TOKEN_HELP },
  ],
  flagsmith: [
    { name: 'url', label: 'Flagsmith API URL', type: 'url', defaultValue: 'https://api.flagsmith.com' },
    { name: 'project', label: 'Project id', type: 'text', required: true },
    { name: 'tokenEnv', label: 'Admin API token env var', type: 'envvar', placeholder: 'FLAGSMITH_TOKEN', help: TOKEN_HELP },
  ],
  launchdarkly: [
    { name: 'url', label: 'LaunchDarkly URL', type: 'url', defaultValue: 'https://app.launchdarkly.com' },
    { name: 'project', label: 'Project key', type: 'text', required: true },
    { name: 'tokenEnv', label: 'API access token env var', type: 'envvar', placeholder: 'LD_API_TOKEN', help: TOKEN_HELP },
  ],
  simulated: [{ name: 'flagConnectionId', label: 'Flag connection it simulates traffic for', type: 'connection', required: true }],
  prometheus: [
    { name: 'url', label: 'Prometheus URL', type: 'url', required: true, placeholder: 'http://127.0.0.1:9090' },
    { name: 'auth', label: 'Authentication', type: 'select', options: ['none', 'bearer', 'basic'], defaultValue: 'none' },
    { name: 'username', label: 'Username', type: 'text', when: { field: 'auth', values: ['basic'] } },
    { name: 'tokenEnv', label: 'Token / password env var', type: 'envvar', help: TOKEN_HELP, when: { field: 'auth', values: ['bearer', 'basic'] } },
  ],
  datadog: [
    { name: 'site', label: 'Site', type: 'text', defaultValue: 'datadoghq.com', help: 'datadoghq.com, datadoghq.eu, us3.datadoghq.com…' },
    { name: 'tokenEnv', label: 'API key env var', type: 'envvar', placeholder: 'DD_API_KEY', help: TOKEN_HELP },
    { name: 'appKeyEnv', label: 'Application key env var', type: 'envvar', placeholder: 'DD_APP_KEY', help: TOKEN_HELP },
    { name: 'postEvents', label: 'Post ramps and rollbacks as Datadog events', type: 'checkbox', defaultValue: false },
  ],
};

export type FormValues = Record<string, string | boolean>;

export function isVisible(f: FieldSpec, values: FormValues): boolean {
  if (!f.when) return true;
  return f.when.values.includes(String(values[f.when.field] ?? ''));
}

/** Initial form values: from an existing connection, else the fields' defaults. */
export function initialValues(kind: ConnectionKind, existing?: Connection): FormValues {
  const values: FormValues = { id: existing?.id ?? '', name: existing?.name ?? '' };
  const src = (existing ?? {}) as Record<string, unknown>;
  for (const f of FIELDS[kind]) {
    const v = src[f.name];
    if (typeof v === 'string' || typeof v === 'boolean') values[f.name] = v;
    else values[f.name] = f.defaultValue ?? (f.type === 'checkbox' ? false : '');
  }
  return values;
}

/**
 * The payload for connections:save. Empty optional text fields are left out (so zod defaults apply); hidden
 * fields are dropped; flags the form does not edit (demo, stored secret) are carried over from `existing`.
 */
export function buildConnection(kind: ConnectionKind, values: FormValues, existing?: Connection): Connection {
  const out: Record<string, unknown> = { kind, id: String(values.id ?? '').trim(), name: String(values.name ?? '').trim() };
  for (const f of FIELDS[kind]) {
    if (!isVisible(f, values)) continue;
    const v = values[f.name];
    if (f.type === 'checkbox') out[f.name] = v === true;
    else if (typeof v === 'string' && v.trim() !== '') out[f.name] = v.trim();
  }
  if (existing?.demo !== undefined) out.demo = existing.demo;
  if (existing?.hasStoredSecret !== undefined) out.hasStoredSecret = existing.hasStoredSecret;
  // The contract's schema is the judge of validity; this cast only names the shape we built.
  return out as Connection;
}

/** Whether this connection needs a secret as configured (Prometheus without auth does not). */
export function needsSecret(c: Connection): boolean {
  if (c.kind === 'prometheus') return c.auth !== 'none';
  return usesSecret(c.kind);
}

/** Whether a kind uses a secret at all (flagd files and the simulator do not). */
export function usesSecret(kind: ConnectionKind): boolean {
  return FIELDS[kind].some((f) => f.type === 'envvar');
}

/** A connection id proposed from its name: lower-case letters, digits and dashes, as the schema requires. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}
