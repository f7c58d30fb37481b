import path from 'node:path';
import type { EnvState, FlagChange, FlagStoreCapabilities } from '../../../shared/domain/flags';
import type { Connection } from '../../../shared/domain/connections';
import { RampartError } from '../../../shared/errors';
import type {
  FlagStore,
  HistoryRange,
  RollbackOptions,
  SetExposureOptions,
  WriteOptions,
  WriteReport,
} from '../flag-store';
import { applyEnabled, applyExposure, assertRampable, findFlagDef } from './flagd-edit';
import { assertFlagFile, hashText, realTarget, replaceFileIfUnchanged } from './flagd-file';
import { withFileLock } from './flagd-lock';
import { envStateOf, interpretFlag, type FlagView } from './flagd-model';
import { evaluateReach } from './flagd-reach';
import { rewriteFlag } from './flagd-rewrite';
import { applyOddRollback, applyRollback, type RollbackPlan } from './flagd-rollback';
import type { FlagEntry } from './flagd-schema';
import { entryOf, evaluatorsOf, flagVersion, loadSnapshot, versionMatch, type Snapshot } from './flagd-snapshot';
import { flagStateOf } from './flagd-state';
import { watchFlagdFile } from './flagd-watch';
import { assertEditable, joinNotes, symlinkNote, withFlagCloned } from './flagd-write-parts';
import { roundToStep } from '../../rollout/exposure-rules';
import { setBounded } from '../../../shared/bounded-map';

/**
 * The flagd adapter: one flag file = one environment (docs/integrations.md §4). Reads never lock (every write is an
 * atomic rename); every write runs read → compare → edit → replace under the file's cross-process lock
 * (flagd-lock.ts), compared by version (flagd-snapshot.ts). The kill switch is flagd-rollback.ts, its read-back
 * proof flagd-reach.ts.
 */

type FlagdConnection = Extract<Connection, { kind: 'flagd' }>;

export interface FlagdStoreOptions {
  /** `environment` defaults to "production": one flagd file serves one environment. */
  connection: Omit<FlagdConnection, 'environment'> & { environment?: string };
  now?: () => number;
  /** Watch tuning (tests); defaults: 100 ms debounce, 1 s poll like flagd's own fileinfo watcher. */
  watchDebounceMs?: number;
  watchPollMs?: number;
  /** A watched file that cannot be read or parsed; default: one console warning per distinct problem. */
  onWatchError?: (e: RampartError) => void;
  /** How long a write waits for another process's lock on the file (default 10 s). */
  lockWaitMs?: number;
}

const CAPABILITIES: FlagStoreCapabilities = {
  exposureStep: 1,
  historyHasActors: false,
  writesHaveVersionCheck: true, // file hash + flag hash, compared under the cross-process file lock
  canWatch: true,
};

/** How many of our own writes to remember so the watcher can recognize them. */
const OWN_WRITES_KEPT = 64;
/** Re-read attempts when an editor that does not take our lock changes the file between our read and rename. */
const WRITE_ATTEMPTS = 4;

type Check = (view: FlagView, snap: Snapshot, entry: FlagEntry) => void;

export function createFlagdStore(options: FlagdStoreOptions): FlagStore {
  const { connection } = options;
  const now = options.now ?? Date.now;
  const file = path.resolve(connection.file);
  const env = connection.environment ?? 'production';
  const ownWrites = new Map<string, string>(); // hash of a file we wrote → the text we based it on
  const stopWatchers = new Set<() => void>();
  const warned = new Set<string>();
  const onWatchError =
    options.onWatchError ??
    ((e: RampartError) => {
      if (warned.has(e.message)) return;
      warned.add(e.message);
      console.warn(`[rampart] watching ${connection.id}: ${e.message}`);
    });
  let writeQueue: Promise<unknown> = Promise.resolve();

  /** Writes from this adapter run one at a time: each re-reads the file the previous one left. */
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = writeQueue.then(task, task);
    writeQueue = run.catch(() => undefined);
    return run;
  }

  function checkEnv(envKey: string): void {
    if (envKey !== env) {
      throw new RampartError(
        'not_found',
        `flagd file ${file} serves one environment, "${env}"; there is no environment "${envKey}"`,
        {
          file,
          env: envKey,
        },
      );
    }
  }

  function rememberOwnWrite(text: string, base: string): void {
    setBounded(ownWrites, hashText(text), base, OWN_WRITES_KEPT);
  }

  /**
   * Lock → read → check → edit → atomic replace, retried when an editor changes the file between read and rename.
   * Only the flag's own bytes change (flagd-rewrite.ts). Resolves with the edit's result and the symlink note.
   */
  async function edit<T>(
    flagKey: string,
    envKey: string,
    check: Check,
    mutate: (doc: Record<string, unknown>, entry: FlagEntry) => T,
  ): Promise<{ result: T; note?: string }> {
    checkEnv(envKey);
    return serialized(async () => {
      await assertFlagFile(file); // never lock (or create a lock file) next to a device, FIFO or directory
      return withFileLock(
        await realTarget(file),
        async () => {
          for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            const snap = await loadSnapshot(file); // throws on a bad file: nothing is written
            const entry = entryOf(snap, flagKey, file);
            check(interpretFlag(flagKey, entry.def, evaluatorsOf(snap.raw)), snap, entry);
            const doc = withFlagCloned(snap.raw, flagKey);
            const result = mutate(doc, entry);
            const next = findFlagDef(doc, flagKey, file);
            const text = rewriteFlag(file, snap, entry, next);
            const note = symlinkNote(snap, file);
            if (text === snap.text) return { result, note };
            rememberOwnWrite(text, snap.text);
            if (await replaceFileIfUnchanged(file, text, snap.hash)) return { result, note };
          }
          throw new RampartError(
            'conflict',
            `flagd file ${file} kept changing while Rampart tried to write it; nothing was written`,
            { file },
          );
        },
        { waitMs: options.lockWaitMs, file },
      );
    });
  }

  function liveOf(view: FlagView, snap: Snapshot, entry: FlagEntry): EnvState {
    return {
      ...flagStateOf(entry, snap, env).envs[env],
      ...(entry.problem ? {} : envStateOf(view)),
      version: flagVersion(snap, entry.def),
    };
  }

  function describeState(s: EnvState): string {
    return `${s.enabled ? 'on' : 'off'}, ${s.exposure === null ? 'an exposure Rampart cannot read' : `${s.exposure}%`}, targeting: ${s.targeting ?? 'none'}`;
  }

  return {
    connectionId: connection.id,
    capabilities: () => ({ ...CAPABILITIES }),

    // Reading the file here makes the connection test prove the file is usable, and report a symlink.
    async environments() {
      const snap = await loadSnapshot(file);
      return [{ key: env, name: snap.viaSymlink ? `${env} (${file} is a symlink to ${snap.realPath})` : env }];
    },

    async listFlags() {
      const snap = await loadSnapshot(file);
      return snap.flags.map((entry) => flagStateOf(entry, snap, env));
    },

    async getFlag(flagKey) {
      const snap = await loadSnapshot(file);
      return flagStateOf(entryOf(snap, flagKey, file), snap, env);
    },

    // A flag file keeps no history. The core stores what the watcher saw and what Rampart did, and merges them.
    history: async (_range: HistoryRange): Promise<FlagChange[]> => [],

    async setExposure(flagKey: string, envKey: string, percent: number, opts: SetExposureOptions) {
      // Range, rounding and the compare with what the user saw are the rollout service's (main/rollout/exposure-rules.ts);
      // weights are whole numbers out of 100, so the percent is put on that grid with the same rounding rule.
      const target = roundToStep(percent, 1);
      const { note } = await edit(
        flagKey,
        envKey,
        (view, snap, entry) => {
          assertEditable(entry, file, 'ramped');
          assertRampable(view, file);
          // The vendor-level check, under the file lock: the flag's definition is the one the live read saw.
          if (versionMatch(opts.live?.version, snap, entry.def) === 'changed') {
            const live = liveOf(view, snap, entry);
            throw new RampartError(
              'conflict',
              `flagd file ${file}: flag "${flagKey}" was edited since it was read (now ${describeState(live)}); nothing was written`,
              { live },
            );
          }
        },
        (doc) => applyExposure(doc, flagKey, target, file),
      );
      return note ? { note } : undefined;
    },

    async setEnabled(flagKey: string, envKey: string, on: boolean, _opts: WriteOptions) {
      const { note } = await edit(
        flagKey,
        envKey,
        (_view, _snap, entry) => {
          if (on) assertEditable(entry, file, 'switched on'); // switching off only sets `state`: always possible
        },
        (doc) => applyEnabled(doc, flagKey, on, file),
      );
      return note ? { note } : undefined;
    },

    // Never refused for a concurrent change and never dependent on `opts.live`: the target state is fixed. A flag
    // outside the strict shape is turned off (`state: DISABLED` alone); one odd flag never blocks a sibling's.
    async rollback(flagKey: string, envKey: string, opts: RollbackOptions): Promise<WriteReport> {
      let moved: WriteReport['concurrentEdit'];
      const { result: plan, note } = await edit<RollbackPlan>(
        flagKey,
        envKey,
        (view, snap, entry) => {
          moved = undefined;
          if (versionMatch(opts.live?.version, snap, entry.def) === 'changed') {
            moved = {
              at: now(),
              summary: `flag "${flagKey}" was edited in ${file} after Rampart read it (now ${describeState(liveOf(view, snap, entry))}); the rollback was applied to the current definition`,
            };
          }
        },
        (doc, entry) => (entry.problem ? applyOddRollback(doc, entry, file) : applyRollback(doc, flagKey, file)),
      );
      return { note: joinNotes(plan.note, note), ...(moved ? { concurrentEdit: moved } : {}) };
    },

    async treatmentReach(flagKey: string, envKey: string) {
      checkEnv(envKey);
      const snap = await loadSnapshot(file);
      return evaluateReach(file, snap.raw, flagKey, entryOf(snap, flagKey, file).def);
    },

    watch(onChange) {
      const stop = watchFlagdFile({
        file,
        connectionId: connection.id,
        env,
        now,
        ownWriteBase: (hash) => ownWrites.get(hash),
        onChange,
        onError: onWatchError,
        debounceMs: options.watchDebounceMs,
        pollMs: options.watchPollMs,
      });
      stopWatchers.add(stop);
      return () => {
        stop();
        stopWatchers.delete(stop);
      };
    },

    async close() {
      for (const stop of stopWatchers) stop();
      stopWatchers.clear();
      await writeQueue;
    },
  };
}
