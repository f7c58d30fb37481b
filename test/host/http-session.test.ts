import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../main/host/http';
import { createEventBus, createRegistrar, type Handlers } from '../../main/host/registrar';
import { requests } from '../../shared/contract';
import { createApi } from '../../renderer/src/api/api';
import {
  httpTransport,
  type EventSourceLike,
  type FetchLike,
  type SseMessage,
} from '../../renderer/src/api/http-transport';
import { browserSession, takeLaunchCode, type StorageLike } from '../../renderer/src/api/http-session';

/**
 * The page's side of the browser host's credential (renderer/src/api/http-session.ts + http-transport.ts) against the
 * real host: the launch code is read from the fragment and removed, traded once, kept per tab, sent as a header;
 * the event stream takes a fresh ticket for every (re)connection.
 */
let host: HttpHost;
let dir: string;
const bus = createEventBus();
const seen: { channel: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-session-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rampart</title>');
  const handlers = Object.fromEntries(
    Object.keys(requests).map((c) => [c, async () => (seen.push({ channel: c }), { ok: c })]),
  ) as unknown as Handlers;
  host = await startHttpHost({ registrar: createRegistrar(handlers), bus, staticDir: dir, port: 0 });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

const nodeFetch: FetchLike = (url, init) => fetch(url, init);
const origin = () => host.url.replace(/\/$/, '');
function memoryStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('the launch code in the address', () => {
  it('is read from #launch= and removed from the address bar; nothing else counts', () => {
    const replaced: string[] = [];
    const history = { replaceState: (_d: unknown, _u: string, url: string) => void replaced.push(url) };
    const code = 'A'.repeat(43);
    expect(takeLaunchCode({ hash: `#launch=${code}`, pathname: '/', search: '' }, history)).toBe(code);
    expect(replaced).toEqual(['/']);
    for (const hash of ['', '#', '#launch=', '#launch=short', `#x=${code}`, `#launch=${code}<script>`]) {
      expect(takeLaunchCode({ hash, pathname: '/', search: '' }, history), hash).toBeNull();
    }
    expect(replaced).toHaveLength(1);
  });
});

describe('a tab signing in', () => {
  it('trades the code once, keeps the session in its storage, sends it as Bearer; a reload reuses it', async () => {
    const code = new URL(host.launchUrl).hash.slice('#launch='.length);
    const storage = memoryStorage();
    const sent: Record<string, string>[] = [];
    const recording: FetchLike = (url, init) => (sent.push(init.headers), nodeFetch(url, init));
    const api = createApi(
      httpTransport({
        baseUrl: origin(),
        fetch: recording,
        openEventSource: () => ({ addEventListener: () => undefined, close: () => undefined }),
        auth: browserSession({ baseUrl: origin(), fetch: recording, launchCode: code, storage }),
      }),
    );
    expect(await api.call('watches:list', {})).toEqual({ ok: 'watches:list' });
    const session = storage.map.get('rampart.session');
    expect(session).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(sent.at(-1)?.authorization).toBe(`Bearer ${session}`);
    expect(JSON.stringify(sent)).not.toContain(host.token);

    // A reload: the fragment is gone (or spent) — the tab's stored session still works.
    const reloaded = createApi(
      httpTransport({
        baseUrl: origin(),
        fetch: nodeFetch,
        openEventSource: () => ({ addEventListener: () => undefined, close: () => undefined }),
        auth: browserSession({ baseUrl: origin(), fetch: nodeFetch, launchCode: code, storage }),
      }),
    );
    expect(await reloaded.call('watches:list', {})).toEqual({ ok: 'watches:list' });
  });

  it('a spent code in a fresh tab signs nothing in: the call is unauthorized and says how to get a fresh link', async () => {
    const code = new URL(host.launchUrl).hash.slice('#launch='.length); // spent by the test above
    const storage = memoryStorage();
    const api = createApi(
      httpTransport({
        baseUrl: origin(),
        fetch: nodeFetch,
        openEventSource: () => ({ addEventListener: () => undefined, close: () => undefined }),
        auth: browserSession({ baseUrl: origin(), fetch: nodeFetch, launchCode: code, storage }),
      }),
    );
    const before = seen.length;
    await expect(api.call('watches:list', {})).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/fresh link from `rampart serve`/),
    });
    expect(storage.map.size).toBe(0);
    expect(seen.length).toBe(before);
  });
});

describe('the event stream', () => {
  /** EventSource stand-in that records the URLs opened and lets the test fire events on the current one. */
  function sources() {
    const opened: { url: string; handlers: Map<string, ((ev: SseMessage) => void)[]>; closed: boolean }[] = [];
    const open = (url: string): EventSourceLike => {
      const s = { url, handlers: new Map<string, ((ev: SseMessage) => void)[]>(), closed: false };
      opened.push(s);
      return {
        addEventListener: (t, l) => s.handlers.set(t, [...(s.handlers.get(t) ?? []), l]),
        close: () => void (s.closed = true),
      };
    };
    const fire = (type: string, data = '') => (opened.at(-1)?.handlers.get(type) ?? []).forEach((h) => h({ data }));
    return { open, opened, fire };
  }

  it('opens with a single-use ticket, and after a drop reconnects with a fresh one (the spent one is refused)', async () => {
    const launchCode = new URL(host.newLaunchUrl()).hash.slice('#launch='.length);
    const es = sources();
    const timers: (() => void)[] = [];
    const transport = httpTransport({
      baseUrl: origin(),
      fetch: nodeFetch,
      openEventSource: es.open,
      auth: browserSession({ baseUrl: origin(), fetch: nodeFetch, launchCode, storage: memoryStorage() }),
      setTimer: (fn) => void timers.push(fn),
    });
    const ticks: number[] = [];
    transport.on('series:tick', (p) => ticks.push(p.at));
    await expect.poll(() => es.opened.length).toBe(1);
    const first = new URL(es.opened[0].url);
    expect(first.pathname).toBe('/events');
    const ticket = first.searchParams.get('ticket') ?? '';
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    es.fire('series:tick', '{"at":1}');
    expect(ticks).toEqual([1]);

    // The real host takes the ticket once.
    expect((await fetch(`${origin()}/events?ticket=${ticket}`)).status).toBe(200);
    expect((await fetch(`${origin()}/events?ticket=${ticket}`)).status).toBe(401);

    es.fire('error');
    expect(es.opened[0].closed).toBe(true); // the browser's own retry would replay the spent ticket
    expect(timers).toHaveLength(1);
    timers.shift()?.();
    await expect.poll(() => es.opened.length).toBe(2);
    const second = new URL(es.opened[1].url).searchParams.get('ticket');
    expect(second).not.toBe(ticket);
    es.fire('series:tick', '{"at":2}');
    expect(ticks).toEqual([1, 2]);
    transport.close();
  });
});
