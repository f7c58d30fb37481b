import type { Environment, FlagChange, FlagState, FlagStoreCapabilities } from '../../shared/domain/flags';

export interface WriteOptions {
  /** Every write carries a comment; adapters pass it to the vendor where the vendor has a field for it. */
  comment: string;
}

export interface SetExposureOptions extends WriteOptions {
  /**
   * The exposure the user saw when deciding. The adapter reads the live state right before writing and throws
   * `RampartError('conflict', …)` (with the live state in `details`) when it differs. null = "no ramp yet".
   */
  expected: number | null;
}

export interface HistoryRange {
  from: number; // epoch ms
  to: number;
  flagKey?: string;
  env?: string;
}

/**
 * One flag store (Unleash, flagd file, Flagsmith, LaunchDarkly) behind one interface. The views, the rollout
 * service and the CLI use only this. Adapters throw `RampartError` with a code and a message that names the vendor
 * and the reason (bad token, not found, approval required, conflict, unreachable, timeout).
 */
export interface FlagStore {
  readonly connectionId: string;
  capabilities(): FlagStoreCapabilities;
  environments(): Promise<Environment[]>;
  listFlags(): Promise<FlagState[]>;
  getFlag(flagKey: string): Promise<FlagState>;
  /** Normalized changes with old → new, oldest first. `id` must be stable across calls. */
  history(range: HistoryRange): Promise<FlagChange[]>;
  /** Set the treatment's exposure in percent (0–100), rounded to `capabilities().exposureStep`. */
  setExposure(flagKey: string, env: string, percent: number, opts: SetExposureOptions): Promise<void>;
  setEnabled(flagKey: string, env: string, on: boolean, opts: WriteOptions): Promise<void>;
  /** Push external edits as changes (flagd file watch). Returns an unsubscribe function. */
  watch?(onChange: (changes: FlagChange[]) => void): () => void;
  close?(): Promise<void>;
}

/** Resolves a connection's secret (env var in the browser host/CLI, safeStorage in Electron). Never logged. */
export type SecretResolver = (connectionId: string, which: 'token' | 'appKey') => string | undefined;
