/**
 * Field-level messages in plain words (issue 11), from the contract's own zod schemas — the one owner of what a
 * valid connection or watch is — checked in the form before anything is sent, shown under the field they concern.
 * An error the core still returns (an env var it refuses, an id that exists) is mapped to its field the same way.
 */
import type { z } from 'zod';
import { errorFacts } from '../../../../shared/errors';

export type FieldErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

/** One zod issue as a sentence a person reads under a field, without schema jargon. */
export function plainIssue(issue: Issue): string {
  const m = issue.message;
  if (issue.code === 'invalid_type')
    return (issue as { input?: unknown }).input === undefined ? 'required' : 'not the right kind of value';
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  if (issue.code === 'too_small') {
    const min = Number((issue as { minimum?: unknown }).minimum);
    if ((issue as { origin?: string }).origin === 'string') return min <= 1 ? 'required' : `at least ${min} characters`;
    if ((issue as { origin?: string }).origin === 'array')
      return min <= 1 ? 'add at least one' : `at least ${min} entries`;
    return inclusive ? `at least ${min}` : `more than ${min}`;
  }
  if (issue.code === 'too_big') {
    const max = Number((issue as { maximum?: unknown }).maximum);
    if ((issue as { origin?: string }).origin === 'string') return `at most ${max} characters`;
    return inclusive ? `at most ${max}` : `less than ${max}`;
  }
  const values = (issue as { values?: unknown[] }).values;
  if (issue.code === 'invalid_value' && Array.isArray(values)) return `one of ${values.map(String).join(', ')}`;
  if (issue.code === 'invalid_format' || issue.code === 'invalid_value')
    return m.startsWith('Invalid') ? 'not a valid value here' : `must be ${m}`;
  if (issue.code === 'custom') return /^an? /.test(m) ? `must be ${m}, e.g. http://127.0.0.1:4242` : m;
  return m.replace(/^Invalid input: /, '');
}

/** Issues by field: the first path element after `prefix` (e.g. 'connection'), or '' for the form as a whole. */
export function fieldErrors(error: z.ZodError, prefix: readonly (string | number)[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.slice(prefix.length);
    const field = path.map(String).join('.') || '';
    if (!(field in out)) out[field] = plainIssue(issue);
  }
  return out;
}

/**
 * An error from the core mapped onto a field by the facts it carries (shared/errors.ts `errorFacts`), never by its
 * wording: a failed payload's issue at `connection.url`, the env var the core refuses (tokenEnv), the id that exists
 * already (id). Null when it concerns no single field.
 */
export function serverFieldError(
  error: { message: string; details?: unknown },
  fields: readonly string[],
): { field: string; message: string } | null {
  const facts = errorFacts(error);
  const issue = facts.issues?.find(
    (i) => (i.path[0] === 'connection' || i.path[0] === 'watch') && fields.includes(i.path[1] ?? ''),
  );
  if (issue) return { field: issue.path[1], message: issue.message.trim() };
  if (facts.field === 'id' && fields.includes('id'))
    return { field: 'id', message: 'another connection has this id: choose another one' };
  if (facts.field && fields.includes(facts.field))
    return { field: facts.field, message: error.message.replace(/^Connection '[^']*': /, '') };
  return null;
}
