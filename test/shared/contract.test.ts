import { describe, expect, expectTypeOf, it } from 'vitest';
import { EVENT_NAMES, REQUEST_CHANNELS, events, requests, type Channel, type EventName } from '../../shared/contract';

describe('the contract', () => {
  it('lists exactly the request channels the schemas define (the preload uses the list)', () => {
    expect([...REQUEST_CHANNELS].sort()).toEqual(Object.keys(requests).sort());
    expectTypeOf<(typeof REQUEST_CHANNELS)[number]>().toEqualTypeOf<Channel>();
  });

  it('lists exactly the push events the schemas define', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
    expectTypeOf<(typeof EVENT_NAMES)[number]>().toEqualTypeOf<EventName>();
  });

  it("names every channel '<domain>:<verb>'", () => {
    for (const c of [...REQUEST_CHANNELS, ...EVENT_NAMES]) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('requires a comment on every write', () => {
    const ramp = requests['flags:ramp'].input;
    const base = { connectionId: 'c', flagKey: 'f', env: 'production', to: 25, expected: 5 };
    expect(ramp.safeParse({ ...base, comment: '  ' }).success).toBe(false);
    expect(ramp.safeParse(base).success).toBe(false);
    expect(ramp.safeParse({ ...base, comment: 'p99 flat for 30 min' }).success).toBe(true);
    expect(requests['flags:rollback'].input.safeParse({ connectionId: 'c', flagKey: 'f', env: 'e' }).success).toBe(
      false,
    );
  });

  it('rejects exposures outside 0–100 and unknown connection kinds', () => {
    const ramp = requests['flags:ramp'].input;
    expect(
      ramp.safeParse({ connectionId: 'c', flagKey: 'f', env: 'e', to: 101, expected: 5, comment: 'abc' }).success,
    ).toBe(false);
    const save = requests['connections:save'].input;
    expect(save.safeParse({ connection: { id: 'x', name: 'x', kind: 'consul' } }).success).toBe(false);
    expect(
      save.safeParse({ connection: { id: 'x', name: 'x', kind: 'unleash', url: 'javascript:alert(1)' } }).success,
    ).toBe(false);
    expect(
      save.safeParse({ connection: { id: 'x', name: 'x', kind: 'unleash', url: 'https://unleash.example.com' } })
        .success,
    ).toBe(true);
  });

  it('never carries a secret in a saved connection', () => {
    const save = requests['connections:save'].input;
    const parsed = save.parse({
      connection: {
        id: 'u',
        name: 'U',
        kind: 'unleash',
        url: 'http://127.0.0.1:4242',
        tokenEnv: 'UNLEASH_TOKEN',
        token: '*:*.secret',
      },
    });
    expect(JSON.stringify(parsed)).not.toContain('*:*.secret');
  });
});
