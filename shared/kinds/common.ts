import { z } from 'zod';

/**
 * What every connection kind shares (shared/kinds/index.ts is the registry): the common fields of a connection
 * schema, and the shape of the plain data each kind declares for the renderer's form and the CLI's options.
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, up to 63 characters');
const name = z.string().trim().min(1).max(100);
/** Name of an environment variable holding a secret (browser host and CLI); never the secret itself. */
export const envVar = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');

export const httpUrl = z
  .string()
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'an http(s) URL');

export const base = {
  id,
  name,
  /** Secrets are referenced, never stored in the database: an env var name, or a safeStorage entry in Electron. */
  tokenEnv: envVar.optional(),
  /** A second secret where the vendor needs two (Datadog application key). */
  appKeyEnv: envVar.optional(),
  /** True when a secret is held in the OS keychain (Electron safeStorage) for this connection. */
  hasStoredSecret: z.boolean().optional(),
  demo: z.boolean().optional(),
};

/** What a connection is for: the Connections view groups by it, and the core builds its adapter by it. */
export type KindRole = 'flags' | 'metrics' | 'notify';

/** Which secret a connection reads: its token (tokenEnv) or its second key (appKeyEnv). */
export type SecretWhich = 'token' | 'appKey';

/** A form field of the Connections view (renderer/src/views/connections/connection-fields.ts renders these). */
export interface KindField {
  name: string;
  label: string;
  type: 'text' | 'url' | 'select' | 'checkbox' | 'envvar' | 'connection' | 'number';
  required?: boolean;
  options?: readonly string[];
  placeholder?: string;
  help?: string;
  defaultValue?: string | boolean;
  /** A comma-separated text becomes an array field (GrowthBook environments, Grafana tags). */
  list?: boolean;
  /** Shown only when another field has one of these values. */
  when?: { field: string; values: readonly string[] };
}

/** An option of `rampart connections add`, and the connection field it fills. */
export interface KindCliOption {
  option: string;
  field: string;
  type: 'string' | 'boolean' | 'number';
  /** A comma-separated list becomes an array field. */
  list?: boolean;
  /** A file path: the CLI resolves a relative one against its working directory before sending (the core wants it absolute). */
  path?: boolean;
  help: string;
}

/**
 * One connection kind as plain data: everything the contract, the renderer's form and the CLI need to know about
 * it. What only the core knows (its adapter, query language, event sink) is in the main-side registry
 * (main/kinds/index.ts), typed against the same list of kinds.
 */
export interface KindSpec<C extends { kind: string }> {
  kind: C['kind'];
  role: KindRole;
  /** The vendor or product, as messages and the form's kind list name it. */
  label: string;
  schema: z.ZodType<C>;
  fields: readonly KindField[];
  cli: readonly KindCliOption[];
  /** The secrets this connection needs as configured (a flagd file none; Prometheus only with bearer/basic auth). */
  secrets: (c: C) => readonly SecretWhich[];
  /** Where it points, for lists: a URL, a file, a site, or the connection it simulates. */
  target: (c: C) => string;
  /** The vendor's own web app and docs: links there open directly in the desktop app (main/electron/security.ts). */
  webHosts?: readonly string[];
}

export const TOKEN_HELP =
  'Name of an environment variable of the Rampart process holding the token — never the token itself.';

/** Declares a kind; the identity function only pins the record's type to its own schema. */
export function defineKind<C extends { kind: string }, R extends KindRole>(
  spec: KindSpec<C> & { role: R },
): KindSpec<C> & { role: R } {
  return spec;
}

/** The token and application-key options most kinds share. */
export const TOKEN_OPTION: KindCliOption = {
  option: 'token-env',
  field: 'tokenEnv',
  type: 'string',
  help: 'variable holding the token',
};
export const APP_KEY_OPTION: KindCliOption = {
  option: 'app-key-env',
  field: 'appKeyEnv',
  type: 'string',
  help: 'variable holding the application key',
};
