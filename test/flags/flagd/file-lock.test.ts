import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

/**
 * The cross-process write lock (main/flags/flagd/flagd-lock.ts): taken over only from a provably dead owner,
 * waited for (bounded, with a clear error) while its owner lives, and never left behind.
 */

let tmp: TempFlagFile;
const children: Array<{ kill: () => void }> = [];
afterEach(() => {
  children.splice(0).forEach((c) => c.kill());
  tmp?.cleanup();
});

const lockOf = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.rampart-lock`);
const ramp = { comment: 'ramp', expected: 25 };

/** Field 22 of /proc/<pid>/stat: what the lock records to tell a live owner from a recycled pid. */
function startOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function plantLock(file: string, owner: Record<string, unknown>): void {
  writeFileSync(lockOf(file), JSON.stringify({ host: hostname(), nonce: 'planted', at: Date.now(), ...owner }));
}

async function exposure(file: string): Promise<number | null> {
  return (await storeFor(file).getFlag('new-checkout')).envs.production.exposure;
}

describe('flagd file lock', () => {
  it('takes over the lock of a process that has exited', async () => {
    tmp = tempFlagFile();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    plantLock(tmp.file, { pid: gone, start: null });
    await storeFor(tmp.file).setExposure('new-checkout', 'production', 50, ramp);
    expect(await exposure(tmp.file)).toBe(50);
    expect(existsSync(lockOf(tmp.file))).toBe(false);
  });

  it('takes over a lock whose pid now belongs to a newer process (pid reuse)', async () => {
    tmp = tempFlagFile();
    plantLock(tmp.file, { pid: process.pid, start: String(Number(startOf(process.pid)) - 1) });
    await storeFor(tmp.file).setExposure('new-checkout', 'production', 50, ramp);
    expect(await exposure(tmp.file)).toBe(50);
  });

  it('waits for a live owner, then gives up with a timeout naming it and the lock file; writes once it is gone', async () => {
    tmp = tempFlagFile();
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push({ kill: () => owner.kill('SIGKILL') });
    await new Promise((r) => owner.once('spawn', r));
    plantLock(tmp.file, { pid: owner.pid, start: startOf(owner.pid!) });
    const before = readFileSync(tmp.file, 'utf8');
    const store = storeFor(tmp.file, { lockWaitMs: 300 });
    const err = await rejection(store.setExposure('new-checkout', 'production', 50, ramp));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(`process ${owner.pid} on ${hostname()}`);
    expect(err.message).toContain(`delete ${lockOf(tmp.file)}`);
    expect(readFileSync(tmp.file, 'utf8')).toBe(before);
    // A rollback waits for the same lock: it is never written around it.
    expect((await rejection(store.rollback('new-checkout', 'production', { comment: 'kill', live: null }))).code).toBe(
      'timeout',
    );

    const exited = new Promise((r) => owner.once('exit', r));
    owner.kill('SIGKILL');
    await exited;
    await store.setExposure('new-checkout', 'production', 50, ramp);
    expect(await exposure(tmp.file)).toBe(50);
  });

  it('never takes over a lock held on another machine (a shared drive)', async () => {
    tmp = tempFlagFile();
    plantLock(tmp.file, { pid: 1, start: null, host: `not-${hostname()}` });
    const err = await rejection(
      storeFor(tmp.file, { lockWaitMs: 200 }).setExposure('new-checkout', 'production', 50, ramp),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(`on not-${hostname()}`);
  });

  it('treats an unreadable lock as live while fresh, and as abandoned once old', async () => {
    tmp = tempFlagFile();
    writeFileSync(lockOf(tmp.file), '');
    const store = storeFor(tmp.file, { lockWaitMs: 200 });
    expect((await rejection(store.setExposure('new-checkout', 'production', 50, ramp))).code).toBe('timeout');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockOf(tmp.file), old, old);
    await store.setExposure('new-checkout', 'production', 50, ramp);
    expect(await exposure(tmp.file)).toBe(50);
  });

  it('serializes two adapters of one process on one file, leaving no lock or temp file behind', async () => {
    tmp = tempFlagFile();
    const one = storeFor(tmp.file);
    const two = storeFor(tmp.file);
    let a = 25;
    let b = 25;
    for (let i = 0; i < 20; i++) {
      const [na, nb] = [(i % 50) + 30, (i % 40) + 11];
      await Promise.all([
        one.setExposure('new-checkout', 'production', na, { comment: 'a', expected: a }),
        two.setExposure('relative-weights', 'production', nb, { comment: 'b', expected: b }),
        two.setEnabled('three-way', 'production', i % 2 === 0, { comment: 'toggle' }),
      ]);
      a = na;
      b = nb;
    }
    expect(await exposure(tmp.file)).toBe(a);
    expect((await one.getFlag('relative-weights')).envs.production.exposure).toBe(b);
    expect((await one.getFlag('three-way')).envs.production.enabled).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual(['flags.json']);
  });
});
