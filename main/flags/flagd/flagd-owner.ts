/**
 * The owner of a flagd file Rampart replaces (flagd-file.ts writes a temp file and renames it over the original, so
 * the new file is Rampart's unless it says otherwise). flagd often runs as its own user and reads a file only that
 * user may read (0600/0640): a replacement owned by Rampart's user would leave flagd unable to read the rollback
 * Rampart just confirmed by reading the file itself. So the replacement keeps the original's owner and group
 * (possible as root, or the group alone as one of its members); when the owner cannot be kept and others may not
 * read the file, the write is refused before anything changes, saying what to do.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { RampartError } from '../../../shared/errors';

export interface Ownership {
  uid: number;
  gid: number;
  mode: number;
}

/** Why the replacement cannot keep the file readable by its owner, or null when it can. */
export function ownerProblem(
  original: Ownership,
  kept: { owner: boolean },
  file: string,
  selfUid: number,
): string | null {
  if (kept.owner || (original.mode & 0o004) !== 0) return null;
  const mode = (original.mode & 0o777).toString(8).padStart(4, '0');
  return (
    `flagd file ${file} belongs to uid ${original.uid} and others may not read it (mode ${mode}); Rampart runs as uid ` +
    `${selfUid} and cannot keep its owner, so a flagd running as uid ${original.uid} could no longer read the file ` +
    `after the write. Nothing was changed. Run Rampart as the file's owner, or let others read it (chmod o+r).`
  );
}

/** Gives the temp file the original's owner and group where the process may; refuses (throws) when that matters. */
export async function keepOwnership(handle: FileHandle, original: Stats | null, file: string): Promise<void> {
  const selfUid = process.getuid?.();
  if (!original || selfUid === undefined) return; // a new file, or a platform without POSIX owners
  if (original.uid === selfUid && original.gid === process.getgid?.()) return;
  let owner = original.uid === selfUid;
  try {
    await handle.chown(original.uid, original.gid);
    owner = true;
  } catch {
    await handle.chown(-1, original.gid).catch(() => undefined); // at least the group, where allowed
  }
  const problem = ownerProblem(original, { owner }, file, selfUid);
  if (problem) throw new RampartError('blocked', problem, { file });
}
