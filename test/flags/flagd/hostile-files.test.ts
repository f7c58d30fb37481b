import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';
import { evaluateFile, treatmentServed } from './support/flagd-eval';

/**
 * Issue 9: "a FIFO given as a flag file hangs every request … `{"var":{"toString":0}}`, or 5,000-deep nesting,
 * crashes the browser host". Each hostile file makes that connection's reads fail with a clear error naming the
 * file and the problem — without blocking on it — while a second connection on a good file keeps working.
 */

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

function mkfifo(file: string): void {
  try {
    execFileSync('mkfifo', [file]);
  } catch (e) {
    throw new Error(`mkfifo is needed for this test (coreutils): ${(e as Error).message}`);
  }
}

const flag = (targeting: unknown) => ({
  flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting } },
});

describe('flagd adapter: files that are not flag files', () => {
  const cases: Array<{ name: string; make: (dir: string) => string; code: string; message: RegExp }> = [
    {
      name: 'a FIFO',
      make: (dir) => (mkfifo(path.join(dir, 'fifo.json')), path.join(dir, 'fifo.json')),
      code: 'bad_request',
      message: /is a FIFO \(named pipe\), not a regular file/,
    },
    {
      name: 'a symlink to a FIFO',
      make: (dir) => (
        mkfifo(path.join(dir, 'p')),
        symlinkSync(path.join(dir, 'p'), path.join(dir, 'l.json')),
        path.join(dir, 'l.json')
      ),
      code: 'bad_request',
      message: /is a FIFO/,
    },
    {
      name: 'a character device (/dev/zero)',
      make: () => '/dev/zero',
      code: 'bad_request',
      message: /is a character device, not a regular file/,
    },
    {
      name: 'a directory',
      make: (dir) => (mkdirSync(path.join(dir, 'd.json')), path.join(dir, 'd.json')),
      code: 'bad_request',
      message: /is a directory, not a regular file/,
    },
    {
      name: 'a 20 MiB file',
      make: (dir) => (
        writeFileSync(path.join(dir, 'big.json'), Buffer.alloc(20 * 1024 * 1024, 0x20)),
        path.join(dir, 'big.json')
      ),
      code: 'bad_request',
      message: /is larger than 8\.0 MiB \(20\.0 MiB\)/,
    },
    {
      name: '5,000-deep nesting',
      make: (dir) => (
        writeFileSync(
          path.join(dir, 'deep.json'),
          `{"flags":{"f":{"state":"ENABLED","variants":{"on":true},"targeting":${'{"!":['.repeat(5000)}true${']}'.repeat(5000)}}}}`,
        ),
        path.join(dir, 'deep.json')
      ),
      code: 'vendor_error',
      message: /nested more than 100 levels deep at line 1, column \d+/,
    },
    {
      name: 'a __proto__ key',
      make: (dir) => (
        writeFileSync(
          path.join(dir, 'proto.json'),
          '{"flags":{"f":{"state":"ENABLED","variants":{"on":true,"off":false},"targeting":{"__proto__":{"polluted":1}}}}}',
        ),
        path.join(dir, 'proto.json')
      ),
      code: 'vendor_error',
      message: /invalid at \$\.flags\.f\.targeting: the key "__proto__" is not allowed/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with a clear error, and a second connection keeps working`, async () => {
      tmp = tempFlagFile();
      const bad = storeFor(c.make(tmp.dir));
      const good = storeFor(tmp.file);
      for (const read of [
        () => bad.listFlags(),
        () => bad.getFlag('f'),
        () => bad.environments(),
        () => bad.treatmentReach('f', 'production'),
      ]) {
        const err = await rejection(read());
        expect(err.code).toBe(c.code);
        expect(err.message).toMatch(c.message);
      }
      // A rollback on a broken file refuses (nothing can be written over it).
      expect((await rejection(bad.rollback('f', 'production', { comment: 'kill', live: null }))).message).toMatch(
        c.message,
      );
      expect((await good.listFlags()).length).toBe(Object.keys(SAMPLE.flags).length);
      await good.rollback('new-checkout', 'production', { comment: 'kill', live: null });
      expect(treatmentServed(evaluateFile(tmp.file, 'new-checkout'), 'off')).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('reads through a symlink and says so in the environment it reports', async () => {
    tmp = tempFlagFile();
    const link = path.join(tmp.dir, 'current.json');
    symlinkSync(tmp.file, link);
    const store = storeFor(link);
    expect(await store.environments()).toEqual([
      { key: 'production', name: `production (${link} is a symlink to ${tmp.file})` },
    ]);
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(25);
  });

  it('a broken rollback target is left byte-for-byte as it was', async () => {
    const broken = JSON.stringify(SAMPLE).replace('"ENABLED"', '"ENABLED",,');
    tmp = tempFlagFile(broken);
    const err = await rejection(
      storeFor(tmp.file).rollback('new-checkout', 'production', { comment: 'kill', live: null }),
    );
    expect(err.code).toBe('vendor_error');
    expect(err.message).toContain(tmp.file);
    expect(readFileSync(tmp.file, 'utf8')).toBe(broken);
  });
});

describe('flagd adapter: hostile JsonLogic shapes are read, rolled back and proven without a crash', () => {
  const shapes: Array<{ name: string; targeting: unknown }> = [
    { name: '{"var":{"toString":0}}', targeting: { var: { toString: 0 } } },
    {
      name: 'a toString condition',
      targeting: { if: [{ var: { toString: 0 } }, 'off', { fractional: [{ toString: 0 }, ['on', 50], ['off', 50]] }] },
    },
    { name: '{"fractional":"x"}', targeting: { fractional: 'x' } },
    { name: '{"if":null}', targeting: { if: null } },
    { name: 'a fractional with scalar entries', targeting: { fractional: [1, 'on', null] } },
    { name: 'constructor and prototype keys', targeting: { if: [{ constructor: { prototype: 1 } }, 'on', 'off'] } },
    { name: '100-deep nesting (the limit)', targeting: JSON.parse(`${'{"!":['.repeat(48)}true${']}'.repeat(48)}`) },
  ];

  for (const s of shapes) {
    it(s.name, async () => {
      tmp = tempFlagFile(flag(s.targeting));
      const store = storeFor(tmp.file);
      const env = (await store.getFlag('f')).envs.production;
      expect(typeof env.targeting).toBe('string');
      await store.treatmentReach('f', 'production'); // answers (any state) instead of throwing
      await store.rollback('f', 'production', { comment: 'kill', live: null });
      const served = evaluateFile(tmp.file, 'f');
      expect(served.disabled || (treatmentServed(served, 'off') === 0 && served.errors === 0)).toBe(true);
      expect((await store.treatmentReach('f', 'production')).state).toBe('none');
    });
  }

  it('keeps a FIFO swapped in for the file from blocking (the regular file is read, the FIFO refused)', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    expect((await store.listFlags()).length).toBeGreaterThan(0);
    unlinkSync(tmp.file);
    mkfifo(tmp.file);
    expect((await rejection(store.listFlags())).message).toMatch(/is a FIFO/);
    unlinkSync(tmp.file);
    writeFileSync(tmp.file, JSON.stringify(SAMPLE));
    expect((await store.listFlags()).length).toBeGreaterThan(0); // a fixed file recovers
  });
});
