/** What to refetch after a write to a flag store, so the new marker, state and audit row show at once. */
import type { FlagRow } from '../../../../shared/contract';
import { queryClient } from '../../data/query';
import { useUi } from '../../state/ui-store';

/**
 * `changeAt`: when the write happened (the read-back change's time). The live window jumps to cover it, so its
 * marker is drawn now rather than at the next tick.
 */
export function invalidateAfterWrite(changeAt?: number): void {
  if (changeAt !== undefined) useUi.getState().advanceLiveNow(Math.max(Date.now(), changeAt + 1));
  queryClient.invalidate((channel) =>
    [
      'flags:history',
      'flags:list',
      'flags:get',
      'lifecycle:list', // the row's stage chip ("Off", "Rolling out") must follow the write like its exposure
      'audit:list',
      'verdict:get',
      'decision:get',
      'plans:forFlag',
    ].includes(channel),
  );
}

/** After a conflict: the live state of the flag, which the user must see before trying again. */
export function invalidateFlagState(): void {
  queryClient.invalidate((channel) => channel === 'flags:list' || channel === 'flags:get');
}

/**
 * The read-back of the user's own confirmed write, shown at once in every cached flag row and flag state (the
 * decision bar, the flag list, the dialog's "now") — the toast says the flag moved, so no panel may still say it did
 * not while the refetch is on its way.
 */
export function applyReadBack(
  ids: { connectionId: string; flagKey: string; env: string },
  readBack: { enabled: boolean; exposure: number | null },
): void {
  const same = (r: { connectionId?: string; flagKey?: string; env?: string }) =>
    r.connectionId === ids.connectionId && r.flagKey === ids.flagKey && r.env === ids.env;
  queryClient.patch(
    (channel) => channel === 'flags:list',
    (data) =>
      (data as FlagRow[]).map((r) => (same(r) ? { ...r, enabled: readBack.enabled, exposure: readBack.exposure } : r)),
  );
  queryClient.patch(
    (channel, payload) =>
      channel === 'flags:get' &&
      (payload as { connectionId?: string }).connectionId === ids.connectionId &&
      (payload as { flagKey?: string }).flagKey === ids.flagKey,
    (data) => {
      const d = data as { flag: { envs: Record<string, object> } };
      const env = d.flag.envs[ids.env];
      if (!env) return data;
      return { ...d, flag: { ...d.flag, envs: { ...d.flag.envs, [ids.env]: { ...env, ...readBack } } } };
    },
  );
}
