import { RampartError } from '../../../shared/errors';
import { CHAR, pathText } from './json-node';

/**
 * Limits on a flag file, checked before anything walks it (docs/security.md, "When things fail": flag files have
 * size and nesting limits). Every walk of a parsed flagd document — the schema, the model, the targeting summary,
 * the rollback and the treatment-reach analysis — recurses over JsonLogic, so the depth is bounded first, by an
 * iterative scan of the text; then the parsed tree is checked, iteratively, for keys that would rewrite a
 * JavaScript object's prototype in the tools that read it after us.
 */

/** Real flag files are kilobytes; 8 MiB keeps a stray log or disk image from being read into memory. */
export const MAX_FLAG_FILE_BYTES = 8 * 1024 * 1024;
/** flagd's own examples nest about 8 levels; 100 leaves room for generated files and stays far from stack limits. */
export const MAX_FLAG_FILE_NESTING = 100;

const FORBIDDEN_KEYS = new Set(['__proto__']);

const { openBrace: OPEN_BRACE, openBracket: OPEN_BRACKET, closeBrace: CLOSE_BRACE, closeBracket: CLOSE_BRACKET } = CHAR;
const { quote: QUOTE, backslash: BACKSLASH, newline: NEWLINE } = CHAR;

/** Throws `vendor_error` (line and column) when `text` nests arrays/objects deeper than the limit. O(n), no recursion. */
export function assertNesting(file: string, text: string, limit = MAX_FLAG_FILE_NESTING): void {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === NEWLINE) {
      line++;
      lineStart = i + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) {
        throw new RampartError(
          'vendor_error',
          `flagd file ${file}: nested more than ${limit} levels deep at line ${line}, column ${i - lineStart + 1}; Rampart reads flag files nested at most ${limit} levels`,
          { file },
        );
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
  }
}

/** Throws `vendor_error` naming the JSON path of the first `__proto__` key in a parsed document. Iterative. */
export function assertNoForbiddenKeys(file: string, doc: unknown): void {
  const stack: Array<{ node: unknown; path: Array<string | number> }> = [{ node: doc, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: [...path, i] }));
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        if (FORBIDDEN_KEYS.has(key)) {
          throw new RampartError(
            'vendor_error',
            `flagd file ${file}: invalid at ${pathText('$', path)}: the key "${key}" is not allowed (it would change object prototypes in JavaScript readers)`,
            {
              file,
              path: pathText('$', path),
            },
          );
        }
        stack.push({ node: (node as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
}
