/**
 * The one decision of a watch (decision:get): the core pushes each new one (decision:updated, put in the cache as it
 * comes: data/event-feeds.ts), and a flag change asks again. The header, the buttons, the guard card, the verdict
 * panel and Cohorts all read this hook, so they share one cache entry.
 */
import type { ResponseOf } from '../../../../shared/contract';
import { useQuery, type QueryResult } from '../../data/use-query';

export function useDecision(watchId: string | null): QueryResult<ResponseOf<'decision:get'>> {
  return useQuery('decision:get', watchId ? { watchId } : null, {
    refetchOn: ['decision:updated', 'flags:changed'],
    keepPreviousIn: watchId ?? undefined,
  });
}
