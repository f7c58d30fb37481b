import { RampartError } from '../../../shared/errors';

/**
 * A watch's selector is pasted by a user into the `{…}` of a query. These checks make sure it can only ever be
 * a list of matchers: nothing in it can close the braces and add PromQL or Datadog syntax of its own.
 */

const PROM_LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROM_OPERATORS = ['=~', '!~', '!=', '='] as const;

function promSelectorError(selector: string, at: number, what: string): RampartError {
  const near = JSON.stringify(selector.slice(at, at + 20));
  return new RampartError(
    'bad_request',
    `Prometheus selector must be label matchers like job="checkout",env=~"prod|canary" (what goes inside {…}): ${what} at position ${at} near ${near}`,
  );
}

/** Reads a PromQL string literal ("…", '…' with backslash escapes, or `…` raw) starting at `i`; returns its end. */
function readStringLiteral(s: string, i: number): number | undefined {
  const quote = s[i];
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\n') return undefined;
    if (quote !== '`' && c === '\\') {
      j++;
      continue;
    }
    if (c === quote) return j + 1;
  }
  return undefined;
}

/**
 * Validates a Prometheus label-matcher list and returns it trimmed. Empty is allowed (match every series of the
 * metric). Grammar: matcher ("," matcher)* [","], matcher = label_name op string_literal.
 */
export function validatePromSelector(selector: string): string {
  const s = selector.trim();
  let i = 0;
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  skipSpace();
  while (i < s.length) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!name) throw promSelectorError(s, i, 'expected a label name');
    i += name[0].length;
    skipSpace();
    const op = PROM_OPERATORS.find((o) => s.startsWith(o, i));
    if (!op) throw promSelectorError(s, i, `expected one of ${PROM_OPERATORS.join(' ')} after "${name[0]}"`);
    i += op.length;
    skipSpace();
    const end = readStringLiteral(s, i);
    if (end === undefined) throw promSelectorError(s, i, 'expected a quoted value');
    i = end;
    skipSpace();
    if (i < s.length) {
      if (s[i] !== ',') throw promSelectorError(s, i, 'expected "," between matchers');
      i++;
      skipSpace();
    }
  }
  return s;
}

export function validatePromLabelName(label: string): string {
  if (!PROM_LABEL_NAME.test(label)) {
    throw new RampartError(
      'bad_request',
      `Prometheus variant label must be a label name ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(label)}`,
    );
  }
  return label;
}
