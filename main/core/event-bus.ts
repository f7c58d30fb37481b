import { events, type EventName, type EventPayload } from '../../shared/contract/events';

type Listener = (name: EventName, payload: unknown) => void;

/**
 * Push events from the core to every door. Payloads are checked against the contract (cheap, and a malformed event
 * is a bug worth failing loudly on in tests). A broken subscriber never stops the others.
 */
export function createEventBus(validate = true) {
  const listeners = new Set<Listener>();
  return {
    emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
      if (validate) events[name].parse(payload);
      for (const l of listeners) {
        try {
          l(name, payload);
        } catch {
          // A closed socket or a throwing renderer bridge must not stop the other subscribers.
        }
      }
    },
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;
