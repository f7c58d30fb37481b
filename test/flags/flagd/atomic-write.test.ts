import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

// A reader in another thread, as flagd or an in-process provider would be: read + parse in a tight loop.
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
let stop = false, reads = 0, failures = 0, firstFailure = null;
parentPort.on('message', () => { stop = true; });
(function loop() {
  for (let i = 0; i < 200 && !stop; i++) {
    reads++;
    try {
      const doc = JSON.parse(fs.readFileSync(workerData.file, 'utf8'));
      if (!doc.flags || !doc.flags['new-checkout']) throw new Error('flag missing');
    } catch (e) { failures++; if (!firstFailure) firstFailure = String(e); }
  }
  if (stop) parentPort.postMessage({ reads, failures, firstFailure });
  else setImmediate(loop);
})();
`;

describe('flagd adapter: atomic writes', () => {
  it('never lets a concurrent reader see a half-written file while ramping many times', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const worker = new Worker(READER, { eval: true, workerData: { file: tmp.file } });
    const done = new Promise<{ reads: number; failures: number; firstFailure: string | null }>((resolve) =>
      worker.once('message', resolve),
    );
    let exposure = 25;
    for (let i = 0; i < 150; i++) {
      const next = i % 2 === 0 ? 75 : 25;
      await store.setExposure('new-checkout', 'production', next, { comment: 'flip', expected: exposure });
      exposure = next;
    }
    worker.postMessage('stop');
    const result = await done;
    await worker.terminate();
    expect(result.firstFailure).toBeNull();
    expect(result.failures).toBe(0);
    expect(result.reads).toBeGreaterThan(150); // the reader really raced the writes
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(25);
    expect(readdirSync(tmp.dir)).toEqual(['flags.json']); // no temp file left behind
  });
});
