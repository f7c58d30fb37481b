/**
 * Live wiring that is not a cached query: the shared "now" of the live window advances every few seconds while the
 * core is reachable and the page visible (the charts slide; their data comes by push) and at once on flag changes;
 * new points (series:appended) go to the watch's series view, appended, never a range refetched; provider health goes
 * to its store; the first view of a flag is asked together (data/first-view.ts); and the core's liveness is tracked
 * from every call's outcome and every push event, with a heartbeat while the push stream is down — so a core that went
 * away is noticed within seconds, not when the user next clicks.
 */
import { api } from './api';
import { observeCalls } from './api/api';
import { connectFirstView } from './data/first-view';
import { queryClient } from './data/query';
import { applyAppended, refreshSeriesViews } from './data/series-views';
import { useConnectionStatus } from './state/connection-store';
import { useUi } from './state/ui-store';

/** How often the live window is looked at; it moves on once it would move by a pixel column, and at each push. */
export const LIVE_TICK_MS = 5_000;
/** Pixel columns of a wide plot: moving the window by less than range / this is invisible, and re-renders the view. */
const COLUMNS = 1_000;
/** How often to ask whether the core is there while its push stream is down or a call failed. */
export const HEARTBEAT_MS = 3_000;

export function connectLive(): () => void {
  const status = useConnectionStatus.getState;
  const offCalls = observeCalls((answered, error) => {
    const wasDown = !status().core.reachable;
    if (answered) {
      status().coreAnswered(Date.now());
      // Back after an outage: everything on screen is old; fetch it again.
      if (wasDown) {
        queryClient.invalidate(() => true);
        refreshSeriesViews();
      }
    } else status().coreUnreachable(Date.now(), error ?? 'no answer');
  });
  const alive = (): void => status().coreAnswered(Date.now());

  const advance = (force: boolean): void => {
    const ui = useUi.getState();
    const now = Date.now();
    if (document.hidden || !status().core.reachable) return;
    if (force || now - ui.liveNow >= ui.rangeMs / COLUMNS) ui.advanceLiveNow(now);
  };
  const slide = window.setInterval(() => advance(false), LIVE_TICK_MS);
  const offTick = api.on('series:tick', alive);
  const offAppended = api.on('series:appended', (p) => {
    alive();
    // The new step's points sit at the right edge: the window moves to show them, then they are appended.
    advance(true);
    applyAppended(p);
  });
  const onVisible = (): void => advance(true);
  document.addEventListener('visibilitychange', onVisible);
  const offFirstView = connectFirstView();
  // A change made elsewhere (vendor UI, another person, the CLI) is drawn at once: the live window moves to
  // include it instead of waiting for the next metrics tick.
  const offChanges = api.on('flags:changed', ({ changes }) => {
    alive();
    if (document.hidden || changes.length === 0) return;
    const latest = Math.max(...changes.map((c) => c.at));
    useUi.getState().advanceLiveNow(Math.max(Date.now(), latest + 1));
  });
  const offHealth = api.on('provider:health', (h) => {
    alive();
    status().setProviderHealth(h.connectionId, {
      consecutiveErrors: h.consecutiveErrors,
      lastError: h.lastError,
      at: Date.now(),
    });
  });
  const heartbeat = window.setInterval(() => {
    const s = status();
    if (s.streamConnected && s.core.reachable) return;
    api.call('app:info', {}).catch(() => undefined); // the call observer records the outcome
  }, HEARTBEAT_MS);
  // The stream back after a drop: pushes may have been missed, so the shown windows are asked again.
  const offStream = useConnectionStatus.subscribe((s, prev) => {
    if (s.streamConnected && !prev.streamConnected) refreshSeriesViews();
  });
  return () => {
    window.clearInterval(slide);
    offCalls();
    offTick();
    offAppended();
    offFirstView();
    offStream();
    offChanges();
    offHealth();
    window.clearInterval(heartbeat);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
