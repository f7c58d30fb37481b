import { chmodSync, chownSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerProblem } from '../../../main/flags/flagd/flagd-owner';
import { storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

/**
 * A flagd file Rampart replaces keeps its owner, group and mode (flagd-owner.ts). flagd often runs as its own user
 * and reads a 0600 file: the replacement used to be owned by Rampart's user (the tester, as root: `root root 0600`
 * after a confirmed ramp; `runuser -u nobody -- cat` → Permission denied), so flagd could no longer read the rollback
 * Rampart had just confirmed by reading the file itself.
 */
let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

describe('the owner of a replaced flagd file', () => {
  it('keeps the owner, group and exact mode of a 0600 file owned by another user (as root)', async () => {
    // chown to another user needs root; CI and these machines run as root. Not silently skipped elsewhere.
    if (!asRoot) throw new Error('this test must run as root (it gives the flag file to uid 65534)');
    tmp = tempFlagFile();
    chownSync(tmp.file, NOBODY, NOBODY);
    chmodSync(tmp.file, 0o600);
    await storeFor(tmp.file).setExposure('new-checkout', 'production', 50, { comment: 'owner test', expected: 25 });
    const st = statSync(tmp.file);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([NOBODY, NOBODY, 0o600]);
  });

  it('keeps a group-writable mode the umask would have cut (0664)', async () => {
    tmp = tempFlagFile();
    chmodSync(tmp.file, 0o664);
    await storeFor(tmp.file).rollback('new-checkout', 'production', { comment: 'mode test', live: null });
    expect(statSync(tmp.file).mode & 0o777).toBe(0o664);
  });

  it('refuses, before anything changes, a replacement its owner could no longer read', () => {
    const file = '/srv/flags.json';
    expect(ownerProblem({ uid: 1001, gid: 1001, mode: 0o100600 }, { owner: true }, file, 1000)).toBeNull();
    expect(ownerProblem({ uid: 1001, gid: 1001, mode: 0o100644 }, { owner: false }, file, 1000)).toBeNull();
    const why = ownerProblem({ uid: 1001, gid: 1001, mode: 0o100640 }, { owner: false }, file, 1000);
    expect(why).toContain('belongs to uid 1001 and others may not read it (mode 0640)');
    expect(why).toContain('Nothing was changed');
  });
});
