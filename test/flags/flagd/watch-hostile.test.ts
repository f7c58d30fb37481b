import { execFileSync } from 'node:child_process';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlagChange } from '../../../shared/domain/flags';
import type { RampartError } from '../../../shared/errors';
import { SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

/**
 * Issue 9: "an edit of a watched flagd file (`{"var":{"toString":0}}`, or 5,000-deep nesting) crashes the browser
 * host with an uncaught TypeError/RangeError". The watcher reports every bad file through onError, keeps the last
 * good state, keeps watching, and picks up the fixed file. (Any exception escaping it would fail this test run as
 * an unhandled error.)
 */

let tmp: TempFlagFile;
const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  tmp?.cleanup();
});

type Sample = { flags: Record<string, Record<string, unknown>> };
const sample = (): Sample => structuredClone(SAMPLE) as unknown as Sample;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`the watcher never ${what}`);
    await sleep(10);
  }
}

/** Replace the file the way editors and GitOps syncs do: write beside it, rename over it. */
function replaceWith(file: string, content: string): void {
  const temp = path.join(path.dirname(file), '.next.json');
  writeFileSync(temp, content);
  renameSync(temp, file);
}

describe('flagd watcher: hostile edits never escape it', () => {
  it('reports bad files, keeps watching, survives a throwing subscriber, and recovers when the file is fixed', async () => {
    tmp = tempFlagFile();
    const seen: FlagChange[] = [];
    const errors: RampartError[] = [];
    let throwOnce = true;
    const store = storeFor(tmp.file, { watchDebounceMs: 20, watchPollMs: 50, onWatchError: (e) => errors.push(e) });
    stops.push(
      store.watch!((changes) => {
        seen.push(...changes);
        if (throwOnce) {
          throwOnce = false;
          throw new TypeError('subscriber bug');
        }
      }),
    );
    await sleep(150);

    // 1. A hostile but valid JsonLogic shape: read and diffed like any other edit (the subscriber throws once).
    const toStringShape = sample();
    toStringShape.flags['static-off'].targeting = { var: { toString: 0 } };
    replaceWith(tmp.file, JSON.stringify(toStringShape));
    await until('reported the toString edit', () => seen.some((c) => c.flagKey === 'static-off'));
    await until('reported the throwing subscriber', () => errors.some((e) => /subscriber bug/.test(e.message)));

    // 2. 5,000-deep nesting: refused with the nesting error, nothing emitted.
    const before = seen.length;
    replaceWith(
      tmp.file,
      `{"flags":{"f":{"state":"ENABLED","variants":{"on":true},"targeting":${'{"!":['.repeat(5000)}true${']}'.repeat(5000)}}}}`,
    );
    await until('reported the deep file', () => errors.some((e) => /nested more than 100 levels/.test(e.message)));

    // 3. A FIFO in place of the file: refused without being opened.
    unlinkSync(tmp.file);
    execFileSync('mkfifo', [tmp.file]);
    await until('reported the FIFO', () => errors.some((e) => /is a FIFO/.test(e.message)));
    expect(seen.length).toBe(before);

    // 4. Fixed: the diff is against the last good state (the toString edit), so exactly the new change shows.
    unlinkSync(tmp.file);
    const fixed = structuredClone(toStringShape);
    fixed.flags['three-way'].state = 'DISABLED';
    writeFileSync(tmp.file, JSON.stringify(fixed));
    await until('recovered after the file was fixed', () => seen.length > before);
    await sleep(200);
    expect(seen.slice(before).map((c) => `${c.flagKey}:${c.kind}`)).toEqual(['three-way:enabled']);
    for (const e of errors) expect(e.message).toContain(tmp.file);
  });
});
