/**
 * Live wiring that is not a cached query: the shared "now" of the live window advances on series:tick
 * (throttled to one step per 2 s, and not while the page is hidden) and on flag changes, and provider health
 * goes to its store.
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
  // A change made elsewhere (vendor UI, another person, the CLI) is drawn at once: the live window moves to
  // include it instead of waiting for the next metrics tick.
  const offChanges = api.on('flags:changed', ({ changes }) => {
    if (document.hidden || changes.length === 0) return;
    const latest = Math.max(...changes.map((c) => c.at));
    useUi.getState().advanceLiveNow(Math.max(Date.now(), latest + 1));
  });
  const offHealth = api.on('provider:health', (h) =>
    useConnectionStatus.getState().setProviderHealth(h.connectionId, { consecutiveErrors: h.consecutiveErrors, lastError: h.lastError, at: Date.now() }),
  );
  return () => {
    advance.cancel();
    offTick();
    offChanges();
    offHealth();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
