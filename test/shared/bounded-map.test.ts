import { describe, expect, it } from 'vitest';
import { setBounded } from '../../shared/bounded-map';

/** The one eviction rule of the small memos and credential tables (shared/bounded-map.ts). */
describe('setBounded', () => {
  it('keeps the newest `max` entries, dropping the oldest first', () => {
    const m = new Map<string, number>();
    for (let i = 0; i < 5; i++) setBounded(m, `k${i}`, i, 3);
    expect([...m.keys()]).toEqual(['k2', 'k3', 'k4']);
  });

  it('a key set again becomes the newest and is not counted twice', () => {
    const m = new Map<string, number>();
    setBounded(m, 'a', 1, 3);
    setBounded(m, 'b', 2, 3);
    setBounded(m, 'c', 3, 3);
    setBounded(m, 'a', 10, 3);
    expect([...m]).toEqual([
      ['b', 2],
      ['c', 3],
      ['a', 10],
    ]);
    setBounded(m, 'd', 4, 3);
    expect([...m.keys()]).toEqual(['c', 'a', 'd']);
  });

  it('trims a map that is already over its bound', () => {
    const m = new Map([1, 2, 3, 4, 5].map((k) => [k, k] as const));
    setBounded(m, 6, 6, 2);
    expect([...m.keys()]).toEqual([5, 6]);
  });
});
