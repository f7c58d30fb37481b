import type { Channel, EventName, EventPayload, RequestOf } from '../../../shared/contract';

/**
 * How the renderer reaches the core. Two implementations (Electron preload IPC, browser-host HTTP + SSE); the
 * `api` on top is the same, so no view knows which one it runs on.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  /** Resolves to the raw envelope body; the api unwraps it. */
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<unknown>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
