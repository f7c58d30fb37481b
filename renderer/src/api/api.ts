/**
 * The one typed door to the core: `api.call(channel, payload)` resolves to the channel's response type or throws
 * a RampartError rebuilt from the envelope; `api.on(event, cb)` returns an unsubscribe function.
 */
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/contract';
import { unwrapEnvelope } from './envelope';
import type { Transport } from './transport';

export interface RampartApi {
  readonly transport: Transport['kind'];
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApi(transport: Transport): RampartApi {
  return {
    transport: transport.kind,
    async call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
      const body = await transport.request(channel, payload);
      return unwrapEnvelope<ResponseOf<C>>(channel, body);
    },
    on: (event, listener) => transport.on(event, listener),
  };
}
