import { describe, expect, it, vi } from 'vitest';
import { createEventBus, createRegistrar, type Handlers } from '../../main/host/registrar';
import { REQUEST_CHANNELS } from '../../shared/contract';
import { RampartError } from '../../shared/errors';

/** Every channel answered by a spy, so tests can see whether a handler ran. */
function spyHandlers() {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    REQUEST_CHANNELS.map((c) => [
      c,
      vi.fn(async (input: unknown) => {
        calls.push(c);
        if (c === 'flags:rollback') throw new RampartError('conflict', 'it moved', { live: 5 });
        if (c === 'audit:list') throw new Error('disk on fire');
        return { echoed: input };
      }),
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

const ctx = { door: 'http' as const };

describe('the registrar', () => {
  it('refuses to start with a channel that has no handler', () => {
    const { handlers } = spyHandlers();
    const partial = { ...handlers } as Partial<Handlers>;
    delete partial['flags:ramp'];
    expect(() => createRegistrar(partial as Handlers)).toThrow(/flags:ramp/);
  });

  it('validates the payload before any handler runs, naming the bad field', async () => {
    const { handlers, calls } = spyHandlers();
    const r = createRegistrar(handlers);
    const env = await r.dispatch(
      'flags:ramp',
      { connectionId: 'c', flagKey: 'f', env: 'e', to: 'lots', expected: null, comment: 'abc' },
      ctx,
    );
    expect(env).toEqual({
      error: {
        code: 'bad_request',
        message: expect.stringContaining('to:'),
        details: { issues: [{ path: ['to'], message: expect.any(String) }] },
      },
    });
    expect(calls).toEqual([]);
  });

  it('answers unknown channels and prototype keys with bad_request, not a crash', async () => {
    const r = createRegistrar(spyHandlers().handlers);
    for (const name of ['nope:nope', '__proto__', 'constructor', 'toString']) {
      const env = await r.dispatch(name, {}, ctx);
      expect('error' in env && env.error.code).toBe('bad_request');
    }
  });

  it('wraps results and errors in the envelope with stable codes', async () => {
    const r = createRegistrar(spyHandlers().handlers);
    expect(await r.dispatch('watches:list', {}, ctx)).toEqual({ result: { echoed: {} } });
    expect(
      await r.dispatch('flags:rollback', { connectionId: 'c', flagKey: 'f', env: 'e', comment: 'bad p99' }, ctx),
    ).toEqual({
      error: { code: 'conflict', message: 'it moved', details: { live: 5 } },
    });
    const internal = await r.dispatch('audit:list', {}, ctx);
    expect(internal).toEqual({ error: { code: 'internal', message: 'Internal error: disk on fire' } });
  });

  it('applies schema defaults before the handler sees the input', async () => {
    const { handlers } = spyHandlers();
    const r = createRegistrar(handlers);
    await r.dispatch(
      'flags:ramp',
      { connectionId: 'c', flagKey: 'f', env: 'e', to: 25, expected: 5, comment: 'looks good' },
      ctx,
    );
    expect(handlers['flags:ramp']).toHaveBeenCalledWith(expect.objectContaining({ override: false }), ctx);
  });
});

describe('the event bus', () => {
  it('delivers to every subscriber and survives a throwing one', () => {
    const bus = createEventBus();
    const got: unknown[] = [];
    bus.subscribe(() => {
      throw new Error('closed socket');
    });
    const off = bus.subscribe((name, payload) => got.push([name, payload]));
    bus.emit('series:tick', { at: 1 });
    off();
    bus.emit('series:tick', { at: 2 });
    expect(got).toEqual([['series:tick', { at: 1 }]]);
  });

  it('rejects a payload that does not match the contract', () => {
    const bus = createEventBus();
    expect(() => bus.emit('series:tick', { at: 'soon' } as never)).toThrow();
  });
});
