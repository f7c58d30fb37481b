/** What to refetch after a write to a flag store, so the new marker, state and audit row show at once. */
import { queryClient } from '../../data/query';

export function invalidateAfterWrite(): void {
  queryClient.invalidate((channel) =>
    ['flags:history', 'flags:list', 'flags:get', 'audit:list', 'verdict:get'].includes(channel),
  );
}

/** After a conflict: the live state of the flag, which the user must see before trying again. */
export function invalidateFlagState(): void {
  queryClient.invalidate((channel) => channel === 'flags:list' || channel === 'flags:get');
}
