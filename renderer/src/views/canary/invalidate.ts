/** What to refetch after a write to a flag store, so the new marker, state and audit row show at once. */
import { queryClient } from '../../data/query';
import { useUi } from '../../state/ui-store';

/**
 * `changeAt`: when the write happened (the read-back change's time). The live window jumps to cover it, so its
 * marker is drawn now rather than at the next tick.
 */
export function invalidateAfterWrite(changeAt?: number): void {
  if (changeAt !== undefined) useUi.getState().advanceLiveNow(Math.max(Date.now(), changeAt + 1));
  queryClient.invalidate((channel) =>
    ['flags:history', 'flags:list', 'flags:get', 'audit:list', 'verdict:get'].includes(channel),
  );
}

/** After a conflict: the live state of the flag, which the user must see before trying again. */
export function invalidateFlagState(): void {
  queryClient.invalidate((channel) => channel === 'flags:list' || channel === 'flags:get');
}
