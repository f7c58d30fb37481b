import path from 'node:path';
import type { FlagChange, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import type { Connection } from '../../../shared/domain/connections';
import { RampartError } from '../../../shared/errors';
import type { FlagStore, HistoryRange, SetExposureOptions, WriteOptions } from '../flag-store';
import { applyEnabled, applyExposure, assertRampable, findFlagDef } from './flagd-edit';
import { hashText, readTextWithHash, replaceFileIfUnchanged, serializeLike } from './flagd-file';
import { envStateOf, interpretFlag, isRecord, type FlagView } from './flagd-model';
import { flagEntries, parseFlagdText } from './flagd-schema';
import { watchFlagdFile } from './flagd-watch';

type FlagdConnection = Extract<Connection, { kind: 'flagd' }>;

export interface FlagdStoreOptions {
  /** `environment` defaults to "production": one flagd file serves one environment. */
  connection: Omit<FlagdConnection, 'environment'> & { environment?: string };
  now?: () => number;
  /** Watch tuning (tests); defaults: 100 ms debounce, 1 s poll like flagd's own fileinfo watcher. */
  watchDebounceMs?: number;
  watchPollMs?: number;
}

const CAPABILITIES: FlagStoreCapabilities = {
  exposureStep: 1,
  historyHasActors: false,
  writesHaveVersionCheck: false, // a content-hash compare before the rename, no vendor version
  canWatch: true,
};

/** How many of our own writes to remember so the watcher can recognize them. */
const OWN_WRITES_KEPT = 64;
/** Re-read attempts when the file changes between our read and our rename. */
const WRITE_ATTEMPTS = 4;

export function createFlagdStore(options: FlagdStoreOptions): FlagStore {
  const { connection } = options;
  const now = options.now ?? Date.now;
  const file = path.resolve(connection.file);
  const env = connection.environment ?? 'production';
  const ownWrites = new Map<string, string>(); // hash of a file we wrote → the text we based it on
  const stopWatchers = new Set<() => void>();
  let writeQueue: Promise<unknown> = Promise.resolve();

  /** Writes from this adapter run one at a time: each re-reads the file the previous one left. */
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = writeQueue.then(task, task);
    writeQueue = run.catch(() => undefined);
    return run;
  }

  async function load(): Promise<{ text: string; hash: string; raw: Record<string, unknown> }> {
    const { text, hash } = await readTextWithHash(file);
    return { text, hash, raw: parseFlagdText(file, text).raw };
  }

  function evaluatorsOf(raw: Record<string, unknown>): Record<string, unknown> {
    return isRecord(raw.$evaluators) ? raw.$evaluators : {};
  }

  function toFlagState(key: string, def: Record<string, unknown>, raw: Record<string, unknown>): FlagState {
    const view = interpretFlag(key, def, evaluatorsOf(raw));
    const metadata = isRecord(def.metadata) ? def.metadata : {};
    return {
      key,
      name: typeof metadata.name === 'string' ? metadata.name : key,
      ...(typeof metadata.description === 'string' ? { description: metadata.description } : {}),
      variants: view.variants,
      envs: { [env]: envStateOf(view) },
    };
  }

  function checkEnv(envKey: string): void {
    if (envKey !== env) {
      throw new RampartError('not_found', `flagd file ${file} serves one environment, "${env}"; there is no environment "${envKey}"`, {
        file,
        env: envKey,
      });
    }
  }

  function rememberOwnWrite(text: string, base: string): void {
    ownWrites.set(hashText(text), base);
    while (ownWrites.size > OWN_WRITES_KEPT) ownWrites.delete(ownWrites.keys().next().value as string);
  }

  /** Read → check → edit → atomic replace, retried when the file changes under us between read and rename. */
  async function edit(flagKey: string, envKey: string, check: (view: FlagView) => void, mutate: (doc: Record<string, unknown>) => void): Promise<void> {
    checkEnv(envKey);
    await serialized(async () => {
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const snapshot = await load(); // throws on a malformed file: nothing is written
        const view = interpretFlag(flagKey, findFlagDef(snapshot.raw, flagKey, file), evaluatorsOf(snapshot.raw));
        check(view);
        const doc = structuredClone(snapshot.raw);
        mutate(doc);
        const text = serializeLike(snapshot.text, doc);
        if (text === snapshot.text) return;
        parseFlagdText(file, text); // our own output must be a valid flagd file before it can reach the disk
        rememberOwnWrite(text, snapshot.text);
        if (await replaceFileIfUnchanged(file, text, snapshot.hash)) return;
      }
      throw new RampartError('conflict', `flagd file ${file} kept changing while Rampart tried to write it; nothing was written`, { file });
    });
  }

  return {
    connectionId: connection.id,
    capabilities: () => ({ ...CAPABILITIES }),
    environments: async () => [{ key: env, name: env }],

    async listFlags() {
      const { raw } = await load();
      return flagEntries(raw as { flags: unknown }).map(([key, def]) => toFlagState(key, def, raw));
    },

    async getFlag(flagKey) {
      const { raw } = await load();
      return toFlagState(flagKey, findFlagDef(raw, flagKey, file), raw);
    },

    // A flag file keeps no history. The core stores what the watcher saw and what Rampart did, and merges them.
    history: async (_range: HistoryRange): Promise<FlagChange[]> => [],

    async setExposure(flagKey: string, envKey: string, percent: number, opts: SetExposureOptions) {
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw new RampartError('bad_request', `flagd: exposure must be a number from 0 to 100, got ${percent}`);
      }
      const target = Math.round(percent); // exposureStep 1: integer weights out of 100
      await edit(
        flagKey,
        envKey,
        (view) => {
          assertRampable(view, file);
          const matches =
            opts.expected === null
              ? view.fractionalCount === 0
              : view.exposure !== null && Math.abs(view.exposure - opts.expected) < 1e-6;
          if (!matches) {
            const live = envStateOf(view);
            const seen = opts.expected === null ? 'no ramp' : `${opts.expected}%`;
            const now = view.exposure === null ? 'an exposure Rampart cannot read' : `${view.exposure}%`;
            throw new RampartError('conflict', `flagd file ${file}: flag "${flagKey}" is at ${now}, not ${seen} as expected; nothing was written`, {
              live,
            });
          }
        },
        (doc) => applyExposure(doc, flagKey, target, file),
      );
    },

    async setEnabled(flagKey: string, envKey: string, on: boolean, _opts: WriteOptions) {
      await edit(flagKey, envKey, () => undefined, (doc) => applyEnabled(doc, flagKey, on, file));
    },

    watch(onChange) {
      const stop = watchFlagdFile({
        file,
        connectionId: connection.id,
        env,
        now,
        ownWriteBase: (hash) => ownWrites.get(hash),
        onChange,
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
