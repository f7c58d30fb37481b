import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_LIFECYCLE_SETTINGS, LifecycleSettings } from '../../shared/domain/lifecycle';
import { RampartError } from '../../shared/errors';
import type { Records } from '../store/records';

const KEY = 'lifecycle.settings';

/** A settings patch: any part may be given; nested parts replace what they name (a whole `byConnection` map, …). */
export interface SettingsPatch {
  staleDays?: Partial<LifecycleSettings['staleDays']>;
  reminder?: Partial<Omit<LifecycleSettings['reminder'], 'lastRunAt'>>;
  codeRoots?: string[];
}

/** A source folder must be an existing directory, named by an absolute path (no "relative to where the app runs"). */
export function checkCodeRoot(root: string): string {
  if (!isAbsolute(root))
    throw new RampartError('bad_request', `A source folder must be an absolute path, not '${root}'`);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new RampartError('bad_request', `The source folder ${root} does not exist`);
  }
  if (!isDir) throw new RampartError('bad_request', `${root} is not a folder`);
  return resolve(root);
}

/**
 * The lifecycle settings, one JSON record in the settings table: stale thresholds (default 30 days, per connection),
 * the reminder (weekly by default) and the source folders searched for code references.
 */
export function createLifecycleSettings(records: Records) {
  function get(): LifecycleSettings {
    const raw = records.settings.get(KEY);
    if (!raw) return structuredClone(DEFAULT_LIFECYCLE_SETTINGS);
    try {
      const parsed = LifecycleSettings.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // unreadable: fall through to the defaults, which the next save replaces
    }
    return structuredClone(DEFAULT_LIFECYCLE_SETTINGS);
  }

  function write(s: LifecycleSettings): LifecycleSettings {
    const parsed = LifecycleSettings.parse(s);
    records.settings.set(KEY, JSON.stringify(parsed));
    return parsed;
  }

  return {
    get,
    /** The threshold that applies to one connection. */
    staleDaysFor(connectionId: string, s: LifecycleSettings = get()): number {
      return s.staleDays.byConnection[connectionId] ?? s.staleDays.default;
    },
    save(patch: SettingsPatch): LifecycleSettings {
      const s = get();
      const codeRoots = patch.codeRoots ? [...new Set(patch.codeRoots.map(checkCodeRoot))] : s.codeRoots;
      return write({
        staleDays: { ...s.staleDays, ...patch.staleDays },
        reminder: { ...s.reminder, ...patch.reminder },
        codeRoots,
      });
    },
    /** The reminder ran (whether or not it had anything to say). */
    markReminderRun(at: number): void {
      const s = get();
      write({ ...s, reminder: { ...s.reminder, lastRunAt: at } });
    },
  };
}

export type LifecycleSettingsStore = ReturnType<typeof createLifecycleSettings>;
