import { queryClient } from '../../data/query';

/** After a restore or promote: the lifecycle, the flags and the audit may all have moved. */
export function refreshAfterWrite(): void {
  queryClient.invalidate(
    (c) => c.startsWith('lifecycle:') || c.startsWith('flags:') || c.startsWith('plans:') || c === 'audit:list',
  );
}
