import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { RampartError } from '../../../shared/errors';

/**
 * File I/O for the flagd adapter: read with a content hash, and an atomic replace (temp file in the same
 * directory → fsync → hash check of the live file → rename → fsync the directory), so a reader — flagd itself,
 * an in-process provider, or our own watcher — only ever sees the old file or the new one, never half of it.
 */

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(e);
}

export async function readTextWithHash(file: string): Promise<{ text: string; hash: string }> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return { text, hash: hashText(text) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RampartError('not_found', `flagd file ${file} does not exist`, { file });
    }
    throw new RampartError('unreachable', `flagd file ${file}: cannot read it (${ioReason(e)})`, { file });
  }
}

/** The real file behind a symlink: replacing the link itself would turn it into a plain file. */
async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return path.resolve(file);
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
 * Returns false (and writes nothing) when the file changed since it was read, so the caller can re-read and
 * re-check. Throws RampartError when the file cannot be written.
 */
export async function replaceFileIfUnchanged(file: string, text: string, expectedHash: string): Promise<boolean> {
  const target = await realTarget(file);
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await fs.stat(target)).mode & 0o777;
  } catch {
    /* keep the default */
  }
  let renamed = false;
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    const live = await readTextWithHash(target);
    if (live.hash !== expectedHash) return false;
    await fs.rename(temp, target);
    renamed = true;
    await fsyncDirectory(dir);
    return true;
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw new RampartError('vendor_error', `flagd file ${file}: cannot write it (${ioReason(e)}); the file was not changed`, { file });
  } finally {
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
}

/** The indentation the file uses (first indented line), so a rewrite keeps its look. Defaults to 2 spaces. */
export function detectIndent(text: string): string | number {
  const m = /^[{[][^\n]*\n([ \t]+)\S/.exec(text) ?? /\n([ \t]+)"/.exec(text);
  return m ? m[1] : 2;
}

export function serializeLike(original: string, doc: unknown): string {
  const body = JSON.stringify(doc, null, detectIndent(original));
  return /\r?\n$/.test(original) || original === '' ? `${body}\n` : body;
}
