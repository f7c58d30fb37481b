import { describe, expect, it } from 'vitest';
import { RampartError } from '../../shared/errors';
import { createApi } from '../../renderer/src/api/api';
import { asRampartError, unwrapEnvelope } from '../../renderer/src/api/envelope';
import {
  httpTransport,
  type EventSourceLike,
  type FetchLike,
  type SseMessage,
} from '../../renderer/src/api/http-transport';
import { ipcTransport } from '../../renderer/src/api/ipc-transport';
import type { RampartBridge } from '../../preload/api';

function fakeEventSource() {
  const handlers = new Map<string, ((ev: SseMessage) => void)[]>();
  const opened: string[] = [];
  const open = (url: string): EventSourceLike => {
    opened.push(url);
    return {
      addEventListener: (type, l) => handlers.set(type, [...(handlers.get(type) ?? []), l]),
      close: () => handlers.clear(),
    };
  };
  const emit = (type: string, data: string): void => (handlers.get(type) ?? []).forEach((h) => h({ data }));
  return { open, emit, opened };
}

function jsonResponse(status: number, body: unknown) {
  return { status, ok: status < 400, json: async () => body, text: async () => JSON.stringify(body) };
}

describe('envelope', () => {
  it('returns the result and rebuilds a RampartError with its code from an error envelope', () => {
    expect(unwrapEnvelope('flags:list', { result: [1] })).toEqual([1]);
    try {
      unwrapEnvelope('flags:ramp', { error: { code: 'conflict', message: 'rollout is 50%, you saw 25%' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RampartError);
      expect((e as RampartError).code).toBe('conflict');
      expect((e as RampartError).message).toBe('rollout is 50%, you saw 25%');
    }
  });

  it('treats a malformed body or an unknown code as internal errors', () => {
    expect(() => unwrapEnvelope('x', 'nope')).toThrow(/malformed response on x/);
    expect(() => unwrapEnvelope('x', { error: { code: 'weird', message: 'm' } })).toThrow(
      expect.objectContaining({ code: 'internal', message: 'm' }),
    );
    expect(asRampartError(new Error('boom')).code).toBe('internal');
  });
});

describe('http transport', () => {
  it('POSTs JSON to /rpc/<channel> with same-origin credentials and unwraps the envelope', async () => {
    const seen: { url: string; body: string; credentials: string; method: string }[] = [];
    const fetch: FetchLike = async (url, init) => {
      seen.push({ url, body: init.body, credentials: init.credentials, method: init.method });
      return jsonResponse(200, { result: { version: '1', user: 'u', demo: true, dataDir: '/d', door: 'http' } });
    };
    const es = fakeEventSource();
    const api = createApi(httpTransport({ baseUrl: 'http://127.0.0.1:5000', fetch, openEventSource: es.open }));
    const info = await api.call('app:info', {});
    expect(info.demo).toBe(true);
    expect(seen).toEqual([
      { url: 'http://127.0.0.1:5000/rpc/app:info', body: '{}', credentials: 'same-origin', method: 'POST' },
    ]);
    expect(api.transport).toBe('http');
  });

  it('maps an error envelope (HTTP 200) to its code and a 401 to unauthorized', async () => {
    let status = 200;
    const fetch: FetchLike = async () =>
      status === 200
        ? jsonResponse(200, { error: { code: 'blocked', message: 'metrics have no data' } })
        : jsonResponse(status, 'Missing token');
    const api = createApi(httpTransport({ baseUrl: '', fetch, openEventSource: fakeEventSource().open }));
    const payload = { connectionId: 'c', flagKey: 'f', env: 'e', to: 50, expected: 25, comment: 'looks good' };
    await expect(api.call('flags:ramp', payload)).rejects.toMatchObject({ code: 'blocked' });
    status = 401;
    await expect(api.call('flags:ramp', payload)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('reports a network failure as unreachable', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const api = createApi(httpTransport({ baseUrl: 'http://h', fetch, openEventSource: fakeEventSource().open }));
    await expect(api.call('flags:list', {})).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('delivers SSE events by name to their listeners over one stream, until unsubscribed', () => {
    const es = fakeEventSource();
    const api = createApi(
      httpTransport({
        baseUrl: 'http://h',
        fetch: async () => jsonResponse(200, { result: null }),
        openEventSource: es.open,
      }),
    );
    const ticks: number[] = [];
    const off = api.on('series:tick', (p) => ticks.push(p.at));
    api.on('audit:appended', () => ticks.push(-1));
    expect(es.opened).toEqual(['http://h/events']);
    es.emit('series:tick', '{"at":42}');
    es.emit('series:tick', 'not json');
    off();
    es.emit('series:tick', '{"at":43}');
    expect(ticks).toEqual([42]);
  });
});

describe('ipc transport', () => {
  it('calls the bridge function of the channel and passes events through', async () => {
    const calls: unknown[] = [];
    let listener: ((p: unknown) => void) | null = null;
    const bridge = {
      request: new Proxy(
        {},
        {
          get: (_t, channel) => async (payload: unknown) => {
            calls.push([channel, payload]);
            return { result: 'ok' };
          },
        },
      ),
      on: (_e: string, l: (p: unknown) => void) => {
        listener = l;
        return () => (listener = null);
      },
    } as unknown as RampartBridge;
    const api = createApi(ipcTransport(bridge));
    expect(await api.call('watches:list', {})).toBe('ok');
    expect(calls).toEqual([['watches:list', {}]]);
    const got: number[] = [];
    const off = api.on('series:tick', (p) => got.push(p.at));
    (listener as unknown as (p: unknown) => void)({ at: 7 });
    off();
    expect(got).toEqual([7]);
    expect(listener).toBeNull();
  });
});
