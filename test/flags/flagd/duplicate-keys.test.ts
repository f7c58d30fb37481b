import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

/**
 * The array form of a flagd file can define a key twice. Rampart reads the last definition; it must edit that same
 * one (it once rewrote the last with the first one's body), refuse to ramp a key whose served definition it cannot
 * know, and say so on the flag.
 */
let tmp: TempFlagFile | undefined;
afterEach(() => tmp?.cleanup());

const def = (weight: number, mark: string) => ({
  key: 'a',
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting: {
    fractional: [
      ['on', weight],
      ['off', 100 - weight],
    ],
  },
  metadata: { [mark]: true },
});
const other = { key: 'b', state: 'ENABLED', variants: { x: 'x' }, defaultVariant: 'x' };

describe('a flag key defined twice in the array form', () => {
  it('is a problem of the flag: no ramp, and the file is left as it was', async () => {
    tmp = tempFlagFile({ flags: [def(5, 'first'), other, def(10, 'last')] });
    const before = readFileSync(tmp.file, 'utf8');
    const store = storeFor(tmp.file);
    const a = (await store.listFlags()).find((f) => f.key === 'a');
    expect(a?.envs.production.targeting).toMatch(/defined 2 times in the file/);
    const refused = await rejection(store.setExposure('a', 'production', 50, { comment: 'ramp', expected: 10 }));
    expect(refused.code).toBe('bad_request');
    expect(readFileSync(tmp.file, 'utf8')).toBe(before);
  });

  it('a rollback turns off the definition it read (the last), keeping the first one\u2019s body untouched', async () => {
    tmp = tempFlagFile({ flags: [def(5, 'first'), other, def(10, 'last')] });
    await storeFor(tmp.file).rollback('a', 'production', { comment: 'kill', live: null });
    const after = JSON.parse(readFileSync(tmp.file, 'utf8')) as { flags: Array<Record<string, unknown>> };
    expect(after.flags[0]).toEqual(def(5, 'first'));
    expect(after.flags[2]).toEqual({ ...def(10, 'last'), state: 'DISABLED' });
  });
});
