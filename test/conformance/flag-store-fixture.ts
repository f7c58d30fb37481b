import type { FlagStore, HistoryRange } from '../../main/flags/flag-store';
import type { FlagChange } from '../../shared/domain/flags';
import type { KnownDefects } from './cases';

/**
 * What a conformance fixture gives the FlagStore suite: the adapter under test, wired to a vendor (a real server, a
 * documented-shape fake, a real file), and ways to look at and disturb that vendor WITHOUT the adapter — the raw
 * state is the judge, never the adapter's own reading of it.
 */
export interface FlagStoreFixture {
  store: FlagStore;
  /** The flag the suite ramps and rolls back, and the environment it does so in. */
  flagKey: string;
  env: string;
  /** Environment keys `environments()` must list (at least these). */
  environments: string[];
  /** Exposure the flag has after `reset()`: on, partially exposed, strictly between 0 and 100. */
  baseExposure: number;
  /** Puts the flag back, through the vendor, to on at `baseExposure` in `env` (every write case starts here). */
  reset(): Promise<void>;
  /** The vendor's own state, read without the adapter: the exposure it stores, and whether any unit can get the treatment. */
  raw(): Promise<{ exposure: number | null; servesTreatment: boolean }>;
  /** Someone else edits the flag in `env` leaving its exposure as it is (targeting, metadata), so its version moves. */
  editElsewhere(): Promise<void>;
  /** The credentials the adapter sends, planted so errors can be searched for them; empty when the store has none. */
  secrets: string[];
  /** The vendor's next read is answered with `body` (HTTP 200), or the file holds it until `reset()`. */
  malformNextRead(body: string): Promise<void> | void;
  /** A store of the same kind and vendor with another credential (the refused-credential path). */
  storeWithSecret?(secret: string): FlagStore;
  faults?: {
    /** The vendor's next answer is an error (HTTP 400) whose body quotes the request's credentials (`sent`) back. */
    echoSecret(sent: readonly string[]): void;
    /** The next write reaches the vendor and is applied, but its answer never reaches the adapter (a timeout or a cut connection). */
    loseNextWriteAnswer(): { applied: Promise<void> };
  };
  /** The comment the vendor recorded with its latest change of the flag, where it has a field for one. */
  lastVendorComment?(): Promise<string | undefined>;
  /**
   * Makes more than one page of history as another actor would (the adapter's page is `page` changes), and says
   * which changes `history(range)` must return, per flag, oldest first (of the kinds listed there).
   */
  makeHistory?(): Promise<{
    range: HistoryRange;
    page: number;
    expected: { flagKey: string; kind: FlagChange['kind']; label: string }[];
    actor?: string;
  }>;
  close(): Promise<void>;
}

/** What the store is, known before it starts (case names and which cases apply are fixed at registration). */
export interface FlagStoreTraits {
  /** How the adapter's messages name the vendor, e.g. /LaunchDarkly/ or /flagd/. */
  vendor: RegExp;
  /** Whether the vendor keeps a change history (flagd does not: the core records what it sees). */
  history: boolean;
  /**
   * Whether the vendor's history keeps the exposure BEFORE a ramp. Flagsmith's audit log records only that a split
   * segment changed (docs/integrations.md 2.6), so its history can say the new split, not the old one.
   */
  oldExposureInHistory: boolean;
  /** The writes whose comment the vendor stores in a field of its own. */
  commentFields: ReadonlyArray<'ramp' | 'rollback'>;
  /** Whether the vendor refuses a write based on a stale read (what `writesHaveVersionCheck` must say). */
  versionCheck: boolean;
  /** Whether the fixture can make a write's answer get lost (HTTP vendors; a local file write cannot be). */
  lostAnswers: boolean;
  /** Whether the store sends a credential (and the fixture can make the vendor echo it). */
  credentials: boolean;
}

export interface FlagStoreSuiteOptions {
  traits: FlagStoreTraits;
  defects?: KnownDefects;
  /** Per-case timeout (real servers are slower than fakes). */
  timeoutMs?: number;
}

/** The fixture behind a suite, set in beforeAll; `store` is the recorded (error-collecting) adapter. */
export interface SuiteContext {
  fx: FlagStoreFixture;
  store: FlagStore;
  errors: unknown[];
  traits: FlagStoreTraits;
}

/** An exposure on the store's grid, different from `base` and far from 0 and 100. */
export function otherExposure(base: number): number {
  return base === 40 ? 60 : 40;
}
