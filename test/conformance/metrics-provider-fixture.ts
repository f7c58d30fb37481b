import type { InstantSample, MetricsProvider, Series } from '../../main/metrics/metrics-provider';
import type { KnownDefects } from './cases';

/**
 * What a conformance fixture gives the MetricsProvider suite: the provider under test wired to its backend (a real
 * Prometheus, the Datadog fake behind the official client, the demo's simulated service) and what that backend
 * holds, so answers can be checked against known data rather than against the provider's own reading of it.
 */
export interface RangeCase {
  query: string;
  from: number;
  to: number;
  stepMs: number;
}

export interface MetricsProviderFixture {
  provider: MetricsProvider;
  /** A query with data over the range; `expect` asserts what the fixture knows of the answer. */
  range: RangeCase & { expect(series: Series[]): void };
  /** Answers with gaps or non-finite values (NaN, ±Inf, null): `nanAt` says which points must come back as NaN. */
  nonFinite: (RangeCase & { what: string; nanAt(labels: Record<string, string>, t: number): boolean })[];
  /** A query the provider must refuse (a syntax error, an unknown metric in the provider's language). */
  badQuery: string;
  instant?: { query: string; at: number; expect(samples: InstantSample[]): void };
  /** A metric name listMetrics must return, and a query of a near miss whose "did you mean" must name it. */
  discovery?: { name: string; typoQuery: string };
  /** Credentials the provider sends; empty when it has none. */
  secrets: string[];
  faults?: {
    /** The next answer is an error whose body quotes the request's credentials back. */
    echoSecret(): void;
    /** The next answer is HTTP 200 with `body`. */
    malformNext(body: string): void;
  };
  close(): Promise<void>;
}

export interface MetricsProviderTraits {
  /** How the provider's messages name it, e.g. /Prometheus/. */
  vendor: RegExp;
  instant: boolean;
  discovery: boolean;
  credentials: boolean;
  /** Whether the fixture can make the backend answer with a malformed body (not for an in-process simulation). */
  malformed: boolean;
}

export interface MetricsSuiteOptions {
  traits: MetricsProviderTraits;
  defects?: KnownDefects;
  timeoutMs?: number;
}

export interface MetricsContext {
  fx: MetricsProviderFixture;
  provider: MetricsProvider;
  errors: unknown[];
  traits: MetricsProviderTraits;
}
