/**
 * The api instance for this page, with the transport chosen once at start-up: the Electron preload bridge when
 * it exists, else the browser host on this page's own origin, signed in with this tab's session (./http-session.ts).
 */
import { createApi, type RampartApi } from './api';
import { httpTransport } from './http-transport';
import { browserSession, takeLaunchCode } from './http-session';
import { ipcTransport } from './ipc-transport';
import { createSeriesPrefetch, withSeriesPrefetch } from './series-prefetch';
import { useConnectionStatus } from '../state/connection-store';

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the session lives in memory for this page load
  }
}

function detect(): RampartApi {
  if (window.rampart) return createApi(ipcTransport(window.rampart));
  const fetch = (url: string, init: RequestInit) => window.fetch(url, init);
  return createApi(
    httpTransport({
      baseUrl: window.location.origin,
      fetch,
      openEventSource: (url) => new EventSource(url),
      auth: browserSession({
        baseUrl: window.location.origin,
        fetch,
        launchCode: takeLaunchCode(window.location, window.history),
        storage: sessionStorageOrNull(),
      }),
      onStreamStatus: (connected) => useConnectionStatus.getState().setStreamConnected(connected),
    }),
  );
}

const core: RampartApi = detect();
/** `series:view` answers asked ahead of the click that needs them (the canary view's 7-day range). */
export const seriesPrefetch = createSeriesPrefetch((p) => core.call('series:view', p));
export const api: RampartApi = withSeriesPrefetch(core, seriesPrefetch);
export type { RampartApi };
