import { RampartError } from '../../../shared/errors';
import { deriveOwnRewrite } from './flagd-own-parse';
import { parseFlagdText, rememberParse, type FlagdDocument, type FlagEntry } from './flagd-schema';
import { isRecord, type JsonPathPart } from './json-node';
import { replaceValueAt } from './json-spans';

/**
 * The text of a flag file after one flag's definition changed from `entry.def` to `next` — only that flag's bytes
 * change (json-spans.ts): its `state` value alone when nothing else moved (a kill switch or a switch-on keeps even
 * an odd definition byte-for-byte), its whole definition otherwise. The result is read again before it may reach
 * the disk — derived from the old parse where flagd-own-parse.ts can vouch for it, parsed in full otherwise: the file
 * must still be a flagd file, the flag must read back as `next`, a healthy flag must still be healthy, and every other
 * flag must be what it was.
 */

function withoutState(def: Record<string, unknown>): string {
  const { state: _state, ...rest } = def;
  return JSON.stringify(rest);
}

function samePath(a: readonly JsonPathPart[], b: readonly JsonPathPart[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function notRewritten(file: string, flagKey: string, why: string): RampartError {
  return new RampartError(
    'internal',
    `flagd file ${file}: Rampart could not rewrite flag "${flagKey}" safely (${why}); nothing was written`,
    { file, flagKey },
  );
}

export function rewriteFlag(
  file: string,
  before: FlagdDocument & { text: string },
  entry: FlagEntry,
  next: Record<string, unknown>,
): string {
  const text = before.text;
  if (JSON.stringify(entry.def) === JSON.stringify(next)) return text;
  const onlyState =
    Object.hasOwn(entry.def, 'state') && !entry.notAnObject && withoutState(entry.def) === withoutState(next);
  const path = onlyState ? [...entry.path, 'state'] : entry.path;
  const replaced = replaceValueAt(text, path, onlyState ? next.state : next);
  if (replaced === null) throw notRewritten(file, entry.key, 'its definition was not found in the text');

  // Every other flag is unchanged by construction when the parse can be derived (flagd-own-parse.ts); otherwise the
  // whole text is parsed and every other flag compared.
  const derived = deriveOwnRewrite(file, before, text, entry, path, replaced);
  const after = derived ?? parseFlagdText(file, replaced.text); // a file-level problem throws: our output must be a flagd file
  const written = after.flags.find((f) => samePath(f.path, entry.path));
  if (!written || !isRecord(written.def) || JSON.stringify(written.def) !== JSON.stringify(next))
    throw notRewritten(file, entry.key, 'the new text does not read back as the new definition');
  if (entry.problem === null && written.problem !== null)
    throw new RampartError('internal', `flagd file ${file}: Rampart's own edit would be invalid (${written.problem})`, {
      file,
    });
  if (derived) {
    // The read-back, the watcher and the next write read exactly this text: they find its parse.
    rememberParse(file, replaced.text, derived);
    return replaced.text;
  }
  const others = (list: readonly FlagEntry[]) =>
    JSON.stringify(list.filter((f) => !samePath(f.path, entry.path)).map((f) => [f.key, f.def]));
  if (others(after.flags) !== others(before.flags)) throw notRewritten(file, entry.key, 'another flag would change');
  return replaced.text;
}
