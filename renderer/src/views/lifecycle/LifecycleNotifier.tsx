/** The stale-flag reminder as a toast (issue 14): the core pushes `lifecycle:stale` when it finds newly stale flags. */
import { useEffect } from 'react';
import { api } from '../../api';
import { useToasts } from '../../state/toast-store';

export function LifecycleNotifier(): null {
  const push = useToasts((s) => s.push);
  useEffect(
    () =>
      api.on('lifecycle:stale', ({ flags }) => {
        const names = flags
          .slice(0, 3)
          .map((f) => `${f.flagKey} (${f.env})`)
          .join(', ');
        push(
          'info',
          `${flags.length} flag${flags.length === 1 ? '' : 's'} newly stale: ${names}${flags.length > 3 ? '…' : ''} — see Lifecycle`,
          20_000,
        );
      }),
    [push],
  );
  return null;
}
