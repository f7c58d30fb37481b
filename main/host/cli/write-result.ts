import { concurrentEditText, type ConcurrentEdit } from '../../../shared/domain/audit-text';
import type { Registrar } from '../registrar';
import { UsageError } from './args';
import { resolveFlagEnv } from './commands';

/**
 * What the write commands (ramp, rollback, flags restore, flags promote) share: the line they print, with a detected
 * concurrent edit said plainly under it (issue 9, F5), and the exit-2 rule for an unknown flag or environment taken
 * from the write's own `not_found` — never from a read of their own before the write (F7: a slow or failing read
 * must not hold a rollback).
 */

/**
 * The confirmation line, then `⚠ concurrent edit: …` when the adapter detected one around the write, and what the
 * store did beyond the request (a symlinked file written through, an environment turned off instead).
 */
export function writeResultText(line: string, res: { concurrentEdit?: ConcurrentEdit; note?: string }): string {
  return [
    line,
    res.concurrentEdit ? concurrentEditText(res.concurrentEdit) : null,
    res.note ? `note: ${res.note}` : null,
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}

/**
 * Runs a write; when the store answers that the flag or environment does not exist, the usage error names the known
 * ones (exit 2). That lookup happens only after the refusal, which the rollout service has already audited.
 */
export async function withUnknownAsUsage<T>(
  r: Registrar,
  where: { connectionId: string; flagKey: string; env: string },
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as { code?: string }).code !== 'not_found') throw e;
    // Throws the UsageError naming the known flags or environments; when both exist now, the write's error stands.
    await resolveFlagEnv(r, where.connectionId, where.flagKey, where.env, { requireEnv: true }).catch((u: unknown) => {
      throw u instanceof UsageError ? u : e; // a lookup that fails otherwise leaves the write's own error
    });
    throw e;
  }
}
