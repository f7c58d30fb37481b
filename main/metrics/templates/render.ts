import { RampartError } from '../../../shared/errors';

/**
 * The template language of a metric spec's query, deliberately tiny:
 *   {{selector}}      the watch's selector (label matchers / Datadog scope), validated before it gets here
 *   {{variantLabel}}  the label or tag carrying the evaluated variant
 *   {{window}}        the rate / rollup window ("60s" in PromQL, "60" seconds in Datadog): the watch's step in
 *                     per-step queries, the judged window's length in instant ones
 *   {{#byVariant}}…{{/byVariant}}  kept only when the series are split by variant
 *   {{^byVariant}}…{{/byVariant}}  kept only when they are not
 * Anything else between {{ and }} is an error, so a typo in an edited template fails loudly instead of reaching
 * the provider as literal text. Triple braces work as expected: `{{{selector}}}` is `{` + selector + `}`.
 */
export const HOLES = ['selector', 'variantLabel', 'window'] as const;
export type Hole = (typeof HOLES)[number];

const SECTION = /\{\{([#^])byVariant\}\}([\s\S]*?)\{\{\/byVariant\}\}/g;
const TAG = /\{\{([#^/]?)([A-Za-z_]+)\}\}/g;

export function renderTemplate(template: string, values: Record<Hole, string>, byVariant: boolean): string {
  for (const m of template.matchAll(TAG)) {
    const [whole, sigil, name] = m;
    const known = sigil === '' ? (HOLES as readonly string[]).includes(name) : name === 'byVariant';
    if (!known) {
      throw new RampartError(
        'bad_request',
        `Query template has an unknown hole ${whole}; known: {{selector}}, {{variantLabel}}, {{window}}, {{#byVariant}}…{{/byVariant}}, {{^byVariant}}…{{/byVariant}}`,
      );
    }
  }
  const withSections = template.replace(SECTION, (_whole, sigil: string, body: string) =>
    (sigil === '#') === byVariant ? body : '',
  );
  if (/\{\{[#^/]byVariant\}\}/.test(withSections)) {
    throw new RampartError('bad_request', 'Query template has an unclosed or nested {{#byVariant}} section');
  }
  return withSections.replace(TAG, (_whole, _sigil: string, name: string) => values[name as Hole]);
}
