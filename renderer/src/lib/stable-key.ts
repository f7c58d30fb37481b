/**
 * A cache key for a contract call: the channel plus the payload serialized with sorted object keys, so
 * `{a:1,b:2}` and `{b:2,a:1}` hit the same entry. `undefined` members are dropped, as JSON would.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function queryKey(channel: string, payload: unknown): string {
  return `${channel} ${stableStringify(payload)}`;
}
