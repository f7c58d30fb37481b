import { RampartError } from '../../../shared/errors';

/**
 * A watch's selector is pasted by a user into the `{…}` of a query. These checks make sure it can only ever be
 * a list of matchers: nothing in it can close the braces and add PromQL or Datadog syntax of its own.
 */

/** Datadog scope characters: tags (key:value, with * wildcards and ! or - negation), commas, and AND/OR/IN (…). */
const DATADOG_SCOPE = /^[A-Za-z0-9_.:/\-*!, ()]*$/;
const DATADOG_TAG_KEY = /^[A-Za-z][A-Za-z0-9_.\-/]{0,199}$/;

export function validateDatadogScope(scope: string): string {
  const s = scope.trim();
  if (s.length === 0) {
    throw new RampartError(
      'bad_request',
      'Datadog selector is empty: give a scope such as service:checkout,env:prod (what goes inside {…})',
    );
  }
  const bad = [...s].findIndex((c) => !DATADOG_SCOPE.test(c));
  if (bad >= 0) {
    throw new RampartError(
      'bad_request',
      `Datadog selector may only hold tags such as service:checkout,env:prod (what goes inside {…}): character ${JSON.stringify(s[bad])} at position ${bad} is not allowed`,
    );
  }
  let depth = 0;
  for (const c of s) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0)
    throw new RampartError('bad_request', `Datadog selector has unbalanced parentheses: ${JSON.stringify(s)}`);
  return s;
}

export function validateDatadogTagKey(tag: string): string {
  if (!DATADOG_TAG_KEY.test(tag)) {
    throw new RampartError(
      'bad_request',
      `Datadog variant tag must be a tag key such as feature_flag.result.variant, got ${JSON.stringify(tag)}`,
    );
  }
  return tag;
}
