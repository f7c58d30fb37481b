import type { FlagChange } from '../../../shared/domain/flags';
import { RampartError, isRampartError } from '../../../shared/errors';
import type { HistoryRange } from '../flag-store';
import type { UnleashApi } from './unleash-api';
import { ALL_ENVIRONMENTS, UNLEASH_FLAG_EVENT_TYPES, normalizeUnleashEvents } from './unleash-events';
import { UnleashEventList, UnleashEventSearch, type UnleashEvent } from './unleash-schemas';

const DAY_MS = 86_400_000;
/** The search endpoint's maximum page (event-search-controller: maxLimit 1000). */
const PAGE = 1000;
/** 50 pages = 50,000 flag events in one range: past that, ask for a narrower range rather than stall the UI. */
const MAX_PAGES = 50;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `GET /api/admin/search/events` filters by whole days only (`from=IS:YYYY-MM-DD`, `to` inclusive), compared in the
 * database's time zone, which need not be UTC. So ask for one extra day on each side and cut precisely here.
 * Results come newest first, ordered by created_at alone (ties in one transaction), so pages may overlap: the
 * normalizer drops repeated ids.
 */
async function searchEvents(api: UnleashApi, project: string, range: HistoryRange): Promise<UnleashEvent[]> {
  const events: UnleashEvent[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await api.get('/api/admin/search/events', UnleashEventSearch, {
      project: `IS:${project}`,
      feature: range.flagKey ? `IS:${range.flagKey}` : undefined,
      type: `IS_ANY_OF:${UNLEASH_FLAG_EVENT_TYPES.join(',')}`,
      from: `IS:${day(range.from - DAY_MS)}`,
      to: `IS:${day(range.to + DAY_MS)}`,
      offset: page * PAGE,
      limit: PAGE,
    });
    events.push(...body.events);
    const total = body.total ?? Infinity;
    if (body.events.length < PAGE || events.length >= total) return events;
  }
  throw new RampartError(
    'bad_request',
    `Unleash: more than ${MAX_PAGES * PAGE} flag events between ${day(range.from)} and ${day(range.to)}; choose a shorter range or one flag`,
  );
}

/** Servers without the search endpoint (before 5.x): the per-flag list, or the project's events. */
export async function legacyEvents(api: UnleashApi, project: string, range: HistoryRange): Promise<UnleashEvent[]> {
  const body = range.flagKey
    ? await api.get(`/api/admin/events/${encodeURIComponent(range.flagKey)}`, UnleashEventList)
    : await api.get('/api/admin/events', UnleashEventList, { project });
  return body.events.filter((e) => !e.project || e.project === project);
}

export async function unleashHistory(
  api: UnleashApi,
  connectionId: string,
  project: string,
  range: HistoryRange,
): Promise<FlagChange[]> {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.from > range.to) {
    throw new RampartError(
      'bad_request',
      `Unleash: history range must have from ≤ to (got ${range.from} … ${range.to})`,
    );
  }
  let events: UnleashEvent[];
  try {
    events = await searchEvents(api, project, range);
  } catch (e) {
    if (!isRampartError(e) || e.code !== 'not_found') throw e;
    events = await legacyEvents(api, project, range);
  }
  return normalizeUnleashEvents(connectionId, events).filter(
    (c) =>
      c.at >= range.from &&
      c.at <= range.to &&
      (!range.flagKey || c.flagKey === range.flagKey) &&
      (!range.env || c.env === range.env || c.env === ALL_ENVIRONMENTS),
  );
}
