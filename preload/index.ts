import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, REQUEST_CHANNELS } from '../shared/contract/channels';
import type { RampartBridge, RampartRequests } from './api';

/**
 * The whole bridge: one function per contract channel (a fixed list, no generic invoke), and `on()` for the
 * contract's push events only. The Electron event object never reaches the page.
 */
const request = Object.freeze(
  Object.fromEntries(
    REQUEST_CHANNELS.map((channel) => [channel, (payload: unknown) => ipcRenderer.invoke(channel, payload)]),
  ),
) as unknown as RampartRequests;

const bridge = {
  request,
  on(event, listener) {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`Unknown event '${String(event)}'`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
} satisfies RampartBridge;

contextBridge.exposeInMainWorld('rampart', Object.freeze(bridge));
