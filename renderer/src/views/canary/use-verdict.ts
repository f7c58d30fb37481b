/**
 * The verdict of a watch under the chosen baseline. One hook so the verdict panel, the charts (windows, onset)
 * and the Ramp button (bake time) share one cache entry and refetch together.
 */
import type { ResponseOf } from '../../../../shared/contract';
import { useQuery, type QueryResult } from '../../data/use-query';
import { useUi } from '../../state/ui-store';

export function useVerdict(watchId: string | null): QueryResult<ResponseOf<'verdict:get'>> {
  const baseline = useUi((s) => s.baseline);
  return useQuery('verdict:get', watchId ? { watchId, baseline } : null, {
    refetchOn: ['series:tick', 'flags:changed'],
    keepPreviousIn: watchId ?? undefined,
  });
}
