import { RampartError } from '../../../shared/errors';
import { parseFlagdText, type FlagEntry } from './flagd-schema';
import { isRecord, type JsonPathPart } from './json-node';
import { replaceValue } from './json-spans';

/**
 * The text of a flag file after one flag's definition changed from `entry.def` to `next` — only that flag's bytes
 * change (json-spans.ts): its `state` value alone when nothing else moved (a kill switch or a switch-on keeps even
 * an odd definition byte-for-byte), its whole definition otherwise. The result is parsed again before it may reach
 * the disk: the file must still be a flagd file, the flag must read back as `next`, a healthy flag must still be
 * healthy, and every other flag must be what it was.
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
  text: string,
  entries: readonly FlagEntry[],
  entry: FlagEntry,
  next: Record<string, unknown>,
): string {
  if (JSON.stringify(entry.def) === JSON.stringify(next)) return text;
  const onlyState =
    Object.hasOwn(entry.def, 'state') && !entry.notAnObject && withoutState(entry.def) === withoutState(next);
  const rewritten = onlyState
    ? replaceValue(text, [...entry.path, 'state'], next.state)
    : replaceValue(text, entry.path, next);
  if (rewritten === null) throw notRewritten(file, entry.key, 'its definition was not found in the text');

  const after = parseFlagdText(file, rewritten); // a file-level problem throws: our output must be a flagd file
  const written = after.flags.find((f) => samePath(f.path, entry.path));
  if (!written || !isRecord(written.def) || JSON.stringify(written.def) !== JSON.stringify(next))
    throw notRewritten(file, entry.key, 'the new text does not read back as the new definition');
  if (entry.problem === null && written.problem !== null)
    throw new RampartError('internal', `flagd file ${file}: Rampart's own edit would be invalid (${written.problem})`, {
      file,
    });
  const others = (list: readonly FlagEntry[]) =>
    JSON.stringify(list.filter((f) => !samePath(f.path, entry.path)).map((f) => [f.key, f.def]));
  if (others(after.flags) !== others(entries)) throw notRewritten(file, entry.key, 'another flag would change');
  return rewritten;
}
