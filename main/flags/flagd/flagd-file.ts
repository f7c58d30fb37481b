import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants, type Stats } from 'node:fs';
import path from 'node:path';
import { RampartError } from '../../../shared/errors';
import { MAX_FLAG_FILE_BYTES } from './flagd-limits';
import { setBounded } from '../../../shared/bounded-map';
import { keepOwnership } from './flagd-owner';

/**
 * File I/O for the flagd adapter.
 *
 * Reading (docs/security.md, "When things fail": flag files are regular files only): `stat` first and refuse
 * anything that is not a regular file — a FIFO, socket, device or directory is never opened, because a blocking
 * read of a FIFO would hold one of libuv's four threads forever and stall every other file operation of the
 * process. Then open with O_NONBLOCK and `fstat` the handle: if the path was swapped for something else between
 * the two calls, the handle is not the file we checked and we stop. Symlinks are followed and reported. Size is
 * capped before and while reading.
 *
 * Writing: an atomic replace (temp file in the same directory → fsync → hash check of the live file → rename →
 * fsync the directory), so a reader — flagd itself, an in-process provider, our own watcher — only ever sees the
 * old file or the new one. The caller holds the cross-process lock (flagd-lock.ts) around read → compare → replace.
 */

export interface FlagFileText {
  text: string;
  /** sha256 of the text: the compare-and-replace version. */
  hash: string;
  /** The file actually read (symlinks resolved); equals the configured path when there is no link. */
  realPath: string;
  viaSymlink: boolean;
}

/**
 * sha256 of a text, remembered for the last few large texts: one write hashes the same file text four to six times
 * (live read, read under the lock, the check before the rename, the read-back, the watch). A Map keyed by the text
 * itself finds it by V8's string equality, which costs a small fraction of hashing it again.
 */
export function hashText(text: string): string {
  if (text.length < HASH_MEMO_MIN_CHARS) return createHash('sha256').update(text).digest('hex');
  const known = hashMemo.get(text);
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(text).digest('hex');
  setBounded(hashMemo, text, hash, HASH_MEMO_KEPT);
  return hash;
}
const hashMemo = new Map<string, string>();
const HASH_MEMO_KEPT = 4;
const HASH_MEMO_MIN_CHARS = 64 * 1024;

function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(e);
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function notRegular(file: string, s: Stats): RampartError {
  return new RampartError(
    'bad_request',
    `flagd file ${file} is ${kindOf(s)}, not a regular file; point the connection at a JSON flag file`,
    { file },
  );
}

function tooLarge(file: string, bytes: number): RampartError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  // A file Rampart will not read, like a FIFO or a directory: bad input (CLI exit 2), not a store that failed.
  return new RampartError(
    'bad_request',
    `flagd file ${file} is larger than ${mib(MAX_FLAG_FILE_BYTES)} (${bytes > MAX_FLAG_FILE_BYTES ? mib(bytes) : 'it grew while being read'}); Rampart reads flag files up to ${mib(MAX_FLAG_FILE_BYTES)}`,
    { file },
  );
}

function readError(file: string, e: unknown): RampartError {
  if (e instanceof RampartError) return e;
  if ((e as NodeJS.ErrnoException).code === 'ENOENT')
    return new RampartError('not_found', `flagd file ${file} does not exist`, { file });
  return new RampartError('unreachable', `flagd file ${file}: cannot read it (${ioReason(e)})`, { file });
}

/** The real file behind a symlink: replacing the link itself would turn it into a plain file. */
export async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return path.resolve(file);
  }
}

async function statRegular(file: string): Promise<Stats> {
  const s = await fs.stat(file); // follows symlinks: the target is what must be a regular file
  if (!s.isFile()) throw notRegular(file, s);
  if (s.size > MAX_FLAG_FILE_BYTES) throw tooLarge(file, s.size);
  return s;
}

/** Throws unless `file` is a regular file within the size limit — checked before a write takes its lock. */
export async function assertFlagFile(file: string): Promise<void> {
  try {
    await statRegular(file);
  } catch (e) {
    throw readError(file, e);
  }
}

/** An editor saving by rename between Rampart's stat and its open: read again (the new file is the one to read). */
const REPLACED_READ_ATTEMPTS = 4;

/** Read a flag file safely (see the header). Throws RampartError naming the file and the problem. */
export async function readFlagFile(file: string): Promise<FlagFileText> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readFlagFileOnce(file);
    } catch (e) {
      if (!(e instanceof FileReplaced) || attempt >= REPLACED_READ_ATTEMPTS) throw readError(file, e);
    }
  }
}

class FileReplaced extends RampartError {
  constructor(file: string) {
    super('conflict', `flagd file ${file} kept being replaced while Rampart opened it; nothing was written`, { file });
  }
}

async function readFlagFileOnce(file: string): Promise<FlagFileText> {
  let handle: fs.FileHandle | undefined;
  try {
    const before = await statRegular(file);
    handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(file, opened);
    if (opened.ino !== before.ino || opened.dev !== before.dev) {
      throw new FileReplaced(file);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, MAX_FLAG_FILE_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_FLAG_FILE_BYTES) throw tooLarge(file, total);
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    const realPath = await realTarget(file);
    return { text, hash: hashText(text), realPath, viaSymlink: realPath !== path.resolve(file) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Makes the rename durable on POSIX; directories cannot be opened for fsync on Windows, which is fine there.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, fsConstants.O_RDONLY);
    await handle.sync();
  } catch {
    /* best effort */
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Replace `file` with `text` if and only if its content still hashes to `expectedHash`.
 * Returns false (and writes nothing) when the file changed since it was read — an editor that does not take
 * Rampart's lock — so the caller can re-read and re-check. Throws RampartError when the file cannot be written.
 */
export async function replaceFileIfUnchanged(file: string, text: string, expectedHash: string): Promise<boolean> {
  const target = await realTarget(file);
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let original: Stats | null = null;
  try {
    original = await fs.stat(target);
  } catch {
    /* a new file: the default mode, Rampart's owner */
  }
  const mode = original ? original.mode & 0o777 : 0o644;
  let renamed = false;
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      if (original) await handle.chmod(mode); // the original's mode exactly: open() applied the umask to it
      await keepOwnership(handle, original, file);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    const live = await readFlagFile(target);
    if (live.hash !== expectedHash) return false;
    await fs.rename(temp, target);
    renamed = true;
    await fsyncDirectory(dir);
    return true;
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw new RampartError(
      'vendor_error',
      `flagd file ${file}: cannot write it (${ioReason(e)}); the file was not changed`,
      { file },
    );
  } finally {
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
}
