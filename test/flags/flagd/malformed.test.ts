import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

const flagFile = (flags: Record<string, unknown>) => ({ flags });
const on = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

describe('flagd adapter: one malformed flag', () => {
  // Each is a flag-level problem: the flag is listed with it, never ramped, and its siblings keep working.
  const cases: Array<{ name: string; content: unknown; key: string; path: RegExp }> = [
    {
      name: 'a bad state',
      content: flagFile({ 'new-checkout': { ...on, state: 'ON' }, ok: on }),
      key: 'new-checkout',
      path: /invalid at \$\.flags\["new-checkout"\]\.state/,
    },
    {
      name: 'a default that is not a variant',
      content: flagFile({ x: { ...on, defaultVariant: 'maybe' }, ok: on }),
      key: 'x',
      path: /invalid at \$\.flags\.x\.defaultVariant: "maybe" is not one of the variants/,
    },
    {
      name: 'variants of mixed types',
      content: flagFile({ x: { ...on, variants: { on: true, off: 'no' } }, ok: on }),
      key: 'x',
      path: /invalid at \$\.flags\.x\.variants: all variants of a flag must have the same type/,
    },
    {
      name: 'no variants',
      content: flagFile({ x: { ...on, variants: {} }, ok: on }),
      key: 'x',
      path: /invalid at \$\.flags\.x\.variants: a flag needs at least one variant/,
    },
    {
      name: 'a non-scalar metadata value',
      content: flagFile({ x: { ...on, metadata: { owner: { team: 'a' } } }, ok: on }),
      key: 'x',
      path: /invalid at \$\.flags\.x\.metadata\.owner/,
    },
    {
      name: 'a bad entry in the array form',
      content: {
        flags: [
          { ...on, key: 'ok' },
          { ...on, key: 'b', state: 'off' },
        ],
      },
      key: 'b',
      path: /invalid at \$\.flags\[1\]\.state/,
    },
  ];

  for (const c of cases) {
    it(`lists ${c.name} with the JSON path of its problem, refuses to ramp it, and ramps its sibling`, async () => {
      tmp = tempFlagFile(c.content);
      const store = storeFor(tmp.file);
      const odd = (await store.listFlags()).find((f) => f.key === c.key)!;
      expect(odd.envs.production.exposure).toBeNull();
      expect(odd.envs.production.targeting).toMatch(c.path);
      const err = await rejection(store.setExposure(c.key, 'production', 10, { comment: 'ramp', expected: null }));
      expect(err.code).toBe('bad_request');
      expect(err.message).toContain(tmp.file);
      expect(err.message).toMatch(c.path);
      await store.setExposure('ok', 'production', 10, { comment: 'ramp', expected: 0 });
      expect((await store.getFlag('ok')).envs.production.exposure).toBe(10);
    });
  }
});

describe('flagd adapter: a malformed file', () => {
  const cases: Array<{ name: string; content: unknown; path: RegExp }> = [
    { name: 'no flags at all', content: { metadata: {} }, path: /invalid at \$\.flags/ },
    { name: 'a top-level array', content: [], path: /invalid at \$: expected an object with a "flags" field/ },
    {
      name: 'shared evaluators that are not an object',
      content: { $evaluators: 3, flags: {} },
      path: /\$\.\$evaluators/,
    },
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

  it('keeps a JSON syntax error on one line, though V8 quotes the text with its newlines', async () => {
    tmp = tempFlagFile('not json {\n');
    const err = await rejection(storeFor(tmp.file).getFlag('a'));
    expect(err.message).toContain('"not json {\\n" is not valid JSON');
    expect(err.message).not.toContain('\n');
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
