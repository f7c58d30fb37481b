import { isRecord, nodeText } from './json-node';

/**
 * A short, human summary of a flagd JsonLogic targeting rule for the flag list and chart markers, e.g.
 * `if email ends_with @example.com → on; else fractional on 25% / off 75%`. Not a full JsonLogic printer: unknown
 * operators print as `op(…)`, and the text is cut at MAX_LENGTH characters. Every value is printed with
 * `nodeText` (a file can give an object its own `toString`); depth is bounded by the parser's nesting limit.
 */

const MAX_LENGTH = 240;

const INFIX: Record<string, string> = {
  '==': '==',
  '===': '==',
  '!=': '!=',
  '!==': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  in: 'in',
  starts_with: 'starts_with',
  ends_with: 'ends_with',
};

function args(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function fractionalText(fractionalArgs: unknown[]): string {
  const hasBucketBy = fractionalArgs.length > 0 && !Array.isArray(fractionalArgs[0]);
  const buckets = (hasBucketBy ? fractionalArgs.slice(1) : fractionalArgs).filter(Array.isArray) as unknown[][];
  const weights = buckets.map((b) => (b.length >= 2 ? b[1] : 1));
  const names = buckets.map((b) => nodeText(b[0])).join(' / ');
  if (weights.every((w): w is number => typeof w === 'number')) {
    const total = weights.reduce((s, w) => s + Math.max(0, w), 0) || 1;
    if (!Number.isFinite(total)) return `fractional ${names} (weights too large to share out)`;
    const parts = buckets.map(
      (b, i) => `${nodeText(b[0])} ${Number(((100 * Math.max(0, weights[i])) / total).toFixed(2))}%`,
    );
    return `fractional ${parts.join(' / ')}`;
  }
  return `fractional ${names} (computed weights)`;
}

function expr(node: unknown): string {
  if (node === null) return 'default';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return `[${node.map(expr).join(', ')}]`;
  if (!isRecord(node)) return '?';
  const keys = Object.keys(node);
  if (keys.length !== 1) return '{…}';
  const op = keys[0];
  const a = args(node[op]);
  if (op === 'var') return nodeText(Array.isArray(node.var) ? node.var[0] : node.var);
  if (op === '$ref') return `$ref ${nodeText(node.$ref)}`;
  if (op === 'fractional') return fractionalText(a);
  if (op in INFIX && a.length === 2) return `${expr(a[0])} ${INFIX[op]} ${expr(a[1])}`;
  if (op === 'and' || op === 'or') return a.map(expr).join(` ${op} `);
  if (op === '!' || op === 'not') return `not ${expr(a[0])}`;
  if (op === 'sem_ver' && a.length === 3) return `${expr(a[0])} ${expr(a[1])} ${expr(a[2])} (semver)`;
  if (op === 'cat') return `cat(${a.map(expr).join(', ')})`;
  if (op === 'if' || op === '?:') return ifChain(a);
  return `${op}(${a.map(expr).join(', ')})`;
}

function ifChain(a: unknown[]): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < a.length; i += 2) parts.push(`${i === 0 ? 'if' : 'elif'} ${expr(a[i])} → ${expr(a[i + 1])}`);
  if (a.length % 2 === 1) parts.push(`else ${expr(a[a.length - 1])}`);
  return parts.join('; ');
}

export function summarizeTargeting(targeting: unknown): string {
  const text = expr(targeting);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
