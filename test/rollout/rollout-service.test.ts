import { describe, expect, it } from 'vitest';
import { createRolloutService } from '../../main/rollout/rollout-service';
import { openStore } from '../../main/store';
import { createEventBus } from '../../main/host/registrar';
import { RampartError } from '../../shared/errors';
import type { Connection } from '../../shared/domain/connections';
import { checkoutFlag, memoryFlagStore } from '../support/memory-flag-store';

function setup(opts: { exposure?: number; enabled?: boolean; connection?: Partial<Connection>; guard?: { ok: boolean; reason: string } } = {}) {
  const mem = memoryFlagStore([checkoutFlag(opts.exposure ?? 5, opts.enabled ?? true)]);
  const store = openStore(':memory:');
  const bus = createEventBus();
  const events: string[] = [];
  bus.subscribe((name) => events.push(name));
  const connection = { id: 'mem', name: 'Mem', kind: 'flagd', file: '/x.json', environment: 'production', ...opts.connection } as Connection;
  const service = createRolloutService({
    flagStore: () => mem.store,
    connection: () => connection,
    audit: store.audit,
    changes: store.changes,
    bus,
    user: () => 'alice',
    rampGuard: opts.guard ? async () => opts.guard! : undefined,
  });
  return { mem, store, service, events };
}

const ramp = { connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', comment: 'p99 flat for 30 min', override: false };

describe('ramp', () => {
  it('writes intent, then the vendor, reads back, writes the result, and announces the change', async () => {
    const { mem, store, service, events } = setup();
    const res = await service.ramp({ ...ramp, to: 25, expected: 5 });
    expect(res.readBack).toEqual({ enabled: true, exposure: 25 });
    expect(res.change.label).toBe('rollout 5% → 25%');
    expect(mem.writes).toEqual(['exposure checkout-v2 production 25']);
    const [entry] = store.audit.list({ limit: 5 });
    expect(entry).toMatchObject({ action: 'ramp', result: 'done', user: 'alice', comment: 'p99 flat for 30 min', from: { exposure: 5 }, to: { exposure: 25 } });
    expect(events).toEqual(['audit:appended', 'audit:appended', 'flags:changed']);
    expect(store.changes.list({ from: 0, to: Date.now() + 1 })).toHaveLength(1);
  });

  it('refuses when the flag moved since the user looked, writing nothing', async () => {
    const { mem, store, service } = setup({ exposure: 50 });
    const err = await service.ramp({ ...ramp, to: 25, expected: 5 }).catch((e: RampartError) => e);
    expect(err).toMatchObject({ code: 'conflict', details: { live: { exposure: 50 } } });
    expect((err as Error).message).toMatch(/now on at 50%/);
    expect(mem.writes).toEqual([]);
    expect(store.audit.list({ limit: 5 })).toEqual([]);
  });

  it('records a failed vendor write as failed, never as done', async () => {
    const { mem, store, service } = setup();
    mem.fail.write = new RampartError('unreachable', 'Unleash: unreachable (PATCH http://127.0.0.1:1/…)');
    await expect(service.ramp({ ...ramp, to: 25, expected: 5 })).rejects.toMatchObject({ code: 'unreachable' });
    const [entry] = store.audit.list({ limit: 5 });
    expect(entry).toMatchObject({ result: 'failed', error: expect.stringContaining('unreachable') });
    expect(store.changes.list({ from: 0, to: Date.now() + 1 })).toEqual([]);
  });

  it('settles a timed-out write by reading back: applied means done', async () => {
    const { mem, store, service } = setup();
    mem.fail.writeButApply = new RampartError('timeout', 'Unleash: timed out after 15000 ms');
    const res = await service.ramp({ ...ramp, to: 25, expected: 5 });
    expect(res.readBack.exposure).toBe(25);
    expect(store.audit.list({ limit: 1 })[0].result).toBe('done');
  });

  it('records failed when the store acknowledges but the read-back disagrees', async () => {
    const { mem, store, service } = setup();
    mem.fail.ignoreWrites = true;
    await expect(service.ramp({ ...ramp, to: 25, expected: 5 })).rejects.toThrow(/read-back shows on at 5%/);
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ result: 'failed' });
  });

  it('is blocked by the metrics guard unless overridden, and the override is audited', async () => {
    const { service, store } = setup({ guard: { ok: false, reason: 'the metrics have no usable data' } });
    await expect(service.ramp({ ...ramp, to: 25, expected: 5 })).rejects.toMatchObject({ code: 'blocked' });
    expect(store.audit.list({ limit: 5 })).toEqual([]);
    await service.ramp({ ...ramp, to: 25, expected: 5, override: true });
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ override: true, result: 'done' });
  });

  it('turns a disabled flag on when ramping above 0', async () => {
    const { mem, service } = setup({ exposure: 0, enabled: false });
    const res = await service.ramp({ ...ramp, to: 1, expected: 0 });
    expect(mem.writes).toEqual(['exposure checkout-v2 production 1', 'enabled checkout-v2 production true']);
    expect(res.change.label).toBe('off → on');
  });
});

describe('rollback', () => {
  it('sets exposure 0 on a flagd file and is never asked to pass the metrics guard', async () => {
    const { mem, service } = setup({ exposure: 25, guard: { ok: false, reason: 'provider down' } });
    const res = await service.rollback({ connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', comment: 'errors up' });
    expect(mem.writes).toEqual(['exposure checkout-v2 production 0']);
    expect(res.change.label).toBe('rollout 25% → 0%');
  });

  it('turns the environment off on Unleash by default', async () => {
    const { mem, service } = setup({ exposure: 25, connection: { kind: 'unleash', rollbackMode: 'off' } as Partial<Connection> });
    const res = await service.rollback({ connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', comment: 'errors up' });
    expect(mem.writes).toEqual(['enabled checkout-v2 production false']);
    expect(res.readBack.enabled).toBe(false);
    expect(res.change.label).toBe('on → off');
  });
});

describe('reconcile on start-up', () => {
  it('settles pending intents by reading the flag back', async () => {
    const { mem, store, service } = setup({ exposure: 25 });
    const landed = store.audit.intent({ user: 'a', connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', action: 'ramp', from: { enabled: true, exposure: 5 }, to: { enabled: true, exposure: 25 }, comment: 'x y z', override: false });
    const lost = store.audit.intent({ user: 'a', connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', action: 'ramp', from: { enabled: true, exposure: 25 }, to: { enabled: true, exposure: 50 }, comment: 'x y z', override: false });
    await service.reconcile();
    expect(store.audit.get(landed.actionId)?.result).toBe('reconciled-done');
    expect(store.audit.get(lost.actionId)?.result).toBe('reconciled-failed');
    expect(mem.writes).toEqual([]);
  });

  it('leaves intents pending while the store is unreachable', async () => {
    const { mem, store, service } = setup();
    const p = store.audit.intent({ user: 'a', connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', action: 'ramp', from: { enabled: true, exposure: 5 }, to: { enabled: true, exposure: 25 }, comment: 'x y z', override: false });
    mem.fail.read = new RampartError('unreachable', 'down');
    await service.reconcile();
    expect(store.audit.get(p.actionId)?.result).toBe('pending');
  });
});
