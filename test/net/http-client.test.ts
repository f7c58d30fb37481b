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

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
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
      await expect(
        httpJson({ ...call, method: 'PATCH', idempotent: false, rateLimitResends: 2, body: {} }, s.deps),
      ).rejects.toThrow(/Acme/);
      expect(s.calls).toHaveLength(1);
    }
  });

  it('resends a throttled write only after the reset time the vendor gave, and only when asked', async () => {
    const s = scripted([json(429, {}, { 'retry-after': '3' }), json(200, { done: 1 })]);
    await httpJson({ ...call, method: 'POST', idempotent: false, rateLimitResends: 1, body: {} }, s.deps);
    expect(s.calls[1] - s.calls[0]).toBeGreaterThanOrEqual(3000);

    const noReset = scripted([json(429, {}), json(200, {})]);
    await expect(
      httpJson({ ...call, method: 'POST', idempotent: false, rateLimitResends: 1, body: {} }, noReset.deps),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    expect(noReset.calls).toHaveLength(1);

    const notAsked = scripted([json(429, {}, { 'retry-after': '1' }), json(200, {})]);
    await expect(
      httpJson({ ...call, method: 'POST', idempotent: false, body: {} }, notAsked.deps),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    expect(notAsked.calls).toHaveLength(1);
  });

  it('reports a reset too far away instead of waiting for it', async () => {
    const s = scripted([json(429, {}, { 'retry-after': '600' }), json(200, {})]);
    await expect(httpJson({ ...call, method: 'GET', idempotent: true }, s.deps)).rejects.toMatchObject({
      code: 'rate_limited',
    });
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

describe('httpJson redaction (on by default)', () => {
  const token = 'tok-abcdef0123456789';
  const user = 'grafana';
  const password = 'pa55-w0rd-xyz';
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const leaks = (v: unknown, secrets: string[]) =>
    secrets.filter((s) => JSON.stringify(v).includes(s) || JSON.stringify(v).includes(encodeURIComponent(s)));

  it('masks every header value in a successful body: strings, object keys, nested names; the same object when clean', async () => {
    const echo = {
      flags: [{ name: `checkout ${token}`, description: `sent Authorization: Bearer ${token}` }],
      [`key-${token}`]: 1,
      q: `a=${encodeURIComponent(token)}`,
    };
    const s = scripted([json(200, echo)]);
    const res = await httpJson(
      {
        ...call,
        method: 'GET',
        idempotent: true,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      },
      s.deps,
    );
    expect(leaks(res.body, [token])).toEqual([]);
    expect(JSON.stringify(res.body)).toContain('[redacted]');
    expect((res.body as { flags: { name: string }[] }).flags[0].name).toBe('checkout [redacted]');
    // Protocol headers are not secrets: "application/json" in a body survives.
    const clean = { type: 'application/json', n: 1 };
    const s2 = scripted([json(200, clean)]);
    const res2 = await httpJson(
      {
        ...call,
        method: 'GET',
        idempotent: true,
        headers: { authorization: token, 'content-type': 'application/json' },
      },
      s2.deps,
    );
    expect(res2.body).toEqual(clean);
  });

  it('masks a Basic credential decoded (user:password and the password alone) and the Bearer value after its scheme', async () => {
    const body = { error: `bad login ${user}:${password}`, detail: `password was ${password}`, raw: basic };
    for (const status of [200, 400]) {
      const s = scripted([json(status, body)]);
      const out = await httpJson(
        { ...call, method: 'GET', idempotent: true, headers: { authorization: basic } },
        s.deps,
      ).catch((e: unknown) => e);
      const seen =
        status === 200
          ? (out as { body: unknown }).body
          : { m: (out as Error).message, d: (out as { details: unknown }).details };
      expect(leaks(seen, [password, basic.slice(6)]), `status ${status}`).toEqual([]);
    }
  });

  it('masks secrets in error messages and details (the body keeps its shape for the adapter), headers and plain-text bodies', async () => {
    const extra = 'extra-secret-in-body-999';
    const s = scripted([json(422, { message: `nope ${token} ${extra}`, errorType: 'bad_data' }, { 'x-echo': token })]);
    const e = (await httpJson(
      {
        ...call,
        method: 'POST',
        idempotent: false,
        body: { k: extra },
        headers: { 'DD-API-KEY': token },
        redact: [extra],
      },
      s.deps,
    ).catch((x) => x)) as {
      message: string;
      details: { status: number; body: { errorType: string } };
    };
    expect(leaks({ m: e.message, d: e.details }, [token, extra])).toEqual([]);
    expect(e.details.status).toBe(422);
    expect(e.details.body.errorType).toBe('bad_data');

    const text = scripted([
      () =>
        new Response(`hello ${token}`, {
          status: 200,
          headers: { 'content-type': 'text/plain', 'x-echo': `t=${token}` },
        }),
    ]);
    const r = await httpJson({ ...call, method: 'GET', idempotent: true, headers: { 'x-api-key': token } }, text.deps);
    expect(r.body).toBe('hello [redacted]');
    expect(r.headers.get('x-echo')).toBe('t=[redacted]');
  });

  it('keeps a vendor "__proto__" key a plain key while masking', async () => {
    const s = scripted([
      () =>
        new Response(`{"__proto__": {"polluted": "${token}"}, "ok": "${token}"}`, {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    ]);
    const r = await httpJson({ ...call, method: 'GET', idempotent: true, headers: { authorization: token } }, s.deps);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain(token);
  });
});
