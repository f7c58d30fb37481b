import { RampartError } from '../../../shared/errors';

/**
 * A Datadog query as Rampart stores it in one string. Either a plain metric query
 *   p99:http.server.request.duration{service:checkout} by {feature_flag.result.variant}
 * or a formula over named queries, separated by semicolons (Datadog's query syntax has no `;`):
 *   formula = a / b; a = count:…{…,http.response.status_code:5*}.as_count(); b = count:…{…}.as_count()
 * The v2 API takes the queries and the formula as they are; the v1 API gets the formula with every name replaced
 * by its parenthesised query (v1 metric arithmetic).
 */
export interface NamedQuery {
  name: string;
  query: string;
}
export interface DatadogQueryPlan {
  queries: NamedQuery[];
  formula: string;
}

const NAME = /^[a-z][a-z0-9_]{0,19}$/;
const SEGMENT = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*([\s\S]+)$/;
/** Identifiers in a formula that are not function calls (`abs(a)` calls abs; `a` is a query). */
const FORMULA_IDENTIFIER = /\b([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g;

function planError(text: string, why: string): RampartError {
  return new RampartError('bad_request', `Datadog: bad query (${why}) — query: ${text.slice(0, 500)}`);
}

export function parseDatadogQuery(text: string): DatadogQueryPlan {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw planError(text, 'the query is empty');
  if (!trimmed.includes(';') && !/^formula\s*=/.test(trimmed))
    return { queries: [{ name: 'a', query: trimmed }], formula: 'a' };

  let formula: string | undefined;
  const queries: NamedQuery[] = [];
  for (const segment of trimmed
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const m = SEGMENT.exec(segment);
    if (!m) throw planError(text, `"${segment.slice(0, 60)}" is not "name = query"`);
    const [, name, body] = m;
    if (name === 'formula') {
      if (formula !== undefined) throw planError(text, 'more than one formula');
      formula = body.trim();
    } else {
      if (!NAME.test(name))
        throw planError(text, `query name "${name}" must be lower-case letters, digits and _ (e.g. a, b, errors)`);
      if (queries.some((q) => q.name === name)) throw planError(text, `query "${name}" is defined twice`);
      queries.push({ name, query: body.trim() });
    }
  }
  if (queries.length === 0) throw planError(text, 'no queries');
  if (formula === undefined) {
    if (queries.length > 1) throw planError(text, 'several queries but no "formula = …"');
    formula = queries[0].name;
  }
  const defined = new Set(queries.map((q) => q.name));
  for (const [, id] of formula.matchAll(FORMULA_IDENTIFIER)) {
    if (!defined.has(id))
      throw planError(text, `the formula uses "${id}", which is not one of the queries (${[...defined].join(', ')})`);
  }
  return { queries, formula };
}

/** The v1 form: one metric-arithmetic expression, each query name replaced by its query in parentheses. */
export function toV1Expression(plan: DatadogQueryPlan): string {
  if (plan.queries.length === 1 && plan.formula === plan.queries[0].name) return plan.queries[0].query;
  const byName = new Map(plan.queries.map((q) => [q.name, q.query]));
  return plan.formula.replace(FORMULA_IDENTIFIER, (id: string) => `(${byName.get(id) ?? id})`);
}
