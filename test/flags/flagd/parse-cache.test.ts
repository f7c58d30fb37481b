import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFlagdText } from '../../../main/flags/flagd';
import { SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

/**
 * One write reads the same text several times, so parses are cached by exact text (flagd-schema.ts) and shared: an
 * edit must clone the flag it changes, never the cached document in place — else a reader holding the file's
 * previous state would see a state that was never on disk.
 */
let tmp: TempFlagFile | undefined;
afterEach(() => tmp?.cleanup());

describe('the flagd parse cache', () => {
  it('answers the same document for the same text, a new one for a new text', () => {
    tmp = tempFlagFile();
    const text = readFileSync(tmp.file, 'utf8');
    const a = parseFlagdText(tmp.file, text);
    expect(parseFlagdText(tmp.file, text)).toBe(a);
    expect(parseFlagdText(tmp.file, `${text}\n`)).not.toBe(a);
  });

  it('a ramp and a rollback leave the document of the text they read untouched', async () => {
    tmp = tempFlagFile();
    const before = readFileSync(tmp.file, 'utf8');
    const held = parseFlagdText(tmp.file, before); // what a concurrent reader of the old file holds
    const snapshot = JSON.stringify(held.raw);
    const store = storeFor(tmp.file);
    await store.setExposure('new-checkout', 'production', 60, { comment: 'ramp', expected: 25 });
    const ramped = readFileSync(tmp.file, 'utf8');
    await store.rollback('new-checkout', 'production', { comment: 'kill', live: null });
    await store.close?.();
    expect(JSON.stringify(held.raw)).toBe(snapshot);
    expect(held.raw).toEqual(JSON.parse(before));
    expect(JSON.stringify(parseFlagdText(tmp.file, ramped).raw)).toContain('["on",60]');
    const rolled = JSON.parse(readFileSync(tmp.file, 'utf8')) as typeof SAMPLE;
    expect(rolled.flags['new-checkout'].targeting.fractional.slice(1)).toEqual([
      ['on', 0],
      ['off', 100],
    ]);
  });
});
