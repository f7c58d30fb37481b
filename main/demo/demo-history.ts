import { z } from 'zod';
import { changeLabel, ChangeState, FLAG_CHANGE_KINDS, type FlagChange } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
// Bundled with the code (not read from disk at run time), so seeding works the same in dev, tests and a packaged app.
import historyFile from '../../resources/demo/history.json';

const DemoHistoryEntry = z.object({
  flag: z.string().min(1),
  /** Minutes relative to the moment the demo is installed; negative = in the past. */
  atMinutes: z.number().int().max(0),
  kind: z.enum(FLAG_CHANGE_KINDS),
  from: ChangeState.nullable(),
  to: ChangeState.nullable(),
  actor: z.string().min(1),
  comment: z.string().min(1),
});
const DemoHistoryFile = z.object({ description: z.string().optional(), changes: z.array(DemoHistoryEntry) });
export type DemoHistoryEntry = z.infer<typeof DemoHistoryEntry>;

export const DEMO_ENVIRONMENT = 'production';

export function demoHistoryEntries(): DemoHistoryEntry[] {
  const parsed = DemoHistoryFile.safeParse(historyFile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RampartError(
      'internal',
      `resources/demo/history.json is malformed at ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return parsed.data.changes;
}

/**
 * The demo's day of past changes as FlagChanges of the demo flag connection, placed relative to `now`, oldest
 * first. Marked source 'vendor' (they stand for the store's own history) with "(demo)" actors. Ids are stable
 * per entry, so seeding twice never duplicates markers.
 */
export function seedDemoHistory(now: number, connectionId: string): FlagChange[] {
  return demoHistoryEntries()
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.atMinutes - b.entry.atMinutes || a.index - b.index)
    .map(({ entry, index }) => ({
      id: `${connectionId}:demo-seed:${index}`,
      connectionId,
      flagKey: entry.flag,
      env: DEMO_ENVIRONMENT,
      at: now + entry.atMinutes * 60_000,
      kind: entry.kind,
      from: entry.from,
      to: entry.to,
      label: changeLabel(entry.kind, entry.from, entry.to),
      actor: `${entry.actor} (demo)`,
      comment: entry.comment,
      source: 'vendor' as const,
    }));
}
