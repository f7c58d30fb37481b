import { watch as fsWatch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { changeLabel, type ChangeState, type FlagChange } from '../../../shared/domain/flags';
import { RampartError, isRampartError } from '../../../shared/errors';
import { hashText, readFlagFile } from './flagd-file';
import { interpretFlag, isRecord, targetingShape, type FlagView } from './flagd-model';
import { flagEntries, flagProblem, parseFlagdText } from './flagd-schema';

/**
 * Watching a flagd file for edits made outside Rampart (an editor, a GitOps sync, another Rampart), the way flagd
 * itself does: fs.watch on the directory (an atomic rename replaces the inode, so watching the file alone misses
 * it) plus a 1 s stat poll as the fallback (network drives, editors that fire no event). Events are debounced,
 * the file is re-read and diffed flag by flag against the last state seen.
 *
 * Nothing a file contains can throw out of the watcher (docs/security.md: the process never exits on bad data):
 * the file is read with the same guards as every read (regular files only, size and nesting limits), a bad file
 * is reported through `onError` and the last good state is kept, and the watcher keeps looking — a fixed file is
 * picked up on the next event or poll. A subscriber that throws is reported the same way.
 */

type Doc = Record<string, unknown>;

export interface DiffContext {
  connectionId: string;
  env: string;
  at: number;
  /** Content hash of the new file: part of each change id, so one edit yields one stable id per flag. */
  hash: string;
}

function evaluatorsOf(doc: Doc): Record<string, unknown> {
  return isRecord(doc.$evaluators) ? doc.$evaluators : {};
}

function withoutRampFields(def: Record<string, unknown>): string {
  const { state: _state, targeting: _targeting, ...rest } = def;
  return JSON.stringify(rest);
}

/** A flag outside the strict shape (flagd-schema.ts) has no exposure Rampart can read: null, never a guess. */
function viewOf(flagKey: string, def: Record<string, unknown>, doc: Doc): FlagView {
  const view = interpretFlag(flagKey, def, evaluatorsOf(doc));
  return flagProblem(['flags', flagKey], def) === null ? view : { ...view, exposure: null };
}

/** Old → new per flag. One FlagChange per changed flag; its kind is the most important part that changed. */
export function diffFlagdDocs(oldDoc: Doc, newDoc: Doc, ctx: DiffContext): FlagChange[] {
  const oldFlags = new Map(flagEntries(oldDoc as { flags: unknown }));
  const newFlags = new Map(flagEntries(newDoc as { flags: unknown }));
  const keys = [...new Set([...oldFlags.keys(), ...newFlags.keys()])];
  const changes: FlagChange[] = [];
  for (const flagKey of keys) {
    const before = oldFlags.get(flagKey);
    const after = newFlags.get(flagKey);
    const base = {
      id: `${ctx.connectionId}:watch:${ctx.hash.slice(0, 16)}:${flagKey}`,
      connectionId: ctx.connectionId,
      flagKey,
      env: ctx.env,
      at: ctx.at,
      source: 'watch' as const,
    };
    const vb = before ? viewOf(flagKey, before, oldDoc) : null;
    const va = after ? viewOf(flagKey, after, newDoc) : null;
    if (!vb && va) {
      const to: ChangeState = { enabled: va.enabled, exposure: va.exposure, targeting: va.targeting };
      changes.push({ ...base, kind: 'created', from: null, to, label: changeLabel('created', null, to) });
      continue;
    }
    if (vb && !va) {
      const from: ChangeState = { enabled: vb.enabled, exposure: vb.exposure, targeting: vb.targeting };
      changes.push({ ...base, kind: 'archived', from, to: null, label: changeLabel('archived', from, null) });
      continue;
    }
    if (!vb || !va || !before || !after) continue;
    const from: ChangeState = {};
    const to: ChangeState = {};
    const kinds: Array<FlagChange['kind']> = [];
    if (vb.enabled !== va.enabled) {
      kinds.push('enabled');
      from.enabled = vb.enabled;
      to.enabled = va.enabled;
    }
    if (vb.exposure !== va.exposure) {
      kinds.push('exposure');
      from.exposure = vb.exposure;
      to.exposure = va.exposure;
    }
    if (targetingShape(before) !== targetingShape(after)) {
      kinds.push('targeting');
      from.targeting = vb.targeting;
      to.targeting = va.targeting;
    }
    if (withoutRampFields(before) !== withoutRampFields(after)) kinds.push('other');
    if (kinds.length === 0) continue;
    const label = kinds.map((k) => (k === 'other' ? 'definition changed' : changeLabel(k, from, to))).join(', ');
    changes.push({ ...base, kind: kinds[0], from, to, label });
  }
  return changes;
}

export interface WatchOptions {
  file: string;
  connectionId: string;
  env: string;
  now: () => number;
  /** The content this adapter based a write on, when `hash` is a file this adapter wrote; undefined otherwise. */
  ownWriteBase: (hash: string) => string | undefined;
  onChange: (changes: FlagChange[]) => void;
  /** A read, parse or subscriber problem; the watcher carries on. */
  onError: (e: RampartError) => void;
  debounceMs?: number;
  pollMs?: number;
}

export function watchFlagdFile(opts: WatchOptions): () => void {
  const file = path.resolve(opts.file);
  const debounceMs = opts.debounceMs ?? 100;
  let baseline: { hash: string; doc: Doc } | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let rerun = false;
  let lastStat = '';

  const report = (e: unknown): void => {
    try {
      opts.onError(
        isRampartError(e)
          ? e
          : new RampartError(
              'internal',
              `watching flagd file ${file}: ${e instanceof Error ? e.message : 'unexpected error'}`,
            ),
      );
    } catch {
      /* a failing reporter must not stop the watcher either */
    }
  };

  const tryParse = (text: string): Doc | null => {
    try {
      return parseFlagdText(file, text).raw;
    } catch {
      return null; // our own earlier base text: only used to find an external edit under our write
    }
  };

  const emit = (changes: FlagChange[]): void => {
    if (changes.length === 0 || stopped) return;
    try {
      opts.onChange(changes);
    } catch (e) {
      report(e);
    }
  };

  /** One look at the file: diff it against the baseline. Throws on a bad file (the caller reports it). */
  const look = async (): Promise<void> => {
    let read;
    try {
      read = await readFlagFile(file);
    } catch (e) {
      if (isRampartError(e) && e.code === 'not_found') return; // missing for a moment (delete + create save)
      throw e;
    }
    const { text, hash } = read;
    if (baseline?.hash === hash) return;
    const doc = parseFlagdText(file, text).raw; // half-saved or broken: reported, the last good state is kept
    const ctx = (h: string) => ({ connectionId: opts.connectionId, env: opts.env, at: opts.now(), hash: h });
    if (baseline) {
      const ownBase = opts.ownWriteBase(hash);
      if (ownBase === undefined) {
        emit(diffFlagdDocs(baseline.doc, doc, ctx(hash)));
      } else {
        // Our own write: the rollout service records it. But an external edit may have landed just before it
        // (we wrote on top of it), and that one we must still report.
        // Walk back through our consecutive writes (debouncing may fold several into one event).
        let baseText = ownBase;
        let baseHash = hashText(baseText);
        for (let hops = 0; baseHash !== baseline.hash && hops < 100; hops++) {
          const previous = opts.ownWriteBase(baseHash);
          if (previous === undefined) break;
          baseText = previous;
          baseHash = hashText(previous);
        }
        const baseDoc = baseHash === baseline.hash ? null : tryParse(baseText);
        if (baseDoc) emit(diffFlagdDocs(baseline.doc, baseDoc, ctx(baseHash)));
      }
    }
    baseline = { hash, doc };
  };

  const check = async (): Promise<void> => {
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    try {
      do {
        rerun = false;
        try {
          await look();
        } catch (e) {
          report(e);
        }
      } while (rerun && !stopped);
    } finally {
      running = false;
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check().catch(report), debounceMs);
    timer.unref?.();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = fsWatch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (!name || String(name) === path.basename(file)) schedule();
    });
    watcher.on('error', () => undefined); // the poll keeps working
  } catch {
    watcher = undefined; // no fs events here: the poll alone
  }
  const poll = setInterval(() => {
    fs.stat(file).then(
      (s) => {
        const sig = `${s.mtimeMs}:${s.size}:${s.ino}`;
        if (sig !== lastStat) {
          lastStat = sig;
          schedule();
        }
      },
      () => undefined,
    );
  }, opts.pollMs ?? 1000);
  poll.unref?.();
  void check().catch(report);

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(poll);
    watcher?.close();
  };
}
