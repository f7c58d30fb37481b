import type { IpcMain, WebContents } from 'electron';
import { REQUEST_CHANNELS } from '../../shared/contract/channels';
import type { EventBus, Registrar } from '../host/registrar';
import { isAppUrl } from './security';

/**
 * One ipcMain.handle per contract channel — no generic pass-through. The sender frame must be our own app://
 * page; the payload is validated by the registrar before any handler runs; the answer is the envelope.
 */
export function registerIpc(ipcMain: IpcMain, registrar: Registrar): () => void {
  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isAppUrl(event.senderFrame?.url)) {
        return { error: { code: 'unauthorized', message: 'IPC from a frame that is not the Rampart app was refused' } };
      }
      return registrar.dispatch(channel, payload, { door: 'electron' });
    });
  }
  return () => {
    for (const channel of REQUEST_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Push events go to our own windows only, on a channel per event name. */
export function forwardEvents(bus: EventBus, targets: () => WebContents[]): () => void {
  return bus.subscribe((name, payload) => {
    for (const wc of targets()) if (!wc.isDestroyed() && isAppUrl(wc.getURL())) wc.send(name, payload);
  });
}
