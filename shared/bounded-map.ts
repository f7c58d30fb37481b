/**
 * Sets `key` → `value` as the newest entry of `map` and drops the oldest entries past `max`: the one eviction rule
 * of the small memos and credential tables in main/ and shared/ (parses, hashes, proofs, launch codes, sessions).
 * A Map iterates in insertion order, so the first key is the oldest; a key set again moves to the newest place.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}
