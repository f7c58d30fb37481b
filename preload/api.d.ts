/**
 * What the preload exposes as `window.rampart` — the whole bridge. One function per request channel (no generic
 * invoke), each resolving to the registrar's envelope, and `on()` for push events that returns an unsubscribe.
 */
import type { Channel, Envelope, EventName, EventPayload, RequestOf, ResponseOf } from '../shared/contract';

export type RampartRequests = { readonly [C in Channel]: (payload: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>> };

export interface RampartBridge {
  readonly request: RampartRequests;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

declare global {
  interface Window {
    rampart?: RampartBridge;
  }
}
