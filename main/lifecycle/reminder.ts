import { isNotifyConnection, type Connection, type NotifyConnection } from '../../shared/domain/connections';
import { DAY_MS, type LifecycleRow } from '../../shared/domain/lifecycle';
import { notifyKind } from '../kinds';
import type { StaleNotice } from '../notify/reminders';
import { defaultHttp, failureLine, type Http } from '../notify/sinks';
import type { Db } from '../store/database';
import type { LifecycleSettingsStore } from './settings';

export type { StaleNotice };

export interface ReminderDeps {
  db: Db;
  settings: LifecycleSettingsStore;
  list: () => Promise<LifecycleRow[]>;
  connections: () => Connection[];
  secret: (connectionId: string) => string | undefined;
  /** The desktop notice: the doors show the `lifecycle:stale` push event. */
  desktop: (n: StaleNotice) => void;
  http?: Http;
  now: () => number;
}

export interface ReminderOutcome {
  stale: number;
  /** Stale flags nobody was told about yet: what this run announced. */
  announced: { connectionId: string; flagKey: string; env: string }[];
  delivered: string[];
  failures: string[];
}

/** What makes a stale flag "the same" stale flag: its last change (a change and a new quiet spell is news again). */
const staleSince = (r: LifecycleRow) => r.lastChange?.at ?? r.since ?? 0;

/**
 * The weekly reminder (issue 14; weekly by default, configurable, off in the demo): when due, list the flags, and
 * tell people about the stale ones not announced before — as a desktop notice and to the targets chosen whose kind
 * takes reminders (`remind` in its record: the Slack-compatible and generic webhooks; every such one when none is
 * chosen). Nothing else leaves the machine: the notice
 * names flags, environments and reasons, never code references. A failing target never stops the others.
 */
export function createReminder(deps: ReminderDeps) {
  const http = deps.http ?? defaultHttp;
  const told = deps.db.prepare(
    'SELECT 1 FROM lifecycle_reminders WHERE connection_id = ? AND flag_key = ? AND env = ? AND stale_since = ?',
  );
  const tell = deps.db.prepare(
    'INSERT OR IGNORE INTO lifecycle_reminders (connection_id, flag_key, env, stale_since, reminded_at) VALUES (?, ?, ?, ?, ?)',
  );

  function targets(): NotifyConnection[] {
    const chosen = deps.settings.get().reminder.targets;
    return deps
      .connections()
      .filter(
        (c): c is NotifyConnection =>
          isNotifyConnection(c) && notifyKind(c).remind !== undefined && (chosen.length === 0 || chosen.includes(c.id)),
      );
  }

  async function run(): Promise<ReminderOutcome> {
    const now = deps.now();
    const stale = (await deps.list()).filter((r) => r.stage === 'stale');
    const fresh = stale.filter((r) => !told.get(r.connectionId, r.flagKey, r.env, staleSince(r)));
    const out: ReminderOutcome = {
      stale: stale.length,
      announced: fresh.map((r) => ({ connectionId: r.connectionId, flagKey: r.flagKey, env: r.env })),
      delivered: [],
      failures: [],
    };
    if (fresh.length > 0) {
      const notice: StaleNotice = {
        at: now,
        flags: fresh.map((r) => ({
          connectionId: r.connectionId,
          flagKey: r.flagKey,
          env: r.env,
          reason: r.staleReason ?? 'stale',
        })),
      };
      try {
        deps.desktop(notice);
        out.delivered.push('desktop');
      } catch (e) {
        out.failures.push(`desktop: ${(e as Error).message}`);
      }
      await Promise.all(
        targets().map(async (c) => {
          let secret: string | undefined;
          try {
            secret = deps.secret(c.id);
            await notifyKind(c).remind?.(c, notice, secret, http);
            out.delivered.push(c.name);
          } catch (e) {
            out.failures.push(failureLine(c, e, secret));
          }
        }),
      );
      deps.db.transaction(() => {
        for (const r of fresh) tell.run(r.connectionId, r.flagKey, r.env, staleSince(r), now);
      })();
    }
    deps.settings.markReminderRun(now);
    return out;
  }

  return {
    run,
    /** Runs when enabled and due (`everyDays` since the last run); null otherwise. */
    async runIfDue(): Promise<ReminderOutcome | null> {
      const r = deps.settings.get().reminder;
      if (!r.enabled) return null;
      if (r.lastRunAt !== null && deps.now() - r.lastRunAt < r.everyDays * DAY_MS) return null;
      return run();
    },
  };
}

export type Reminder = ReturnType<typeof createReminder>;
