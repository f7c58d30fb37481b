import { KINDS } from '../../shared/kinds';
import type {
  Connection,
  ConnectionKind,
  FlagConnection,
  MetricsConnection,
  NotifyConnection,
} from '../../shared/domain/connections';
import { datadogMain } from '../metrics/datadog/kind';
import { prometheusMain } from '../metrics/prometheus/kind';
import { simulatedMain } from '../demo/kind';
import { flagdMain } from '../flags/flagd/kind';
import { flagsmithMain } from '../flags/flagsmith/kind';
import { growthBookMain } from '../flags/growthbook/kind';
import { launchDarklyMain } from '../flags/launchdarkly/kind';
import { unleashMain } from '../flags/unleash/kind';
import { alertmanagerMain, grafanaMain, pagerDutyMain, slackMain, webhookMain } from '../notify/kinds';
import type { FlagKind, KindChecks, MainKind, MetricsKind, NotifyKind } from './types';

/**
 * The core's connection-kind registry: one line per kind, next to the shared one (shared/kinds/index.ts). Typed
 * by each kind's role there, so a kind added to the contract without its adapter here — or registered with the
 * wrong role's record — does not compile (docs/adding-a-connection-kind.md).
 */
export const MAIN_KINDS = {
  flagd: flagdMain,
  unleash: unleashMain,
  flagsmith: flagsmithMain,
  launchdarkly: launchDarklyMain,
  growthbook: growthBookMain,
  simulated: simulatedMain,
  prometheus: prometheusMain,
  datadog: datadogMain,
  slack: slackMain,
  webhook: webhookMain,
  pagerduty: pagerDutyMain,
  grafana: grafanaMain,
  alertmanager: alertmanagerMain,
} satisfies { [K in ConnectionKind]: MainKind<K> };

// The registry is keyed by the same discriminant as the union, so a lookup by `c.kind` is that kind's record; the
// casts below only say so to the compiler, which cannot correlate a union value with a mapped-type key.
export function flagKind<C extends FlagConnection>(c: C): FlagKind<C> {
  return MAIN_KINDS[c.kind] as unknown as FlagKind<C>;
}
export function metricsKind<C extends MetricsConnection>(c: C): MetricsKind<C> {
  return MAIN_KINDS[c.kind] as unknown as MetricsKind<C>;
}
export function notifyKind<C extends NotifyConnection>(c: C): NotifyKind<C> {
  return MAIN_KINDS[c.kind] as unknown as NotifyKind<C>;
}

/** The kind's own save-time check of a connection (KindChecks.checkConnection); kinds without one accept it. */
export async function checkConnection(c: Connection): Promise<void> {
  const record = MAIN_KINDS[c.kind] as KindChecks<Connection>;
  await record.checkConnection?.(c);
}

/** Label values for the control arm that a flag store's kind adds (none for other kinds). */
export function controlLabelsOfKind(kind: ConnectionKind | null): readonly string[] {
  if (!kind || KINDS[kind].role !== 'flags') return [];
  return (MAIN_KINDS[kind] as FlagKind<FlagConnection>).controlLabels ?? [];
}

export type { AdapterDeps, FlagKind, MetricsKind, NotifyKind, RenderInput } from './types';
