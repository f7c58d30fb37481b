/**
 * The form fields per connection kind — generated from the shared kind registry (shared/kinds/), so a new kind's
 * form comes with its record — and the conversion from form values to a Connection payload. Secrets are never
 * typed here: only the NAME of the environment variable that holds one. The core validates the result; this only
 * shapes it.
 */
import type { Connection, ConnectionKind } from '../../../../shared/domain/connections';
import { ALL_KINDS, secretsNeeded, specOfKind, type KindField } from '../../../../shared/kinds';

export type FieldSpec = KindField;

export const FIELDS = Object.fromEntries(ALL_KINDS.map((k) => [k, specOfKind(k).fields])) as Record<
  ConnectionKind,
  readonly FieldSpec[]
>;

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
    else if (typeof v === 'number') values[f.name] = String(v);
    else if (Array.isArray(v)) values[f.name] = v.join(', ');
    else values[f.name] = f.defaultValue ?? (f.type === 'checkbox' ? false : '');
  }
  return values;
}

/**
 * The payload for connections:save. Empty optional text fields are left out (so zod defaults apply); hidden
 * fields are dropped; flags the form does not edit (demo, stored secret) are carried over from `existing`.
 */
export function buildConnection(kind: ConnectionKind, values: FormValues, existing?: Connection): Connection {
  const out: Record<string, unknown> = {
    kind,
    id: String(values.id ?? '').trim(),
    name: String(values.name ?? '').trim(),
  };
  for (const f of FIELDS[kind]) {
    if (!isVisible(f, values)) continue;
    const v = values[f.name];
    if (f.type === 'checkbox') out[f.name] = v === true;
    else if (typeof v !== 'string' || v.trim() === '') continue;
    else if (f.list)
      out[f.name] = v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
    else if (f.type === 'number')
      out[f.name] = Number(v.trim()); // not a number: the schema says so under the field
    else out[f.name] = v.trim();
  }
  if (existing?.demo !== undefined) out.demo = existing.demo;
  if (existing?.hasStoredSecret !== undefined) out.hasStoredSecret = existing.hasStoredSecret;
  // The contract's schema is the judge of validity; this cast only names the shape we built.
  return out as Connection;
}

/** Whether this connection needs a secret as configured (Prometheus without auth does not). */
export function needsSecret(c: Connection): boolean {
  return secretsNeeded(c).length > 0;
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
