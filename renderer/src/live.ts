/**
 * Live wiring that is not a cached query: the shared "now" of the live window advances on series:tick
 * (throttled to one step per 2 s, and not while the page is hidden), and provider health goes to its store.
 */
import { api } from './api';
import { useConnectionStatus } from './state/connection-store';
import { useUi } from './state/ui-store';
import { throttle } from './lib/throttle';

export const LIVE_TICK_MS = 2_000;

export function connectLive(): () => void {
  const advance = throttle(() => useUi.getState().advanceLiveNow(Date.now()), LIVE_TICK_MS);
  const offTick = api.on('series:tick', () => {
    if (!document.hidden) advance.call();
  });
  const onVisible = (): void => {
    if (!document.hidden) advance.call();
  };
  document.addEventListener('visibilitychange', onVisible);
  const offHealth = api.on('provider:health', (h) =>
    useConnectionStatus.getState().setProviderHealth(h.connectionId, { consecutiveErrors: h.consecutiveErrors, lastError: h.lastError, at: Date.now() }),
  );
  return () => {
    advance.cancel();
    offTick();
    offHealth();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
