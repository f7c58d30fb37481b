/**
 * React face of the QueryClient: `useQuery(channel, payload, {refetchOn})`. A null payload means "not yet"
 * (e.g. no flag chosen). With `keepPrevious`, a new key shows the previous key's data until its own arrives, so
 * a live chart does not blank on every tick.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Channel, EventName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { RampartError } from '../../../shared/errors';
import { queryClient } from './query';
import type { QuerySnapshot } from './query-client';

export interface QueryResult<T> {
  status: 'idle' | 'loading' | 'success' | 'error';
  data: T | undefined;
  error: RampartError | null;
  fetchedAt: number | null;
  fetching: boolean;
  /** True while `data` belongs to the previous payload (keepPrevious). */
  placeholder: boolean;
  refetch: () => void;
}

const IDLE: QuerySnapshot = Object.freeze({
  status: 'loading',
  data: undefined,
  error: null,
  fetchedAt: null,
  fetching: false,
});
const NO_EVENTS: readonly EventName[] = [];

export function useQuery<C extends Channel>(
  channel: C,
  payload: RequestOf<C> | null,
  /**
   * keepPreviousIn: show the previous payload's data while a new payload loads, but only when both belong to the
   * same group (e.g. the same watch moving its live window) — never another flag's data.
   */
  opts: { refetchOn?: readonly EventName[]; keepPreviousIn?: string } = {},
): QueryResult<ResponseOf<C>> {
  const key = payload === null ? null : queryClient.keyOf(channel, payload);
  const refetchOn = opts.refetchOn ?? NO_EVENTS;
  const eventsKey = refetchOn.join(',');
  // The payload object changes identity every render; the key is what matters.
  const payloadRef = useRef(payload);
  payloadRef.current = payload;

  const subscribe = useCallback(
    (notify: () => void) => {
      if (key === null || payloadRef.current === null) return () => undefined;
      return queryClient.subscribe(
        channel,
        payloadRef.current,
        eventsKey ? (eventsKey.split(',') as EventName[]) : NO_EVENTS,
        notify,
      );
    },
    [channel, key, eventsKey],
  );
  const snap = useSyncExternalStore(subscribe, () => (key === null ? IDLE : queryClient.snapshot(key)));

  const previous = useRef<{ data: unknown; group: string } | null>(null);
  let data = snap.data as ResponseOf<C> | undefined;
  let placeholder = false;
  const group = opts.keepPreviousIn;
  if (data !== undefined && group !== undefined) previous.current = { data, group };
  else if (data === undefined && group !== undefined && previous.current?.group === group && key !== null) {
    data = previous.current.data as ResponseOf<C>;
    placeholder = true;
  }
  const refetch = useCallback(() => {
    if (key !== null) queryClient.refetch(key);
  }, [key]);

  return {
    status: key === null ? 'idle' : snap.status,
    data,
    error: snap.error,
    fetchedAt: snap.fetchedAt,
    fetching: snap.fetching,
    placeholder,
    refetch,
  };
}
