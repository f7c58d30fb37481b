import type { Connection, ConnectionKind } from '../domain/connections';
import type { KindCliOption, KindRole, KindSpec, SecretWhich } from './common';
import { alertmanagerKind } from './alertmanager';
import { datadogKind } from './datadog';
import { flagdKind } from './flagd';
import { flagsmithKind } from './flagsmith';
import { grafanaKind } from './grafana';
import { growthBookKind } from './growthbook';
import { launchDarklyKind } from './launchdarkly';
import { pagerDutyKind } from './pagerduty';
import { prometheusKind } from './prometheus';
import { simulatedKind } from './simulated';
import { slackKind } from './slack';
import { unleashKind } from './unleash';
import { webhookKind } from './webhook';

/**
 * The connection-kind registry: one line per kind (docs/adding-a-connection-kind.md). Typed against the contract's
 * union, so a kind added there without a line here — or a line whose record does not fit its schema — does not
 * compile. The renderer's form, the CLI's options, roles, secrets and list targets all come from here; the core's
 * side (adapters, query languages, event sinks) is main/kinds/index.ts.
 */
export const KINDS = {
  flagd: flagdKind,
  unleash: unleashKind,
  flagsmith: flagsmithKind,
  launchdarkly: launchDarklyKind,
  growthbook: growthBookKind,
  simulated: simulatedKind,
  prometheus: prometheusKind,
  datadog: datadogKind,
  slack: slackKind,
  webhook: webhookKind,
  pagerduty: pagerDutyKind,
  grafana: grafanaKind,
  alertmanager: alertmanagerKind,
} satisfies { [K in ConnectionKind]: KindSpec<Extract<Connection, { kind: K }>> };

type Kinds = typeof KINDS;
/** The kinds whose record says `role: R`. */
export type KindsWithRole<R extends KindRole> = {
  [K in keyof Kinds]: Kinds[K]['role'] extends R ? K : never;
}[keyof Kinds];

/** A connection's record, typed for that connection (the registry is keyed by the same discriminant). */
export function kindSpec<C extends Connection>(c: C): KindSpec<C> {
  return KINDS[c.kind as ConnectionKind] as unknown as KindSpec<C>;
}

export function specOfKind(kind: ConnectionKind): KindSpec<Connection> {
  return KINDS[kind] as unknown as KindSpec<Connection>;
}

export const ALL_KINDS = Object.keys(KINDS) as ConnectionKind[];

/** Every kind with this role, in registry order. */
export function kindsWithRole<R extends KindRole>(role: R): readonly KindsWithRole<R>[] {
  return ALL_KINDS.filter((k) => KINDS[k].role === role) as KindsWithRole<R>[];
}

/** The secrets this connection needs as configured. */
export function secretsNeeded(c: Connection): readonly SecretWhich[] {
  return kindSpec(c).secrets(c);
}

/**
 * Every option `rampart connections add` takes, merged over all kinds: one option name fills one field with one
 * type whichever kind uses it (a test holds the registry to that), and lists the kinds that take it.
 */
export function cliOptions(): (KindCliOption & { kinds: ConnectionKind[] })[] {
  const byName = new Map<string, KindCliOption & { kinds: ConnectionKind[] }>();
  for (const kind of ALL_KINDS) {
    for (const o of specOfKind(kind).cli) {
      const seen = byName.get(o.option);
      if (seen) seen.kinds.push(kind);
      else byName.set(o.option, { ...o, kinds: [kind] });
    }
  }
  return [...byName.values()];
}

export type { KindCliOption, KindField, KindRole, KindSpec, SecretWhich } from './common';
