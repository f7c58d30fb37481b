import { describe, expect, it } from 'vitest';
import { httpJson, type HttpDeps } from '../../main/net/http-client';

/** A scripted server: each call takes the next answer; the clock only moves when the client sleeps. */
function scripted(answers: (() => Response | Promise<Response>)[]) {
  let clock = 1_000_000;
  const calls: number[] = [];
  const slept: number[] = [];
  const deps: HttpDeps = {
    fetch: async () => {
      calls.push(clock);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next();
    },
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 0.5,
  };
  return { deps, calls, slept };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const reset = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));
const call = { vendor: 'Acme', url: 'http://127.0.0.1:9/api/flag?key=secret', timeoutMs: 1000 };

describe('httpJson', () => {
  it('retries an idempotent read on 503 and on a reset, then succeeds', async () => {
    const s = scripted([json(503, {}), reset, json(200, { ok: true })]);
    const res = await httpJson({ ...call, method: 'GET', idempotent: true }, s.deps);
    expect(res.body).toEqual({ ok: true });
    expect(s.calls).toHaveLength(3);
  });

  it('never retries a write on 5xx or a reset: it may have landed', async () => {
    for (const answer of [json(503, {}), reset]) {
      const s = scripted([answer, json(200, {})]);
      await expect(httpJson({ ...call, method: 'PATCH', idempotent: false, rateLimitResends: 2, body: {} }, s.deps)).rejects.toThrow(/Acme/);
      expect(s.calls).toHaveLength(1);
    }
  });

  it('resends a throttled write only after the reset time the vendor gave, and only when asked', async () => {
    const s = scripted([json(429, {}, { 'retry-after': '3' }), json(200, { done: 1 })]);
    await httpJson({ ...call, method: 'POST', idempotent: false, rateLimitResends: 1, body: {} }, s.deps);
    expect(s.calls[1] - s.calls[0]).toBeGreaterThanOrEqual(3000);

    const noReset = scripted([json(429, {}), json(200, {})]);
    await expect(httpJson({ ...call, method: 'POST', idempotent: false, rateLimitResends: 1, body: {} }, noReset.deps)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(noReset.calls).toHaveLength(1);

    const notAsked = scripted([json(429, {}, { 'retry-after': '1' }), json(200, {})]);
    await expect(httpJson({ ...call, method: 'POST', idempotent: false, body: {} }, notAsked.deps)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(notAsked.calls).toHaveLength(1);
  });

  it('reports a reset too far away instead of waiting for it', async () => {
    const s = scripted([json(429, {}, { 'retry-after': '600' }), json(200, {})]);
    await expect(httpJson({ ...call, method: 'GET', idempotent: true }, s.deps)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(s.slept).toEqual([]);
  });

  it('maps statuses to codes, names the vendor, and keeps query strings out of messages', async () => {
    const s = scripted([json(401, { message: 'bad token' })]);
    const e = await httpJson({ ...call, method: 'GET', idempotent: true }, s.deps).catch((x) => x);
    expect(e).toMatchObject({ code: 'unauthorized' });
    expect(e.message).toBe('Acme: bad or insufficient token (HTTP 401 on GET http://127.0.0.1:9/api/flag): bad token');
  });

  it('redacts a secret the server echoed back, from the message and the details', async () => {
    const token = 'api-key-0123456789';
    const s = scripted([json(400, { message: `invalid key ${token}` })]);
    const e = await httpJson({ ...call, method: 'GET', idempotent: true, redact: token }, s.deps).catch((x) => x);
    expect(e.message).toContain('[redacted]');
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(token);
  });
});
