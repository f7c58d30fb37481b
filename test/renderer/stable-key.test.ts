import { describe, expect, it } from 'vitest';
import { queryKey, stableStringify } from '../../renderer/src/lib/stable-key';

describe('query cache keys', () => {
  it('is independent of object key order, at any depth', () => {
    expect(stableStringify({ b: 2, a: { d: [1, { y: 1, x: 2 }], c: 'x' } })).toBe(
      stableStringify({ a: { c: 'x', d: [1, { x: 2, y: 1 }] }, b: 2 }),
    );
  });

  it('drops undefined members as JSON does, and tells different payloads apart', () => {
    expect(stableStringify({ a: 1, b: undefined })).toBe(stableStringify({ a: 1 }));
    expect(queryKey('flags:list', { search: 'a' })).not.toBe(queryKey('flags:list', { search: 'b' }));
    expect(queryKey('flags:list', {})).not.toBe(queryKey('flags:get', {}));
  });
});
