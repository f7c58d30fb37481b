import { isFlagConnection, type Connection } from '../../shared/domain/connections';
import type { FlagChange } from '../../shared/domain/flags';
import { DAY_MS, type LifecycleRow } from '../../shared/domain/lifecycle';
import type { Watch } from '../../shared/domain/metrics';
import type { FlagRow } from '../../shared/contract/requests';
import { withoutEchoes } from '../core/flags-service';
import type { FlagChangeStore } from '../store/flag-changes';
import type { EvaluationReading } from './evaluation';
import type { Observations } from './observations';
import type { LifecycleSettingsStore } from './settings';
import { compareRows, deriveStage } from './stage';

/** How far back the store's own history is read on the first look (later looks add the last day). */
const LOOKBACK_DAYS = 90;
const LONG_PULL_EVERY_MS = 3_600_000;
/** At most this many exposure-metric reads at once. */
const PROBES_AT_ONCE = 4;

export interface LifecycleListDeps {
  connections: () => Connection[];
  flags: {
    list: (q: { connectionId?: string }) => Promise<FlagRow[]>;
    history: (q: { connectionId?: string; from: number; to: number }) => Promise<FlagChange[]>;
  };
  changes: FlagChangeStore;
  observations: Observations;
  settings: LifecycleSettingsStore;
  /** Active plans: a flag with one is rolling out, whatever its exposure. */
  activePlans: () => { connectionId: string; flagKey: string; env: string }[];
  watchFor: (connectionId: string, flagKey: string, env: string) => Watch | undefined;
  /** What the watch's exposure metric says about the flag's evaluations in [from, to]; undefined when it cannot say. */
  lastEvaluated?: (watch: Watch, from: number, to: number) => Promise<EvaluationReading | undefined>;
  now: () => number;
}

const flagKeyOf = (c: string, f: string) => `${c}\u0000${f}`;

/**
 * The Lifecycle view's rows (issue 14): every flag × environment of every flag connection with its stage, since
 * when, who, and why it is stale — from the live state (the flag list), the timeline (the store's history pulled
 * into SQLite, Rampart's writes, file-watch diffs; echo-free) and Rampart's own sightings.
 */
export function createLifecycleList(deps: LifecycleListDeps) {
  const longPulls = new Map<string, number>();

  /** The store's history into the timeline: 90 days on the first look, then the last day (polling keeps it fresh). */
  async function pullHistory(connectionIds: string[], now: number): Promise<void> {
    await Promise.all(
      connectionIds.map(async (id) => {
        const long = (longPulls.get(id) ?? -Infinity) < now - LONG_PULL_EVERY_MS;
        await deps.flags
          .history({ connectionId: id, from: now - (long ? LOOKBACK_DAYS : 1) * DAY_MS, to: now })
          .catch(() => undefined);
        if (long) longPulls.set(id, now);
      }),
    );
  }

  async function probe(
    rows: { watch: Watch; at: (v: EvaluationReading | undefined) => void }[],
    from: number,
    to: number,
  ): Promise<void> {
    const queue = [...rows];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift())
        job.at(await deps.lastEvaluated!(job.watch, from, to).catch(() => undefined));
    };
    await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, queue.length) }, worker));
  }

  return async function list(q: { connectionId?: string; staleDays?: number } = {}): Promise<LifecycleRow[]> {
    const now = deps.now();
    const settings = deps.settings.get();
    const connections = deps
      .connections()
      .filter((c) => isFlagConnection(c) && (!q.connectionId || c.id === q.connectionId));
    const byId = new Map(connections.map((c) => [c.id, c]));
    await pullHistory(
      connections.map((c) => c.id),
      now,
    );
    const flagRows = (await deps.flags.list({ connectionId: q.connectionId })).filter((r) => byId.has(r.connectionId));
    const timeline = new Map<string, FlagChange[]>();
    for (const c of withoutEchoes(deps.changes.list({ from: 0, to: now, connectionId: q.connectionId }))) {
      if (!byId.has(c.connectionId)) continue;
      const k = flagKeyOf(c.connectionId, c.flagKey);
      (timeline.get(k) ?? timeline.set(k, []).get(k)!).push(c);
    }
    const observed = deps.observations.record(
      flagRows.map((r) => ({
        connectionId: r.connectionId,
        flagKey: r.flagKey,
        env: r.env,
        enabled: r.enabled,
        exposure: r.exposure,
        targeting: null,
      })),
      now,
    );
    const planKeys = new Set(deps.activePlans().map((p) => deps.observations.key(p.connectionId, p.flagKey, p.env)));
    const threshold = (id: string) => q.staleDays ?? deps.settings.staleDaysFor(id, settings);
    const envChanges = (c: string, f: string, env: string) =>
      (timeline.get(flagKeyOf(c, f)) ?? []).filter((x) => x.env === env || x.env === '*');

    const derive = (r: FlagRow, evaluation?: EvaluationReading) => {
      const k = deps.observations.key(r.connectionId, r.flagKey, r.env);
      return deriveStage({
        state: { enabled: r.enabled, exposure: r.exposure },
        changes: envChanges(r.connectionId, r.flagKey, r.env),
        observation: observed.get(k) ?? null,
        planRunning: planKeys.has(k),
        staleDays: threshold(r.connectionId),
        now,
        evaluation,
      });
    };
    const first = flagRows.map((r) => derive(r));
    // A released or off flag that is not stale by its changes may still be dead code: ask its exposure metric
    // (watched flags only) whether it was evaluated in the last N days.
    const evaluated = new Map<number, EvaluationReading | undefined>();
    if (deps.lastEvaluated) {
      const jobs = flagRows.flatMap((r, i) => {
        const watch =
          first[i].stage === 'released' || first[i].stage === 'off'
            ? deps.watchFor(r.connectionId, r.flagKey, r.env)
            : undefined;
        return watch
          ? [
              {
                watch,
                at: (v: EvaluationReading | undefined) => evaluated.set(i, v),
                from: now - threshold(r.connectionId) * DAY_MS,
              },
            ]
          : [];
      });
      for (const from of new Set(jobs.map((j) => j.from)))
        await probe(
          jobs.filter((j) => j.from === from),
          from,
          now,
        );
    }

    const rows: LifecycleRow[] = flagRows.map((r, i) => {
      const derived = evaluated.has(i) ? derive(r, evaluated.get(i)) : first[i];
      const k = deps.observations.key(r.connectionId, r.flagKey, r.env);
      return {
        connectionId: r.connectionId,
        connectionName: r.connectionName,
        connectionKind: r.connectionKind,
        flagKey: r.flagKey,
        name: r.name,
        env: r.env,
        state: { enabled: r.enabled, exposure: r.exposure },
        staleDays: threshold(r.connectionId),
        planRunning: planKeys.has(k),
        ...derived,
      };
    });

    // Flags the store no longer lists whose history says they were archived: shown as archived, with when.
    const listed = new Set(flagRows.map((r) => flagKeyOf(r.connectionId, r.flagKey)));
    for (const [k, list] of timeline) {
      if (listed.has(k)) continue;
      const archived = [...list].reverse().find((c) => c.kind === 'archived' || c.kind === 'created');
      if (archived?.kind !== 'archived') continue;
      const conn = byId.get(archived.connectionId)!;
      const env = archived.env;
      const derived = deriveStage({
        state: null,
        changes: list.filter((x) => x.env === env || x.env === '*'),
        observation: null,
        planRunning: false,
        staleDays: threshold(conn.id),
        now,
      });
      rows.push({
        connectionId: conn.id,
        connectionName: conn.name,
        connectionKind: conn.kind,
        flagKey: archived.flagKey,
        name: archived.flagKey,
        env,
        state: null,
        staleDays: threshold(conn.id),
        planRunning: false,
        ...derived,
      });
    }
    return rows.sort(compareRows);
  };
}

export type LifecycleList = ReturnType<typeof createLifecycleList>;
