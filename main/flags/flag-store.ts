import type {
  EnvState,
  Environment,
  FlagChange,
  FlagState,
  FlagStoreCapabilities,
  TreatmentReach,
} from '../../shared/domain/flags';

export interface WriteOptions {
  /** Every write carries a comment; adapters pass it to the vendor where the vendor has a field for it. */
  comment: string;
}

export interface SetExposureOptions extends WriteOptions {
  /**
   * The exposure the user saw when deciding. null = "no ramp yet". The rollout service owns the comparison with the
   * live state (range, rounding, tolerance); adapters keep only their vendor-level check (below).
   */
  expected: number | null;
  /**
   * The live state the rollout service read just before calling (one read per ramp). Adapters use its `version` for
   * their vendor-level compare-and-set (LaunchDarkly `test /version`, the flagd file hash under the file lock,
   * Unleash's strategy id + state hash followed by an event-log check) instead of reading again.
   */
  live?: EnvState;
}

export interface RollbackOptions extends WriteOptions {
  /** The state read just before, when that read succeeded in time; null otherwise. */
  live: EnvState | null;
}

/** What an adapter learned while writing, beyond success: a concurrent edit detected after the fact. */
export interface WriteReport {
  concurrentEdit?: { at: number; actor?: string; summary: string };
  /**
   * What the adapter did instead of, or beyond, the plain request, in one sentence for the audit and the UI (e.g. an
   * Unleash zero-mode rollback that turned the environment off because a constrained strategy could still expose
   * the flag).
   */
  note?: string;
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
  setExposure(flagKey: string, env: string, percent: number, opts: SetExposureOptions): Promise<WriteReport | void>;
  setEnabled(flagKey: string, env: string, on: boolean, opts: WriteOptions): Promise<WriteReport | void>;
  /**
   * The kill switch: make the store serve the control to EVERY unit in `env`, for every targeting shape the store
   * can express (every fractional rule, every strategy that can expose the flag), or throw
   * `RampartError('blocked', …)` saying why it cannot and what to do instead. Must send its write even when
   * `opts.live` is null (the pre-read failed or was slow): the target state never depends on it.
   */
  rollback(flagKey: string, env: string, opts: RollbackOptions): Promise<WriteReport>;
  /**
   * Read-back proof for a rollback: can any unit in `env` be served the treatment right now, by the store's own
   * semantics? `none` is what "confirmed" means; an exposure Rampart cannot read is `unknown`, never `none`.
   */
  treatmentReach(flagKey: string, env: string): Promise<TreatmentReach>;
  /** Push external edits as changes (flagd file watch). Returns an unsubscribe function. */
  watch?(onChange: (changes: FlagChange[]) => void): () => void;
  close?(): Promise<void>;
}

/** Resolves a connection's secret (env var in the browser host/CLI, safeStorage in Electron). Never logged. */
export type SecretResolver = (connectionId: string, which: 'token' | 'appKey') => string | undefined;

/**
 * Treatment reach from a normalized state, for stores whose model has no hidden rules: off (or exposure 0 with no
 * other way to the treatment) reaches nobody. Adapters with richer targeting (flagd, Unleash) prove it themselves.
 */
export function reachFromState(s: EnvState | undefined): TreatmentReach {
  if (!s) return { state: 'unknown', detail: 'the environment is missing from the read-back' };
  if (!s.enabled) return { state: 'none', detail: 'the flag is off in this environment' };
  if (s.exposure === 0) return { state: 'none', detail: 'exposure is 0%' };
  if (s.exposure === null) return { state: 'unknown', detail: 'exposure cannot be read' };
  return { state: 'some', share: s.exposure, detail: `exposure is ${s.exposure}%` };
}
