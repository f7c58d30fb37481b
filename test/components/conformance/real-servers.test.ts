import { afterAll } from 'vitest';
import { describeFlagStore } from '../../conformance/flag-store-suite';
import {
  makeUnleashHistory,
  unleashFixture,
  UNLEASH_TRAITS,
  type UnleashHistory,
} from '../../conformance/fixtures/unleash';
import { prometheusFixture, PROMETHEUS_TRAITS } from '../../conformance/fixtures/prometheus';
import { describeMetricsProvider } from '../../conformance/metrics-provider-suite';
import { startPrometheusWithHistory, type PrometheusWithHistory } from '../prometheus/harness';
import { startUnleash, type RunningUnleash } from '../unleash/harness';

/**
 * The conformance suites (issue 13) against the real servers that run here: one Unleash 6.10.1 (+ PostgreSQL 15)
 * for both rollback modes, and one Prometheus 2.42 with two hours of known history. A missing component fails every
 * case with how to install it (the harnesses say), never a skip.
 */
let unleash: Promise<RunningUnleash> | undefined;
let history: Promise<UnleashHistory> | undefined;
let prometheus: Promise<PrometheusWithHistory> | undefined;
const unleashServer = () => (unleash ??= startUnleash());
/** More than one page of Unleash's event log costs ≈15 s: made once, checked by both Unleash suites. */
const sharedHistory = async () => (history ??= makeUnleashHistory(await unleashServer(), 'conformance-history'));

afterAll(async () => {
  await (await unleash?.catch(() => undefined))?.stop();
  await (await prometheus?.catch(() => undefined))?.stop();
});

const UNLEASH_OPTIONS = { traits: UNLEASH_TRAITS, timeoutMs: 60_000 };
describeFlagStore(
  'Unleash 6.10.1 (real server), rollback turns the environment off',
  async () =>
    unleashFixture(await unleashServer(), { flag: 'conformance-off', rollbackMode: 'off', makeHistory: sharedHistory }),
  UNLEASH_OPTIONS,
);
describeFlagStore(
  'Unleash 6.10.1 (real server), rollback sets the rollout to 0 %',
  async () =>
    unleashFixture(await unleashServer(), {
      flag: 'conformance-zero',
      rollbackMode: 'zero',
      makeHistory: sharedHistory,
    }),
  UNLEASH_OPTIONS,
);
describeMetricsProvider(
  'Prometheus 2.42 (real server)',
  async () => prometheusFixture(await (prometheus ??= startPrometheusWithHistory({ hours: 2 }))),
  { traits: PROMETHEUS_TRAITS, timeoutMs: 60_000 },
);
