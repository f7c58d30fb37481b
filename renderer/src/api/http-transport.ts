/**
 * Browser host (`rampart serve`): requests are `POST /rpc/<channel>` with a JSON body, answered with the same
 * envelope as IPC (HTTP 200 for results and errors alike); 4xx means the host refused us (token cookie missing,
 * wrong origin). Push events arrive over one Server-Sent Events stream at `GET /events`, one SSE event name per
 * contract event. fetch and EventSource are passed in so this module has no DOM globals and can be tested.
 */
import type { Channel, EventName, EventPayload, RequestOf } from '../../../shared/contract';
import { EVENT_NAMES } from '../../../shared/contract/channels';
import { RampartError } from '../../../shared/errors';
import type { Transport } from './transport';

export interface SseMessage {
  data: string;
}
/** The part of the DOM EventSource this transport uses. */
export interface EventSourceLike {
  /** Named SSE events carry `data`; the built-in 'open' and 'error' events do not. */
  addEventListener(type: string, listener: (ev: SseMessage) => void): void;
  close(): void;
}
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; credentials: 'same-origin' }) => Promise<{
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface HttpTransportOptions {
  /** Origin of the host, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  fetch: FetchLike;
  openEventSource: (url: string) => EventSourceLike;
  /** Told when the event stream drops or comes back, for a "live updates paused" hint. */
  onStreamStatus?: (connected: boolean) => void;
}

const HOST = 'Rampart host';

export function httpTransport(opts: HttpTransportOptions): Transport & { close(): void } {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSourceLike | null = null;

  const ensureStream = (): void => {
    if (source) return;
    source = opts.openEventSource(`${opts.baseUrl}/events`);
    source.addEventListener('open', () => opts.onStreamStatus?.(true));
    source.addEventListener('error', () => opts.onStreamStatus?.(false)); // EventSource reconnects by itself
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse(ev.data);
        } catch {
          return; // a torn or foreign message: nothing a listener could use
        }
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
  };

  return {
    kind: 'http',
    async request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<unknown> {
      const url = `${opts.baseUrl}/rpc/${channel}`;
      let res: Awaited<ReturnType<FetchLike>>;
      try {
        res = await opts.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload ?? {}),
          credentials: 'same-origin',
        });
      } catch (e) {
        throw new RampartError('unreachable', `${HOST}: cannot reach ${opts.baseUrl} (${e instanceof Error ? e.message : String(e)})`);
      }
      if (res.status === 401 || res.status === 403) {
        throw new RampartError(
          'unauthorized',
          `${HOST}: refused ${channel} (HTTP ${res.status}) — open the URL printed by \`rampart serve\`, which carries the token`,
        );
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new RampartError(res.ok ? 'internal' : 'unreachable', `${HOST}: HTTP ${res.status} on ${channel} without a JSON envelope`);
      }
      return body;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      ensureStream();
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    close() {
      source?.close();
      source = null;
    },
  };
}
