import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

const flagFile = (flags: Record<string, unknown>) => ({ flags });
const on = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

describe('flagd adapter: a malformed file', () => {
  const cases: Array<{ name: string; content: unknown; path: RegExp }> = [
    { name: 'a bad state', content: flagFile({ 'new-checkout': { ...on, state: 'ON' } }), path: /invalid at \$\.flags\["new-checkout"\]\.state/ },
    { name: 'a default that is not a variant', content: flagFile({ x: { ...on, defaultVariant: 'maybe' } }), path: /invalid at \$\.flags\.x\.defaultVariant: "maybe" is not one of the variants/ },
    { name: 'variants of mixed types', content: flagFile({ x: { ...on, variants: { on: true, off: 'no' } } }), path: /invalid at \$\.flags\.x\.variants: all variants of a flag must have the same type/ },
    { name: 'no variants', content: flagFile({ x: { ...on, variants: {} } }), path: /invalid at \$\.flags\.x\.variants: a flag needs at least one variant/ },
    { name: 'a non-scalar metadata value', content: flagFile({ x: { ...on, metadata: { owner: { team: 'a' } } } }), path: /invalid at \$\.flags\.x\.metadata\.owner/ },
    { name: 'no flags at all', content: { metadata: {} }, path: /invalid at \$\.flags/ },
    { name: 'a bad entry in the array form', content: { flags: [{ ...on, key: 'a' }, { ...on, key: 'b', state: 'off' }] }, path: /invalid at \$\.flags\[1\]\.state/ },
    { name: 'a top-level array', content: [], path: /invalid at \$: expected an object with a "flags" field/ },
  ];

  for (const c of cases) {
    it(`names the file and the JSON path of ${c.name}`, async () => {
      tmp = tempFlagFile(c.content);
      const err = await rejection(storeFor(tmp.file).listFlags());
      expect(err.code).toBe('vendor_error');
      expect(err.message).toContain(tmp.file);
      expect(err.message).toMatch(c.path);
    });
  }

  it('gives the line and column of a JSON syntax error', async () => {
    tmp = tempFlagFile('{\n  "flags": {\n    "a": { "state": "ENABLED", }\n  }\n}\n');
    const err = await rejection(storeFor(tmp.file).getFlag('a'));
    expect(err.code).toBe('vendor_error');
    expect(err.message).toMatch(/not valid JSON at line 3, column \d+/);
  });

  it('never writes over a file it could not parse', async () => {
    const broken = JSON.stringify(SAMPLE, null, 2).replace('"ENABLED"', '"ENABLED",,');
    tmp = tempFlagFile(broken);
    const store = storeFor(tmp.file);
    for (const attempt of [
      store.setExposure('new-checkout', 'production', 50, { comment: 'ramp', expected: 25 }),
      store.setEnabled('new-checkout', 'production', false, { comment: 'off' }),
    ]) {
      expect((await rejection(attempt)).code).toBe('vendor_error');
    }
    expect(readFileSync(tmp.file, 'utf8')).toBe(broken);
  });

  it('recovers once the file is fixed', async () => {
    tmp = tempFlagFile('{ "flags": ');
    const store = storeFor(tmp.file);
    expect((await rejection(store.listFlags())).code).toBe('vendor_error');
    writeFileSync(tmp.file, JSON.stringify(SAMPLE));
    expect((await store.listFlags()).length).toBeGreaterThan(0);
  });
});
