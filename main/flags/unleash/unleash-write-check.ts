import { isRampartError } from '../../../shared/errors';
import type { WriteReport } from '../flag-store';
import type { UnleashApi } from './unleash-api';
import {
  concurrentEditReport,
  findConcurrentEdits,
  findOwnEvent,
  type EditWindow,
  type WriteFacts,
} from './unleash-concurrent-edits';
import { UNLEASH_FLAG_EVENT_TYPES } from './unleash-events';
import { legacyEvents } from './unleash-history';
import { UnleashEventSearch, type UnleashEvent } from './unleash-schemas';
import { changedStrategyFields } from './unleash-strategy-diff';

/**
 * After a ramp's write: one read of the flag's newest events, then findConcurrentEdits. An edit by someone else
 * counts when the read did not show it. The read's moment is known only in Rampart's clock (between sending it and
 * its answer); event times are in Unleash's. Bounds free of clock skew between the two (the tighter ones win):
 * - Rampart's own event was created after the write was sent and before its answer arrived, so the read happened
 *   in [own.createdAt − (wroteAt − readAt), own.createdAt − (writeSentAt − readDoneAt)] of the server's clock;
 * - the events answer's `Date` header (whole seconds, rounded down) bounds the skew: server − local lies in
 *   [serverDate − receivedAt, serverDate + 1 s − sentAt].
 * An event's time is its transaction's start, so the window reaches back a further LONG_TRANSACTION_MS for writes
 * that began before the read and committed after it; edits in that margin that the read already showed are dropped
 * again (unseenByRead).
 */
const DAY_MS = 86_400_000;
const PAGE = 100;
/** Five pages of a flag's events since the read: past that, report what was found rather than stall the write. */
const MAX_PAGES = 5;
/** Without either clock bound (no own event, no Date header): assume the clocks agree within a minute. */
const UNKNOWN_SKEW_MS = 60_000;
/** Event and local times are whole milliseconds. */
const ROUNDING_MS = 2;
/** How long a write's transaction may run in Unleash (its statements are short; this covers a loaded database). */
const LONG_TRANSACTION_MS = 30_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface RecentEvents {
  events: UnleashEvent[];
  /** server − local clock lies in [lower, upper], from the first answer's Date header, when it had one. */
  skew?: { lower: number; upper: number };
}

/** The flag's events, newest first, back to (at least) the read. Search filters by whole days only (§1.7). */
async function recentEvents(api: UnleashApi, project: string, flagKey: string, readAt: number): Promise<RecentEvents> {
  const events: UnleashEvent[] = [];
  let skew: RecentEvents['skew'];
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const sentAt = api.now();
      const { body, serverDate } = await api.getDated('/api/admin/search/events', UnleashEventSearch, {
        project: `IS:${project}`,
        feature: `IS:${flagKey}`,
        type: `IS_ANY_OF:${UNLEASH_FLAG_EVENT_TYPES.join(',')}`,
        from: `IS:${day(readAt - DAY_MS)}`,
        to: `IS:${day(api.now() + DAY_MS)}`,
        offset: page * PAGE,
        limit: PAGE,
      });
      if (serverDate !== undefined && !skew)
        skew = { lower: serverDate - api.now(), upper: serverDate + 1_000 - sentAt };
      events.push(...body.events);
      const oldest = Math.min(...body.events.map((e) => Date.parse(e.createdAt)));
      const readOnServer = readAt + (skew?.lower ?? -UNKNOWN_SKEW_MS) - LONG_TRANSACTION_MS;
      if (body.events.length < PAGE || oldest < readOnServer) break;
    }
  } catch (e) {
    if (!isRampartError(e) || e.code !== 'not_found') throw e;
    events.push(...(await legacyEvents(api, project, { from: readAt, to: api.now(), flagKey })));
  }
  return { events, ...(skew ? { skew } : {}) };
}

export function editWindow(facts: WriteFacts, own: UnleashEvent | undefined, skew: RecentEvents['skew']): EditWindow {
  const { readAt, readDoneAt } = facts.snapshot;
  const starts: number[] = [];
  const ends: number[] = [];
  if (own) {
    const ownAt = Date.parse(own.createdAt);
    starts.push(ownAt - (facts.wroteAt - readAt));
    ends.push(ownAt - (facts.writeSentAt - readDoneAt));
  }
  if (skew) {
    starts.push(readAt + skew.lower);
    ends.push(readDoneAt + skew.upper);
  }
  return {
    start: (starts.length ? Math.max(...starts) : readAt - UNKNOWN_SKEW_MS) - LONG_TRANSACTION_MS - ROUNDING_MS,
    surelyAfter: (ends.length ? Math.min(...ends) : Infinity) + ROUNDING_MS,
  };
}

/** The PATCH answer itself shows a change of the strategy since the read (Unleash patches its current state). */
function changedUnderneath(facts: WriteFacts): WriteReport {
  if (facts.kind !== 'update') return {};
  const seen = (facts.snapshot.env.strategies ?? []).find((s) => s.id === facts.written.id);
  const fields = seen ? changedStrategyFields(seen, facts.written).filter((f) => f !== 'rollout') : [];
  if (!fields.length) return {};
  return {
    concurrentEdit: {
      at: facts.wroteAt,
      summary: `Concurrent edit in Unleash: the ${facts.written.name} strategy's ${fields.join(' and ')} changed between Rampart's read and its write, and Unleash's event log does not say who; Rampart's write kept the change.`,
    },
  };
}

export async function checkForConcurrentEdits(
  api: UnleashApi,
  project: string,
  flagKey: string,
  facts: WriteFacts,
): Promise<WriteReport> {
  let recent: RecentEvents;
  try {
    recent = await recentEvents(api, project, flagKey, facts.snapshot.readAt);
  } catch (e) {
    const why = isRampartError(e) ? e.message : String(e);
    return {
      ...changedUnderneath(facts),
      note: `The write landed, but Rampart could not read Unleash's event log to check for edits made by others while it wrote (${why}); check the flag's history in Unleash.`,
    };
  }
  const own = findOwnEvent(facts, recent.events);
  const edits = findConcurrentEdits(facts, recent.events, editWindow(facts, own, recent.skew));
  const report = concurrentEditReport(facts, edits, recent.events);
  return report.concurrentEdit ? report : changedUnderneath(facts);
}
