/**
 * The api instance for this page, with the transport chosen once at start-up: the Electron preload bridge when
 * it exists, else the browser host on this page's own origin.
 */
import { createApi, type RampartApi } from './api';
import { httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';
import { useConnectionStatus } from '../state/connection-store';

function detect(): RampartApi {
  if (window.rampart) return createApi(ipcTransport(window.rampart));
  return createApi(
    httpTransport({
      baseUrl: window.location.origin,
      fetch: (url, init) => window.fetch(url, init),
      openEventSource: (url) => new EventSource(url),
      onStreamStatus: (connected) => useConnectionStatus.getState().setStreamConnected(connected),
    }),
  );
}

export const api: RampartApi = detect();
export type { RampartApi };
