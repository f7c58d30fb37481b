import type { Connection } from '../../shared/domain/connections';
import type { MetricSpec } from '../../shared/domain/metrics';
import type { Plan, PlanNotice } from '../../shared/domain/plans';
import type { KindsWithRole } from '../../shared/kinds';
import type { FlagStore, SecretResolver } from '../flags/flag-store';
import type { MetricName, MetricsProvider } from '../metrics/metrics-provider';
import type { TemplateNames } from '../metrics/templates';
import type { StaleNotice } from '../notify/reminders';
import type { Http, SinkContext } from '../notify/sinks';
import type { NoticeKind } from '../../shared/domain/plans';
import type { KINDS } from '../../shared/kinds';

/**
 * What the core knows about a connection kind beyond its plain data (shared/kinds/): how to build its adapter, and
 * per role what only the core needs — a flag store's label words, a metrics provider's query language and default
 * metric set, a notification target's delivery. One record per kind, registered in ./index.ts.
 */

export interface AdapterDeps {
  secrets: SecretResolver;
  /** Exposure timeline of a flag, for the demo's simulated service: oldest first. */
  timeline: (flagConnectionId: string, flagKey: string) => { at: number; enabled: boolean; exposure: number | null }[];
  now: () => number;
  /** Variables opted in beyond RAMPART_… (shared/domain/connections.ts): a refused one is named as such, not "not set". */
  allowEnv?: readonly string[];
}

/** What every kind's record may add, whatever its role. */
export interface KindChecks<C extends Connection> {
  /**
   * Refuses a connection that cannot work as configured, at save (every door: CLI, form, RPC), with
   * `RampartError('bad_request' | 'not_found', …)` naming the problem — e.g. a flagd file path that is relative,
   * missing, or not a regular file. Called by `connections:save` through `checkConnection` (./index.ts).
   */
  checkConnection?(c: C): Promise<void>;
}

export interface FlagKind<C extends Connection> extends KindChecks<C> {
  createStore(c: C, deps: AdapterDeps): FlagStore;
  /**
   * Build the adapter when the core starts, so its watch pushes edits made outside Rampart from the first moment
   * (flagd's file watch); stores without push are polled by the flags service instead.
   */
  watchOnStart?: boolean;
  /** Label values services write for the control arm beyond the flag's own variants (Unleash's `disabled`). */
  controlLabels?: readonly string[];
}

/** What `{{selector}}`, `{{variantLabel}}`, `{{window}}` and `{{#byVariant}}` stand for in one rendering. */
export interface RenderInput {
  selector: string;
  variantLabel?: string;
  byVariant: boolean;
  /** Seconds; the provider rounds to what its language accepts. */
  windowSec: number;
}

export interface MetricsKind<C extends Connection> extends KindChecks<C> {
  createProvider(c: C, deps: AdapterDeps): MetricsProvider;
  /** The default metric set of a new watch, reading the request histogram under the names discovery found. */
  defaultMetrics(names?: TemplateNames): MetricSpec[];
  /** What discovery's metric names say about the request histogram (Prometheus' name and unit); absent: defaults. */
  discoverNames?(names: readonly MetricName[]): TemplateNames;
  /** A selector for one service in the provider's syntax (`service="checkout"`, `service:checkout`). */
  selectorFor(service: string): string;
  /** OpenTelemetry's variant attribute as this provider exports it. */
  variantLabel: string;
  /** Fills one template in the provider's own language; `bad_request` naming the problem for a bad selector. */
  render(template: { name: string; query: string }, input: RenderInput): string;
  /** The connection test's probe when no watch uses the connection yet; null: none. */
  probeQuery: string | null;
  /** Window of the connection test's probe, seconds (a scrape gap must not make a healthy server look empty). */
  probeWindowSec?: number;
  /** Whether the default watch of a flag of `flagConnectionId` reads this connection first (the demo's simulator). */
  preferredFor?(c: C, flagConnectionId: string): boolean;
  /** Never chosen for a default watch unless preferred (a simulator of another flag store). */
  onlyWhenPreferred?: boolean;
  /**
   * Whether this connection wants Rampart's flag changes as events (Datadog with `postEvents` on); they are sent
   * through its provider's `postEvent` (main/kinds/change-events.ts).
   */
  postsChangeEvents?(c: C): boolean;
}

export interface NotifyKind<C extends Connection> extends KindChecks<C> {
  /** Delivers one plan notice; returns the plan's Grafana-style regions when the target keeps them. */
  deliver(c: C, n: PlanNotice, plan: Plan, ctx: SinkContext): Promise<Plan['annotations'] | undefined>;
  /** Which plan notices this target gets. */
  wants(c: C, kind: NoticeKind): boolean;
  /** Delivers the stale-flag reminder (main/lifecycle/reminder.ts); absent: the target does not take reminders. */
  remind?(c: C, notice: StaleNotice, secret: string | undefined, http: Http): Promise<void>;
  /** `connections:test` for a target with nothing to send a test notice to (an inbound trigger). */
  test?(c: C, secret: string | undefined): { ok: boolean; message: string };
}

type Of<K extends Connection['kind']> = Extract<Connection, { kind: K }>;

/** The record a kind must register: chosen by the role its shared record declares. */
export type MainKind<K extends Connection['kind']> = (typeof KINDS)[K]['role'] extends 'flags'
  ? FlagKind<Of<K>>
  : (typeof KINDS)[K]['role'] extends 'metrics'
    ? MetricsKind<Of<K>>
    : NotifyKind<Of<K>>;

export type FlagKinds = KindsWithRole<'flags'>;
export type MetricsKinds = KindsWithRole<'metrics'>;
export type NotifyKinds = KindsWithRole<'notify'>;
