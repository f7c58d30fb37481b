import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HttpDeps } from '../../main/net/http-client';
import { createVendorClient, pathOf, type VendorClientOptions } from '../../main/net/vendor-client';
import { rejection } from '../support/rejection';

/** A scripted vendor: each request takes the next answer; the clock only moves when the client sleeps. */
function scripted(answers: (Response | (() => Response | Promise<Response>))[]) {
  let clock = 5_000_000;
  const seen: { url: string; method: string; headers: Record<string, string>; body?: string; at: number }[] = [];
  const http: HttpDeps = {
    fetch: async (url, init) => {
      seen.push({
        url: String(url),
        method: String(init?.method),
        headers: init?.headers as Record<string, string>,
        body: init?.body as string | undefined,
        at: clock,
      });
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return typeof next === 'function' ? next() : next;
    },
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    random: () => 0.5,
  };
  return { http, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const TOKEN = 'tok-0123456789abcdef';
const Any = z.unknown();

function client(answers: Parameters<typeof scripted>[0], extra: Partial<VendorClientOptions> = {}) {
  const s = scripted(answers);
  const c = createVendorClient({
    vendor: 'Acme',
    baseUrl: 'http://127.0.0.1:9/proxy/acme/',
    auth: { authorization: `Bearer ${TOKEN}` },
    headers: { 'x-api-version': '7' },
    secrets: [TOKEN],
    http: s.http,
    ...extra,
  });
  return { c, seen: s.seen };
}

describe('vendor client: URLs and credentials', () => {
  it('joins the base path, encodes each interpolated segment, drops undefined query values, and sends the auth and protocol headers', async () => {
    const { c, seen } = client([json(200, { ok: 1 })]);
    await c.read(pathOf`/api/flags/${'a/b?c'}/envs/${'x y'}`, Any, {
      query: { limit: 5, project: undefined, on: true },
    });
    expect(seen[0].url).toBe('http://127.0.0.1:9/proxy/acme/api/flags/a%2Fb%3Fc/envs/x%20y?limit=5&on=true');
    expect(seen[0].headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'x-api-version': '7',
      accept: 'application/json',
    });
  });

  it('refuses a base URL that is not http(s) or carries credentials', () => {
    expect(() => createVendorClient({ vendor: 'Acme', baseUrl: 'file:///etc/passwd', auth: {} })).toThrow(
      /must be http\(s\)/,
    );
    expect(() => createVendorClient({ vendor: 'Acme', baseUrl: 'http://u:p@host', auth: {} })).toThrow(
      /must not carry credentials/,
    );
  });

  it('masks the token wherever the vendor echoes it: a successful body and an error', async () => {
    const { c } = client([json(200, { name: `flag ${TOKEN}` }), json(400, { message: `bad ${TOKEN}` })]);
    expect(await c.read('/x', z.object({ name: z.string() }))).toEqual({ name: 'flag [redacted]' });
    const e = await rejection(c.read('/x', Any));
    expect(e.message).toBe(
      'Acme: rejected the request (HTTP 400 on GET http://127.0.0.1:9/proxy/acme/x): bad [redacted]',
    );
  });
});

describe('vendor client: parsing every answer', () => {
  it('names the method, origin and path (never the query) and the problem', async () => {
    const Flag = z.object({ key: z.string(), on: z.boolean() });
    const { c } = client([
      new Response('', { status: 200 }),
      new Response('<html>', { status: 200 }),
      json(200, { key: 1, on: 'yes' }),
    ]);
    const target = 'GET http://127.0.0.1:9/proxy/acme/flag';
    expect((await rejection(c.read('/flag?secret=1', Flag))).message).toBe(
      `Acme: malformed response from ${target}: an empty body`,
    );
    expect((await rejection(c.read('/flag', Flag))).message).toBe(
      `Acme: malformed response from ${target}: a body that is not JSON`,
    );
    const e = await rejection(c.read('/flag', Flag));
    expect(e.code).toBe('vendor_error');
    expect(e.message).toMatch(/^Acme: malformed response from GET .*\/flag: unexpected JSON \(key: .*; on: .*\)$/);
  });

  it('parses a write’s answer too, and gives the headers with readAnswer', async () => {
    const { c } = client([json(200, { nope: true }), json(200, { id: 3 }, { date: 'Tue, 01 Jul 2025 10:00:00 GMT' })]);
    expect((await rejection(c.write('POST', '/flags', { a: 1 }, z.object({ id: z.number() })))).message).toMatch(
      /^Acme: malformed response from POST .*\/flags: unexpected JSON \(id: /,
    );
    const a = await c.readAnswer('/flags/3', z.object({ id: z.number() }));
    expect(a).toMatchObject({ body: { id: 3 }, status: 200 });
    expect(a.headers.get('date')).toBe('Tue, 01 Jul 2025 10:00:00 GMT');
  });
});

describe('vendor client: writes sent once', () => {
  it('never resends a write after a 5xx or a reset', async () => {
    for (const answer of [
      json(503, {}),
      () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })),
    ]) {
      const { c, seen } = client([answer, json(200, {})], { writeRateLimitResends: 2 });
      await rejection(c.write('PATCH', '/f', {}, Any));
      expect(seen).toHaveLength(1);
    }
  });

  it('resends a throttled write after the vendor’s reset only when the vendor throttles before applying', async () => {
    const reset = (h: Headers) => (h.get('ratelimit-reset') ? Number(h.get('ratelimit-reset')) * 1000 : undefined);
    const yes = client([json(429, {}, { 'ratelimit-reset': '2' }), json(200, { ok: true })], {
      writeRateLimitResends: 1,
      rateLimitResetMs: reset,
    });
    await yes.c.write('POST', '/f', {}, Any);
    expect(yes.seen[1].at - yes.seen[0].at).toBeGreaterThanOrEqual(2000);
    const no = client([json(429, {}, { 'retry-after': '1' }), json(200, {})]);
    expect((await rejection(no.c.write('POST', '/f', {}, Any))).code).toBe('rate_limited');
    expect(no.seen).toHaveLength(1);
  });

  it('retries an absolute write like a read when asked (attempts > 1), with its own media type', async () => {
    const { c, seen } = client([json(503, {}), json(200, {})]);
    await c.write('PATCH', '/f', { op: 1 }, Any, { attempts: 3, contentType: 'application/json-patch+json' });
    expect(seen).toHaveLength(2);
    expect(seen[0].headers['content-type']).toBe('application/json-patch+json');
    expect(seen[0].body).toBe('{"op":1}');
  });
});

describe('vendor client: status maps', () => {
  it('maps a vendor status (405 → approval_required) and reclassifies by body, keeping the server’s message', async () => {
    const classify = (status: number, body: unknown) =>
      status === 400 && /could not find/i.test(JSON.stringify(body)) ? 'not_found' : undefined;
    const { c } = client(
      [
        json(405, { message: 'approval needed' }),
        json(400, { message: 'Could not find a feature with that key' }),
        json(400, { message: 'bad' }),
      ],
      { statusCodes: { 405: 'approval_required' }, classify },
    );
    expect((await rejection(c.write('PATCH', '/f', {}, Any))).code).toBe('approval_required');
    const nf = await rejection(c.read('/f', Any));
    expect(nf.code).toBe('not_found');
    expect(nf.message).toMatch(/HTTP 400 .*: Could not find a feature with that key$/);
    expect((await rejection(c.read('/f', Any))).code).toBe('bad_request');
  });
});

describe('vendor client: paging', () => {
  const Page = z.object({
    items: z.array(z.number()),
    next: z.string().nullish(),
    more: z.boolean().optional(),
    nextOffset: z.number().nullish(),
  });

  it('page-number: page=1,2… with the size until the page says no next', async () => {
    const { c, seen } = client([json(200, { items: [1, 2], more: true }), json(200, { items: [3], more: false })]);
    const all = await c.all('/list?q=x', Page, {
      kind: 'page-number',
      size: 2,
      items: (p) => p.items,
      hasNext: (p) => p.more === true,
    });
    expect(all).toEqual([1, 2, 3]);
    expect(seen.map((s) => new URL(s.url).search)).toEqual(['?q=x&page=1&page_size=2', '?q=x&page=2&page_size=2']);
  });

  it('offset: the vendor’s next offset, else offset + items; an offset that does not move forward is an error', async () => {
    const a = client([json(200, { items: [1, 2], nextOffset: 2 }), json(200, { items: [3], nextOffset: null })]);
    expect(
      await a.c.all('/l', Page, { kind: 'offset', limit: 2, items: (p) => p.items, nextOffset: (p) => p.nextOffset }),
    ).toEqual([1, 2, 3]);
    expect(a.seen.map((s) => new URL(s.url).search)).toEqual(['?offset=0&limit=2', '?offset=2&limit=2']);
    const b = client([json(200, { items: [1, 2] }), json(200, { items: [] })]);
    expect(await b.c.all('/l', Page, { kind: 'offset', limit: 2, items: (p) => p.items })).toEqual([1, 2]);
    expect(new URL(b.seen[1].url).searchParams.get('offset')).toBe('2');
    const loop = client([json(200, { items: [1], nextOffset: 0 })]);
    expect(
      (
        await rejection(
          loop.c.all('/l', Page, { kind: 'offset', limit: 1, items: (p) => p.items, nextOffset: (p) => p.nextOffset }),
        )
      ).message,
    ).toMatch(/paging did not move forward \(offset 0 → 0\)/);
  });

  it('next-link: relative links keep the base path, absolute ones only on the configured origin', async () => {
    const ok = client([
      json(200, { items: [1], next: '/api/l?offset=1' }),
      json(200, { items: [2], next: 'http://127.0.0.1:9/proxy/acme/api/l?offset=2' }),
      json(200, { items: [3] }),
    ]);
    expect(await ok.c.all('/api/l', Page, { kind: 'next-link', items: (p) => p.items, next: (p) => p.next })).toEqual([
      1, 2, 3,
    ]);
    expect(ok.seen[1].url).toBe('http://127.0.0.1:9/proxy/acme/api/l?offset=1');
    const evil = client([json(200, { items: [1], next: 'https://evil.example/steal' })]);
    const e = await rejection(
      evil.c.all('/api/l', Page, { kind: 'next-link', items: (p) => p.items, next: (p) => p.next }),
    );
    expect(e.message).toBe(
      'Acme: refusing to follow a paging link to another host (https://evil.example); the token is only sent to http://127.0.0.1:9',
    );
    expect(evil.seen).toHaveLength(1);
  });

  it('stops when `enough` says so, and refuses to return part of a listing longer than maxPages', async () => {
    const e = client([json(200, { items: [1], more: true }), json(200, { items: [2], more: true })]);
    expect(
      await e.c.all(
        '/l',
        Page,
        { kind: 'page-number', size: 1, items: (p) => p.items, hasNext: () => true },
        { enough: (items) => items.includes(2) },
      ),
    ).toEqual([1, 2]);
    const long = client([json(200, { items: [1] }), json(200, { items: [2] })], { maxPages: 2 });
    expect(
      (
        await rejection(
          long.c.all('/l', Page, { kind: 'page-number', size: 1, items: (p) => p.items, hasNext: () => true }),
        )
      ).message,
    ).toMatch(/more than 2 pages/);
  });
});
