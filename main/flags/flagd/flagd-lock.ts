import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { RampartError } from '../../../shared/errors';

/**
 * The cross-process write lock of a flag file (docs/security.md: "across processes on one data dir,
 * compare-and-replace is atomic (a lock, not just a hash compare)"). Two browser hosts, a host and a CLI run, or
 * two adapters in one process each hold it across read → compare → write → fsync → rename, so neither can
 * rename its file over an edit it never saw.
 *
 * - The lock is `.<file>.rampart-lock` next to the real file (symlinks resolved, so every path to one file shares
 *   one lock), created with O_CREAT|O_EXCL ('wx'); it holds the owner's pid, its start time (/proc on Linux, to
 *   tell a live owner from a recycled pid), the host name and a random nonce.
 * - A lock is taken over only when its owner is provably dead: same host, and the pid does not exist or belongs
 *   to a process started at another time. A lock whose content cannot be read EMPTY_LOCK_GRACE_MS after it was
 *   created belongs to a process that died between creating it and writing its identity (two back-to-back
 *   syscalls). Takeover itself is serialized by a second lock (`….break`) and re-checks the content under it,
 *   so two processes breaking one stale lock cannot both win.
 * - Waiting is bounded: after `waitMs` the caller gets a `timeout` error naming the holder and the lock file.
 */

export const LOCK_WAIT_MS = 10_000;
const EMPTY_LOCK_GRACE_MS = 2_000;

interface LockOwner {
  pid: number;
  start: string | null;
  host: string;
  nonce: string;
  at: number;
}

type Held = { kind: 'owner'; owner: LockOwner } | { kind: 'unreadable'; mtimeMs: number } | { kind: 'gone' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let ownStart: Promise<string | null> | undefined;

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null where there is no /proc. */
async function processStart(pid: number): Promise<string | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

async function readHeld(lockPath: string): Promise<Held> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath).then((s) => s.mtimeMs)]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw e;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.nonce === 'string' && typeof o.host === 'string') {
      return {
        kind: 'owner',
        owner: {
          pid: o.pid,
          start: typeof o.start === 'string' ? o.start : null,
          host: o.host,
          nonce: o.nonce,
          at: Number(o.at) || mtimeMs,
        },
      };
    }
  } catch {
    /* unreadable: judged by age below */
  }
  return { kind: 'unreadable', mtimeMs };
}

async function provablyDead(held: Held): Promise<boolean> {
  if (held.kind === 'gone') return false;
  if (held.kind === 'unreadable') return Date.now() - held.mtimeMs > EMPTY_LOCK_GRACE_MS;
  const { owner } = held;
  if (owner.host !== hostname()) return false; // another machine (network drive): we cannot see its processes
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: it exists, owned by another user
  }
  if (owner.start === null) return false;
  const start = await processStart(owner.pid);
  return start !== null && start !== owner.start; // the pid now belongs to a newer process
}

function sameHolder(a: Held, b: Held): boolean {
  if (a.kind === 'owner' && b.kind === 'owner') return a.owner.nonce === b.owner.nonce;
  return a.kind === 'unreadable' && b.kind === 'unreadable' && a.mtimeMs === b.mtimeMs;
}

async function create(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(lockPath, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

async function removeIfOurs(lockPath: string, nonce: string): Promise<void> {
  const held = await readHeld(lockPath).catch((): Held => ({ kind: 'gone' }));
  if (held.kind === 'owner' && held.owner.nonce === nonce) await fs.unlink(lockPath).catch(() => undefined);
}

/** Remove a stale lock, unless someone else is already doing so or it changed hands meanwhile. */
async function breakStale(lockPath: string, stale: Held, me: () => Promise<LockOwner>): Promise<void> {
  const breaker = `${lockPath}.break`;
  const mine = await me();
  if (!(await create(breaker, mine))) {
    const other = await readHeld(breaker);
    if (await provablyDead(other)) {
      const again = await readHeld(breaker);
      if (sameHolder(other, again)) await fs.unlink(breaker).catch(() => undefined);
    }
    return;
  }
  try {
    if (sameHolder(stale, await readHeld(lockPath))) await fs.unlink(lockPath).catch(() => undefined);
  } finally {
    await removeIfOurs(breaker, mine.nonce);
  }
}

function describe(held: Held): string {
  if (held.kind !== 'owner') return 'a process that left an unreadable lock';
  const { owner } = held;
  return `process ${owner.pid} on ${owner.host} (holding it since ${new Date(owner.at).toISOString()})`;
}

/** Run `task` holding the write lock of `realFile` (the real path of the flag file). */
export async function withFileLock<T>(
  realFile: string,
  task: () => Promise<T>,
  opts: { waitMs?: number; file?: string } = {},
): Promise<T> {
  const lockPath = path.join(path.dirname(realFile), `.${path.basename(realFile)}.rampart-lock`);
  const shown = opts.file ?? realFile;
  ownStart ??= processStart(process.pid);
  const start = await ownStart;
  const me = async (): Promise<LockOwner> => ({
    pid: process.pid,
    start,
    host: hostname(),
    nonce: randomBytes(12).toString('hex'),
    at: Date.now(),
  });
  const deadline = Date.now() + (opts.waitMs ?? LOCK_WAIT_MS);
  let delay = 2;
  let owner: LockOwner;
  for (;;) {
    owner = await me();
    try {
      if (await create(lockPath, owner)) break;
    } catch (e) {
      throw new RampartError(
        'vendor_error',
        `flagd file ${shown}: cannot create its lock file ${lockPath} (${(e as Error).message}); nothing was written`,
        { file: shown },
      );
    }
    const held = await readHeld(lockPath).catch((): Held => ({ kind: 'gone' }));
    if (held.kind === 'gone') continue;
    if (await provablyDead(held)) {
      await breakStale(lockPath, held, me);
      continue;
    }
    if (Date.now() > deadline) {
      throw new RampartError(
        'timeout',
        `flagd file ${shown} is being written by ${describe(held)}; waited ${Math.round((opts.waitMs ?? LOCK_WAIT_MS) / 1000)} s for its lock and wrote nothing. If no Rampart process is writing this file, delete ${lockPath}.`,
        { file: shown, lock: lockPath },
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await task();
  } finally {
    await removeIfOurs(lockPath, owner.nonce);
  }
}
