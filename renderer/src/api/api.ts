/**
 * The one typed door to the core: `api.call(channel, payload)` resolves to the channel's response type or throws
 * a RampartError rebuilt from the envelope; `api.on(event, cb)` returns an unsubscribe function. Every call's
 * outcome is reported to `observeCalls` listeners: whether the core answered at all is what liveness is made of.
 */
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/contract';
import { unwrapEnvelope } from './envelope';
import type { Transport } from './transport';

export interface RampartApi {
  readonly transport: Transport['kind'];
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** `answered`: the core replied (with a result or an error envelope); false: the call never reached it. */
export type CallObserver = (answered: boolean, error: string | null) => void;
const observers = new Set<CallObserver>();

export function observeCalls(o: CallObserver): () => void {
  observers.add(o);
  return () => observers.delete(o);
}

function notify(answered: boolean, error: string | null): void {
  for (const o of observers) o(answered, error);
}

export function createApi(transport: Transport): RampartApi {
  return {
    transport: transport.kind,
    async call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
      let body: unknown;
      try {
        body = await transport.request(channel, payload);
      } catch (e) {
        // The transport throws only when it got no envelope: connection refused, reset, DNS — the core is away.
        const code = (e as { code?: unknown }).code;
        notify(code === 'unauthorized', e instanceof Error ? e.message : String(e));
        throw e;
      }
      notify(true, null);
      return unwrapEnvelope<ResponseOf<C>>(channel, body);
    },
    on: (event, listener) => transport.on(event, listener),
  };
}
