import path from 'node:path';
import { RampartError } from '../../../shared/errors';
import { assertFlagFile } from './flagd-file';

/**
 * The save-time rule for a flagd connection's file (docs/security.md, "When things fail": flag files are regular
 * files only), checked at the core for every door — the CLI, the Connections form, RPC:
 * - an ABSOLUTE path: a relative one names a different file for each working directory (a CLI run in /tmp and a
 *   browser host started elsewhere would read and write two files under one connection). The CLI resolves its
 *   `--file` against its own working directory before it sends the connection;
 * - an existing regular file (not a directory, FIFO, socket or device; symlinks are followed) within the size
 *   limit — the same test every read and write makes (flagd-file.ts), so nothing is accepted here that fails later.
 */
export async function checkFlagdConnection(file: string): Promise<void> {
  assertAbsoluteFlagdPath(file);
  await assertFlagFile(file);
}

/**
 * The same rule for a connection already stored: one saved by an older Rampart (before paths had to be absolute)
 * is not resolved against whatever the working directory happens to be — it becomes that connection's error until
 * the user re-saves it with the absolute path, while every other connection keeps working.
 */
export function assertAbsoluteFlagdPath(file: string, stored = false): void {
  if (path.isAbsolute(file)) return;
  const fix = stored
    ? 'edit the connection (Connections view, or `rampart connections add --replace`) and give the absolute path'
    : 'give the absolute path of the flag file';
  throw new RampartError(
    'bad_request',
    `flagd file "${file}" is a relative path; ${fix} (a relative path would name a different file in each working directory)`,
    { file },
  );
}
