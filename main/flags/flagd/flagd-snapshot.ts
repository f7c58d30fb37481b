import { RampartError } from '../../../shared/errors';
import { hashText, readFlagFile, type FlagFileText } from './flagd-file';
import { parseFlagdText, type FlagEntry } from './flagd-schema';
import { isRecord } from './json-node';

/**
 * One read of a flag file: its text, hash and parsed document, and the version Rampart hands out as
 * `EnvState.version` for compare-and-replace.
 *
 * The version is `<file hash>.<flag hash>` (32 hex digits each). A write whose caller saw the same file hash goes
 * ahead; when the file changed, it still goes ahead if THIS flag's definition (and the `$evaluators` it may
 * reference) is byte-for-byte what the caller saw — the edit is applied to the fresh file, so the other edit is
 * kept — and otherwise it is a conflict. Two processes ramping different flags of one file therefore never
 * refuse each other, and neither loses the other's edit (the file lock serializes them).
 */

export interface Snapshot extends FlagFileText {
  raw: Record<string, unknown>;
  /** Every flag, each checked on its own (flagd-schema.ts): one odd flag never hides the others. */
  flags: FlagEntry[];
}

export async function loadSnapshot(file: string): Promise<Snapshot> {
  const read = await readFlagFile(file);
  return { ...read, ...parseFlagdText(file, read.text) };
}

/** The flag `flagKey` of a snapshot (the last one, as JSON.parse keeps duplicates); `not_found` naming the file. */
export function entryOf(snap: Snapshot, flagKey: string, file: string): FlagEntry {
  const found = snap.flags.findLast((f) => f.key === flagKey);
  if (!found) throw new RampartError('not_found', `flagd file ${file}: no flag "${flagKey}"`, { file, flagKey });
  return found;
}

export function evaluatorsOf(raw: Record<string, unknown>): Record<string, unknown> {
  return isRecord(raw.$evaluators) ? raw.$evaluators : {};
}

function flagHash(raw: Record<string, unknown>, def: Record<string, unknown>): string {
  const own = JSON.stringify(def);
  // Only a definition that can reference shared evaluators depends on them.
  const shared = own.includes('"$ref"') ? JSON.stringify(raw.$evaluators ?? null) : '';
  return hashText(`${own}\u0000${shared}`);
}

export function flagVersion(snap: Snapshot, def: Record<string, unknown>): string {
  return `${snap.hash.slice(0, 32)}.${flagHash(snap.raw, def).slice(0, 32)}`;
}

/** How the version a caller saw relates to the file now: same file, same flag in a changed file, or changed. */
export function versionMatch(
  seen: unknown,
  snap: Snapshot,
  def: Record<string, unknown>,
): 'same-file' | 'same-flag' | 'changed' | 'not-given' {
  if (typeof seen !== 'string') return 'not-given';
  const [file, flag] = seen.split('.');
  if (file === snap.hash.slice(0, 32)) return 'same-file';
  return flag === flagHash(snap.raw, def).slice(0, 32) ? 'same-flag' : 'changed';
}
