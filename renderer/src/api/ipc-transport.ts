/** Electron: the preload's frozen `window.rampart` bridge, one function per channel. */
import type { Channel, EventName, EventPayload, RequestOf } from '../../../shared/contract';
import type { RampartBridge } from '../../../preload/api';
import type { Transport } from './transport';

export function ipcTransport(bridge: RampartBridge): Transport {
  return {
    kind: 'ipc',
    request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<unknown> {
      const fn = bridge.request[channel] as (p: RequestOf<C>) => Promise<unknown>;
      return fn(payload);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.on(event, listener);
    },
  };
}
