import { RampartError } from '../../../shared/errors';
import type { FlagEntry } from './flagd-schema';
import type { Snapshot } from './flagd-snapshot';
import { isRecord } from './json-node';

/** The small rules of one flagd write (flagd-store.ts): who may be edited, what the report says, what is cloned. */

/** A write other than the kill switch needs the flag in the strict shape (flagd-schema.ts). */
export function assertEditable(entry: FlagEntry, file: string, what: string): void {
  if (entry.problem === null) return;
  throw new RampartError(
    'bad_request',
    `flagd file ${file}: flag "${entry.key}" cannot be ${what} by Rampart: ${entry.problem}. Fix the flag by hand; a rollback still works (it turns the flag off)`,
    { file, flagKey: entry.key },
  );
}

/** Said in every write's report when the configured path is a symlink: the write went to the file behind it. */
export function symlinkNote(snap: Snapshot, file: string): string | undefined {
  return snap.viaSymlink ? `${file} is a symlink: Rampart wrote the file it points to, ${snap.realPath}` : undefined;
}

export function joinNotes(...notes: Array<string | undefined>): string | undefined {
  const given = notes.filter((n): n is string => !!n);
  return given.length > 0 ? given.join(' ') : undefined;
}

/**
 * A copy of the document in which only the flag `flagKey` (every definition under that key, as a file may repeat
 * one) is a deep copy: edits change that flag alone (flagd-edit.ts, flagd-rollback.ts never touch `$evaluators`), and
 * the parsed document is shared with the parse cache (flagd-schema.ts), so it must not be changed in place. Cloning
 * the whole 1,000-flag document for one flag cost the kill switch more than the write itself.
 */
export function withFlagCloned(raw: Record<string, unknown>, flagKey: string): Record<string, unknown> {
  const flags = raw.flags;
  if (Array.isArray(flags))
    return {
      ...raw,
      flags: flags.map((f) => (isRecord(f) && String(f.key) === flagKey ? structuredClone(f) : f)),
    };
  if (!isRecord(flags) || !Object.hasOwn(flags, flagKey)) return { ...raw };
  return { ...raw, flags: { ...flags, [flagKey]: structuredClone(flags[flagKey]) } };
}
