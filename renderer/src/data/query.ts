/**
 * The page's QueryClient, wired to the api: push events trigger refetches of the entries that asked for them,
 * and refetching pauses while the page is hidden.
 */
import { EVENT_NAMES } from '../../../shared/contract/channels';
import type { Channel, RequestOf } from '../../../shared/contract';
import { api } from '../api';
import { QueryClient } from './query-client';

export const queryClient = new QueryClient((channel, payload) => api.call(channel, payload as RequestOf<Channel>), {
  minIntervalMs: 2_000,
});

/** Called once at start-up. Returns a function that undoes the wiring (tests, hot reload). */
export function connectQueryClient(): () => void {
  const offs = EVENT_NAMES.map((name) => api.on(name, (payload) => queryClient.onEvent(name, payload)));
  const onVisibility = (): void => queryClient.setHidden(document.hidden);
  document.addEventListener('visibilitychange', onVisibility);
  onVisibility();
  return () => {
    offs.forEach((off) => off());
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
