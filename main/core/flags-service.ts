import { isFlagConnection, type Connection } from '../../shared/domain/connections';
import { changeLabel, type FlagChange, type FlagState } from '../../shared/domain/flags';
import type { FlagRow } from '../../shared/contract/requests';
import { isRampartError, partialFailure } from '../../shared/errors';
import type { FlagChangeStore } from '../store/flag-changes';
import type { Records } from '../store/records';
import type { EventBus } from './event-bus';
import type { ConnectionRegistry } from './connections';

const DAY = 86_400_000;
/** How far apart Rampart's record of its own write and the vendor's event for it may be. */
const ECHO_WINDOW_MS = 60_000;

/**
 * A store with history reports Rampart's own writes back as vendor events. The Rampart change carries the comment
 * and the read-back, so it stays and the echo goes: same connection, flag and environment, the same resulting
 * before and after state for every field the vendor event names, within a minute. (A ramp of a disabled flag echoes twice: the
 * rollout and the switch-on; both go.)
 */
export function withoutEchoes(changes: FlagChange[]): FlagChange[] {
  const own = changes.filter((c) => c.source === 'rampart');
  if (own.length === 0) return changes;
  // Every field the vendor event names must match Rampart's record, before and after, and it must name one.
  const fits = (mine: FlagChange['to'], theirs: FlagChange['to']) =>
    !!mine &&
    !!theirs &&
    (theirs.exposure !== undefined || theirs.enabled !== undefined) &&
    (theirs.exposure === undefined || (mine.exposure ?? 0) === (theirs.exposure ?? 0)) &&
    (theirs.enabled === undefined || mine.enabled === theirs.enabled);
  const echoes = (o: FlagChange, c: FlagChange) =>
    o.connectionId === c.connectionId &&
    o.flagKey === c.flagKey &&
    o.env === c.env &&
    Math.abs(o.at - c.at) <= ECHO_WINDOW_MS &&
    fits(o.to, c.to) &&
    fits(o.from, c.from);
  return changes.filter((c) => c.source === 'rampart' || !own.some((o) => echoes(o, c)));
}

/**
 * Reads flags from every connection into one list and one timeline. Vendor history is merged into SQLite (ids are
 * stable, so re-reading never duplicates a marker); the last known state is kept so an unreachable store still
 * shows its flags, marked stale with their age.
 */
export function createFlagsService(deps: {
  connections: ConnectionRegistry;
  changes: FlagChangeStore;
  records: Records;
  bus: EventBus;
  now: () => number;
}) {
  const { connections, changes, records, bus, now } = deps;
  const unwatch = new Map<string, () => void>();

  // Start watching stores that can push (flagd files) as soon as their adapter exists.
  connections.onFlagStore((c, store) => {
    unwatch.get(c.id)?.();
    if (!store.watch) return;
    unwatch.set(
      c.id,
      store.watch((seen) => {
        changes.add(seen);
        bus.emit('flags:changed', { changes: seen });
      }),
    );
  });

  async function flagsOf(c: Connection): Promise<{ flags: FlagState[]; stale: FlagRow['stale'] }> {
    try {
      const flags = await connections.flagStore(c.id).listFlags();
      records.snapshots.save(c.id, flags);
      return { flags, stale: null };
    } catch (e) {
      const known = records.snapshots.list(c.id);
      if (known.length === 0) throw e;
      const fetchedAt = Math.min(...known.map((k) => k.fetchedAt));
      return { flags: known.map((k) => k.flag), stale: { fetchedAt, ageMs: now() - fetchedAt, ...partialFailure(e) } };
    }
  }

  async function list(q: { connectionId?: string; search?: string }): Promise<FlagRow[]> {
    const targets = connections
      .list()
      .filter((c) => isFlagConnection(c) && (!q.connectionId || c.id === q.connectionId));
    const needle = q.search?.trim().toLowerCase();
    const rows: FlagRow[] = [];
    await Promise.all(
      targets.map(async (c) => {
        let result: Awaited<ReturnType<typeof flagsOf>>;
        try {
          result = await flagsOf(c);
        } catch {
          return; // unreachable and never seen: the Connections view shows the error; the list stays usable
        }
        const latest = changes.latest(c.id);
        for (const f of result.flags) {
          if (needle && !`${f.key} ${f.name} ${c.name}`.toLowerCase().includes(needle)) continue;
          for (const [env, s] of Object.entries(f.envs)) {
            rows.push({
              connectionId: c.id,
              connectionName: c.name,
              connectionKind: c.kind,
              demo: c.demo === true,
              flagKey: f.key,
              name: f.name,
              env,
              enabled: s.enabled,
              exposure: s.exposure,
              lastChange: latest.get(`${f.key}\u0000${env}`) ?? null,
              stale: result.stale,
            });
          }
        }
      }),
    );
    return rows.sort((a, b) => (b.lastChange?.at ?? 0) - (a.lastChange?.at ?? 0) || a.flagKey.localeCompare(b.flagKey));
  }

  async function get(connectionId: string, flagKey: string) {
    const store = connections.flagStore(connectionId);
    try {
      const flag = await store.getFlag(flagKey);
      records.snapshots.save(connectionId, [flag]);
      return { flag, capabilities: store.capabilities(), stale: null };
    } catch (e) {
      if (isRampartError(e) && e.code === 'not_found') throw e;
      const known = records.snapshots.list(connectionId).find((k) => k.flag.key === flagKey);
      if (!known) throw e;
      return {
        flag: known.flag,
        capabilities: store.capabilities(),
        stale: { fetchedAt: known.fetchedAt, ageMs: now() - known.fetchedAt, ...partialFailure(e) },
      };
    }
  }

  /** Pulls vendor history into the store (errors leave what is already known), then answers from the store. */
  async function history(q: {
    connectionId?: string;
    flagKey?: string;
    env?: string;
    from: number;
    to: number;
  }): Promise<FlagChange[]> {
    const targets = connections
      .list()
      .filter((c) => isFlagConnection(c) && (!q.connectionId || c.id === q.connectionId));
    const fresh: FlagChange[] = [];
    await Promise.all(
      targets.map(async (c) => {
        try {
          const got = await connections
            .flagStore(c.id)
            .history({ from: q.from, to: q.to, flagKey: q.flagKey, env: q.env });
          fresh.push(...got);
        } catch {
          // Stale history is still history; the flag list shows the connection's error.
        }
      }),
    );
    changes.add(fresh);
    return changesIn(q);
  }

  /**
   * THE answer to "flag changes in a window" (the timeline, the incident analysis and the verdict's suspects all
   * read it): what the store knows, echoes of Rampart's own writes hidden — they are kept in the store (the vendor's
   * record stays intact), and an echo just outside the window still finds its write, so the margin.
   */
  function changesIn(q: {
    connectionId?: string;
    flagKey?: string;
    env?: string;
    from: number;
    to: number;
  }): FlagChange[] {
    const margin = { ...q, from: q.from - ECHO_WINDOW_MS, to: q.to + ECHO_WINDOW_MS };
    return withoutEchoes(changes.list(margin)).filter((c) => c.at >= q.from && c.at <= q.to);
  }

  /** Polls stores that cannot push, so a change made in the vendor's UI shows up as a marker within a poll. */
  async function pollRecent(windowMs = DAY): Promise<FlagChange[]> {
    const before = new Set(changes.list({ from: now() - windowMs, to: now() }).map((c) => c.id));
    const all = await history({ from: now() - windowMs, to: now() });
    const added = all.filter((c) => !before.has(c.id)); // echoes of Rampart's own writes are already filtered out
    if (added.length > 0) bus.emit('flags:changed', { changes: added });
    return added;
  }

  /**
   * A file-backed store has no history: an edit made while Rampart was closed would never become a marker. At
   * start-up, compare the last known state with the store's and record each difference that no stored change
   * already explains (a CLI ramp, for instance, is recorded by the rollout service itself).
   */
  async function recordOfflineEdits(): Promise<FlagChange[]> {
    const found: FlagChange[] = [];
    for (const c of connections.list().filter(isFlagConnection)) {
      const known = records.snapshots.list(c.id);
      if (known.length === 0) continue;
      const store = connections.flagStore(c.id);
      if (!store.capabilities().canWatch) continue; // stores with vendor history report these themselves
      let current: FlagState[];
      try {
        current = await store.listFlags();
      } catch {
        continue;
      }
      const before = new Map(known.map((k) => [k.flag.key, k]));
      const latest = changes.latest(c.id);
      for (const f of current) {
        const old = before.get(f.key);
        for (const [env, s] of Object.entries(f.envs)) {
          const o = old?.flag.envs[env];
          if (!o || (o.enabled === s.enabled && o.exposure === s.exposure)) continue;
          const last = latest.get(`${f.key}\u0000${env}`);
          if (
            last?.to &&
            (last.to.enabled ?? s.enabled) === s.enabled &&
            (last.to.exposure === undefined || last.to.exposure === s.exposure)
          )
            continue;
          const kind = o.enabled !== s.enabled ? 'enabled' : 'exposure';
          const from = { enabled: o.enabled, exposure: o.exposure };
          const to = { enabled: s.enabled, exposure: s.exposure };
          found.push({
            id: `${c.id}:offline:${old!.fetchedAt}:${f.key}:${env}`,
            connectionId: c.id,
            flagKey: f.key,
            env,
            at: now(),
            kind,
            from,
            to,
            label: changeLabel(kind, from, to),
            comment: `changed while Rampart was closed (after ${new Date(old!.fetchedAt).toISOString()}); seen at start-up`,
            source: 'watch',
          });
        }
      }
      records.snapshots.save(c.id, current);
    }
    changes.add(found);
    if (found.length > 0) bus.emit('flags:changed', { changes: found });
    return found;
  }

  return {
    list,
    get,
    history,
    changesIn,
    pollRecent,
    recordOfflineEdits,
    close(): void {
      for (const u of unwatch.values()) u();
      unwatch.clear();
    },
  };
}

export type FlagsService = ReturnType<typeof createFlagsService>;
