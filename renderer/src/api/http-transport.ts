/**
 * Browser host (`rampart serve`): requests are `POST /rpc/<channel>` with a JSON body and the tab's session in
 * `Authorization: Bearer`, answered with the same envelope as IPC (a 4xx with an envelope is still an envelope);
 * 401/403 without one means the host refused us. Push events arrive over one Server-Sent Events stream at
 * `GET /events?ticket=…` — EventSource sends no headers, so each connection takes a fresh single-use ticket, and
 * the transport reconnects itself (a browser's own retry would replay a spent ticket). fetch and EventSource are
 * passed in so this module has no DOM globals and can be tested.
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
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; credentials: 'same-origin' },
) => Promise<{
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

/** The tab's credentials (./http-session.ts). */
export interface HttpAuth {
  /** The session for `Authorization: Bearer`; null when the tab has none (the host will answer 401). */
  credential(): Promise<string | null>;
  /** A fresh single-use ticket for one event-stream connection. */
  eventTicket(): Promise<string>;
  /** The host refused the session: forget it. */
  rejected(): void;
}

export interface HttpTransportOptions {
  /** Origin of the host, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  fetch: FetchLike;
  openEventSource: (url: string) => EventSourceLike;
  /** Absent: no credential is sent and the stream opens without a ticket (a host that asks for none). */
  auth?: HttpAuth;
  /** Told when the event stream drops or comes back, for a "live updates paused" hint. */
  onStreamStatus?: (connected: boolean) => void;
  /** For tests: how a reconnect is scheduled. */
  setTimer?: (fn: () => void, ms: number) => unknown;
}

const HOST = 'Rampart host';
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export function httpTransport(opts: HttpTransportOptions): Transport & { close(): void } {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  let source: EventSourceLike | null = null;
  let started = false;
  let closed = false;
  let backoff = RECONNECT_MIN_MS;

  const attach = (es: EventSourceLike): void => {
    es.addEventListener('open', () => {
      backoff = RECONNECT_MIN_MS;
      opts.onStreamStatus?.(true);
    });
    es.addEventListener('error', () => {
      opts.onStreamStatus?.(false);
      if (!opts.auth || es !== source) return; // without tickets, EventSource reconnects by itself
      es.close();
      source = null;
      reconnectLater();
    });
    for (const name of EVENT_NAMES) {
      es.addEventListener(name, (ev) => {
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

  const connect = async (): Promise<void> => {
    if (closed || source) return;
    if (!opts.auth) {
      source = opts.openEventSource(`${opts.baseUrl}/events`);
      return attach(source);
    }
    let ticket: string;
    try {
      ticket = await opts.auth.eventTicket();
    } catch {
      opts.onStreamStatus?.(false);
      return reconnectLater();
    }
    if (closed || source) return;
    source = opts.openEventSource(`${opts.baseUrl}/events?ticket=${encodeURIComponent(ticket)}`);
    attach(source);
  };

  function reconnectLater(): void {
    if (closed) return;
    const wait = backoff;
    backoff = Math.min(RECONNECT_MAX_MS, backoff * 2);
    setTimer(() => void connect(), wait);
  }

  const ensureStream = (): void => {
    if (started) return;
    started = true;
    void connect();
  };

  return {
    kind: 'http',
    async request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<unknown> {
      const url = `${opts.baseUrl}/rpc/${channel}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const credential = await opts.auth?.credential();
      if (credential) headers.authorization = `Bearer ${credential}`;
      let res: Awaited<ReturnType<FetchLike>>;
      try {
        res = await opts.fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(payload ?? {}),
          credentials: 'same-origin',
        });
      } catch (e) {
        throw new RampartError(
          'unreachable',
          `${HOST}: cannot reach ${opts.baseUrl} (${e instanceof Error ? e.message : String(e)})`,
        );
      }
      if (res.status === 401 || res.status === 403) {
        if (res.status === 401) opts.auth?.rejected();
        throw new RampartError(
          'unauthorized',
          `${HOST}: refused ${channel} (HTTP ${res.status}) — this tab has no valid session: open a fresh link from \`rampart serve\` (each link signs in once)`,
        );
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new RampartError(
          res.ok ? 'internal' : 'unreachable',
          `${HOST}: HTTP ${res.status} on ${channel} without a JSON envelope`,
        );
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
      closed = true;
      source?.close();
      source = null;
    },
  };
}
