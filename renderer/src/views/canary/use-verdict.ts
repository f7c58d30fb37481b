/**
 * The verdict the panel shows: the decision's own (null baseline: what the buttons act on), or the one computed on
 * the baseline the user picked for comparison. One hook so the panel and the charts' windows agree.
 */
import type { WatchVerdict } from '../../../../shared/domain/verdict';
import type { RampartError } from '../../../../shared/errors';
import { useQuery } from '../../data/use-query';
import { useUi } from '../../state/ui-store';
import { useDecision } from './use-decision';

export interface ShownVerdict {
  verdict: WatchVerdict | undefined;
  /** True when the verdict shown is not the decision's (another baseline, for comparison). */
  comparison: boolean;
  error: RampartError | null;
  fetching: boolean;
}

export function useShownVerdict(watchId: string | null): ShownVerdict {
  const picked = useUi((s) => s.baseline);
  const decision = useDecision(watchId);
  const own = decision.data?.baseline;
  const other = picked !== null && own !== undefined && picked !== own;
  const alt = useQuery('verdict:get', watchId && other ? { watchId, baseline: picked } : null, {
    refetchOn: ['series:tick', 'flags:changed'],
    keepPreviousIn: watchId ? `${watchId}\u0000${picked}` : undefined,
  });
  if (other) return { verdict: alt.data, comparison: true, error: alt.error, fetching: alt.fetching };
  return { verdict: decision.data?.verdict, comparison: false, error: decision.error, fetching: decision.fetching };
}
