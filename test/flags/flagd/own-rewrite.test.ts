import { describe, expect, it } from 'vitest';
import { deriveOwnRewrite } from '../../../main/flags/flagd/flagd-own-parse';
import { rewriteFlag } from '../../../main/flags/flagd/flagd-rewrite';
import { parseFlagdText, type FlagdDocument, type FlagEntry } from '../../../main/flags/flagd/flagd-schema';
import { replaceValueAt, valueSpan } from '../../../main/flags/flagd/json-spans';

/**
 * Rampart's own rewrite of one flag is read back from a parse derived from the old one (flagd-own-parse.ts) and from
 * member spans carried over from the old text (json-spans.ts). Both must be exactly what reading the new text from
 * scratch gives — checked here on random files with escapes, braces inside strings, odd flags and repeated keys,
 * over chains of edits (each edit starting from the previous derived state).
 */

let seed = 0x2545f491;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const KEYS = ['checkout', 'dark-mode', 'say "hi"', 'back\\slash', 'café', 'braces {[', 'x'];

function def(i: number): unknown {
  const shape = i % 5;
  if (shape === 4) return { state: 'ENABLED', variants: { a: 1, b: 'mixed' }, defaultVariant: 'a' }; // odd: mixed types
  const weight = Math.floor(rand() * 100);
  return {
    state: pick(['ENABLED', 'DISABLED']),
    description: pick(['plain', 'quote " inside', 'brace } and [ inside', 'escaped \\" pair', 'tab\tand\nnewline']),
    variants: { on: true, off: false },
    defaultVariant: 'off',
    targeting:
      shape === 0
        ? null
        : {
            fractional: [
              { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] },
              ['on', weight],
              ['off', 100 - weight],
            ],
          },
    ...(shape === 2 ? { metadata: { team: 'payments', tier: 2 } } : {}),
  };
}

/** A flag file written by hand: object or array form, keys as written (some escaped), repeated keys included. */
function randomFile(): string {
  const arrayForm = rand() < 0.3;
  const n = 3 + Math.floor(rand() * 12);
  const keys = Array.from({ length: n }, (_, i) => (i % 4 === 3 ? `x-0` : `${pick(KEYS)}-${i}`));
  const indent = rand() < 0.5 ? 2 : 0;
  const write = (v: unknown) => JSON.stringify(v, null, indent).replace(/é/g, '\\u00e9');
  const members = keys.map((k, i) =>
    arrayForm ? write({ key: k, ...(def(i) as object) }) : `${write(k)}: ${write(def(i))}`,
  );
  const flags = arrayForm ? `[\n${members.join(',\n')}\n]` : `{\n${members.join(',\n')}\n}`;
  return `{\n  "$schema": "https://flagd.dev/schema/v0/flags.json",\n  "flags": ${flags},\n  "metadata": {"v": "{"}\n}\n`;
}

function comparable(doc: FlagdDocument) {
  return {
    raw: JSON.stringify(doc.raw),
    flags: doc.flags.map((f) => [f.key, f.path, f.problem, JSON.stringify(f.def), f.notAnObject ?? false]),
  };
}

let files = 0;
/** A parse from scratch: a file name never seen by the parse cache. */
const fresh = (text: string) => parseFlagdText(`/fresh/${files++}.json`, text);

function editOf(entry: FlagEntry): Record<string, unknown> {
  const next = structuredClone(entry.def);
  if (rand() < 0.5) next.state = next.state === 'ENABLED' ? 'DISABLED' : 'ENABLED';
  else
    next.targeting = {
      fractional: [
        ['on', 0],
        ['off', 100],
      ],
    };
  return next;
}

describe("the parse of Rampart's own rewrite", () => {
  it('equals the parse from scratch, and every flag span still frames its flag, over 300 chains of 6 edits', () => {
    let derivedCount = 0;
    for (let run = 0; run < 300; run++) {
      const file = `/own/${run}.json`;
      let text = randomFile();
      let doc = parseFlagdText(file, text);
      for (let step = 0; step < 6; step++) {
        const entry = pick(doc.flags.filter((f) => !f.notAnObject));
        const next = editOf(entry);
        const written = rewriteFlag(file, { ...doc, text }, entry, next);
        const reread = parseFlagdText(file, written); // the cached, derived parse when the derivation applied
        expect(comparable(reread)).toEqual(comparable(fresh(written)));
        if (written !== text) derivedCount++;
        for (const f of reread.flags) {
          const span = valueSpan(written, f.path);
          expect(span, `${run}/${step}: ${f.key}`).not.toBeNull();
          expect(JSON.parse(written.slice(span!.start, span!.end))).toEqual(
            (JSON.parse(written) as { flags: Record<string | number, unknown> }).flags[f.path[1] as string],
          );
        }
        text = written;
        doc = reread;
      }
    }
    expect(derivedCount).toBeGreaterThan(1000);
  });

  it('is derived, not parsed again, for a plain rewrite — and refuses to vouch for a span that is not the flag', () => {
    const text = randomFile();
    const doc = fresh(text);
    const entry = doc.flags.find((f) => f.problem === null)!;
    const next = { ...entry.def, state: entry.def.state === 'ENABLED' ? 'DISABLED' : 'ENABLED' };
    const path = [...entry.path, 'state'];
    const replaced = replaceValueAt(text, path, next.state)!;
    const derived = deriveOwnRewrite('/f.json', doc, text, entry, path, replaced);
    expect(derived).not.toBeNull();
    expect(comparable(derived!)).toEqual(comparable(fresh(replaced.text)));
    // A scanner that framed the wrong bytes: the old bytes there are not this flag's state, so nothing is derived.
    const wrong = { ...replaced, span: { start: replaced.span.start + 1, end: replaced.span.end } };
    expect(deriveOwnRewrite('/f.json', doc, text, entry, path, wrong)).toBeNull();
    // A body nested deeper than the file limit allows at its depth is left to the full parse, whose error it gives.
    const deep = { ...entry.def, targeting: JSON.parse('['.repeat(99) + ']'.repeat(99)) as unknown };
    const tooDeep = replaceValueAt(text, entry.path, deep)!;
    expect(deriveOwnRewrite('/f.json', doc, text, entry, entry.path, tooDeep)).toBeNull();
    expect(() => rewriteFlag('/f.json', { ...doc, text }, entry, deep)).toThrow(
      /nested more than 100 levels deep at line/,
    );
  });
});
