import { partialFailure, type PartialFailure } from '../../../shared/errors';
import type { Registrar } from '../registrar';

/**
 * `rampart flags list` over every connection: the readable ones are listed, and each flag connection that is not (a
 * file Rampart cannot read, a store never read and not answering) is named with the reason its own list gives. One
 * rule for both outputs: any such connection makes the exit code 1, so a script can tell a partial list from a full
 * one; the text names them under the table, `--json` keeps the row array on stdout and puts them on stderr as
 * `{"errors":[{connectionId, code, message}]}` (the PartialFailure shape, shared/errors.ts).
 */

export type UnlistedConnection = { connectionId: string; name: string; stale?: true } & PartialFailure;

type Row = { connectionId: string; connectionName?: string; stale?: (PartialFailure & { ageMs: number }) | null };

/** A store that did not answer now but has last-known rows: listed (marked stale), and still a failed connection. */
function staleOf(c: { connectionId: string; name: string }, stale: PartialFailure & { ageMs: number }) {
  return {
    connectionId: c.connectionId,
    name: c.name,
    stale: true as const,
    code: stale.code,
    message: `${stale.message} (its rows are the last known, read ${Math.round(stale.ageMs / 1000)} s ago)`,
  };
}

const door = { door: 'cli' as const };

export async function unlistedConnections(r: Registrar, rows: Row[]): Promise<UnlistedConnection[]> {
  const listed = new Set(rows.map((row) => row.connectionId));
  const flagConnections = (await r.call('connections:list', {}, door)).filter((c) => c.role === 'flags');
  const unlisted: UnlistedConnection[] = [];
  for (const c of flagConnections) {
    const who = { connectionId: c.connection.id, name: c.connection.name };
    const staleRow = rows.find((row) => row.connectionId === who.connectionId && row.stale);
    if (staleRow?.stale) {
      unlisted.push(staleOf(who, staleRow.stale));
      continue;
    }
    if (listed.has(who.connectionId)) continue;
    // No row here (none matched --search, or none could be read): ask the connection alone — its error, or its
    // last-known rows marked stale, say whether it answered.
    try {
      const own = (await r.call('flags:list', { connectionId: who.connectionId }, door)) as Row[];
      const stale = own.find((row) => row.stale)?.stale;
      if (stale) unlisted.push(staleOf(who, stale));
    } catch (e) {
      unlisted.push({ ...who, ...partialFailure(e) });
    }
  }
  return unlisted;
}

/** The exit code of a listing over every connection (the one owner of the rule above). */
export function listingExit(unlisted: UnlistedConnection[]): number {
  return unlisted.length > 0 ? 1 : 0;
}

export function unlistedText(u: UnlistedConnection): string {
  return `${u.stale ? 'not answering' : 'not listed'}: ${u.name} (${u.connectionId}): ${u.message}`;
}

/** The stderr document of `--json`: no name (the id is the key), nothing but the code and the message. */
export function unlistedJson(unlisted: UnlistedConnection[]): string {
  return JSON.stringify({
    errors: unlisted.map(({ connectionId, code, message }) => ({ connectionId, code, message })),
  });
}
