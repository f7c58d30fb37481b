import { describe, expect, it } from 'vitest';
import { RampartError } from '../../shared/errors';
import type { Channel } from '../../shared/contract';
import { QueryClient } from '../../renderer/src/data/query-client';
import { manualClock } from '../../renderer/src/lib/throttle';

/** A fake core: records calls, answers when the test says so. */
function fakeCore() {
  const calls: { channel: Channel; payload: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] =
    [];
  const call = (channel: Channel, payload: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      calls.push({ channel, payload, resolve, reject });
    });
  return { calls, call };
}
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('query client', () => {
  it('shares one call between subscribers of the same channel + payload, whatever the key order', async () => {
    const core = fakeCore();
    const qc = new QueryClient(core.call, { clock: manualClock() });
    let seen = 0;
    qc.subscribe('flags:history', { from: 1, to: 2 }, [], () => seen++);
    qc.subscribe('flags:history', { to: 2, from: 1 }, [], () => seen++);
    expect(core.calls).toHaveLength(1);
    core.calls[0].resolve([{ id: 'x' }]);
    await flush();
    const snap = qc.snapshot(qc.keyOf('flags:history', { from: 1, to: 2 }));
    expect(snap.status).toBe('success');
    expect(snap.data).toEqual([{ id: 'x' }]);
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it('refetches on the events an entry asked for, throttled to one call per interval', async () => {
    const core = fakeCore();
    const clock = manualClock(0);
    const qc = new QueryClient(core.call, { clock, minIntervalMs: 2_000 });
    qc.subscribe('verdict:get', { watchId: 'w' }, ['series:tick'], () => undefined);
    qc.subscribe('audit:list', {}, ['audit:appended'], () => undefined);
    core.calls.forEach((c) => c.resolve([]));
    await flush();
    const before = core.calls.length;
    for (let i = 0; i < 20; i++) {
      qc.onEvent('series:tick'); // a tick every 100 ms for 2 s
      clock.advance(100);
      await flush();
      core.calls.slice(before).forEach((c) => c.resolve([]));
    }
    const verdictCalls = core.calls.slice(before).filter((c) => c.channel === 'verdict:get').length;
    expect(verdictCalls).toBeGreaterThanOrEqual(1);
    expect(verdictCalls).toBeLessThanOrEqual(2);
    expect(core.calls.slice(before).some((c) => c.channel === 'audit:list')).toBe(false);
  });

  it('holds event refetches while hidden and runs them once when visible again', async () => {
    const core = fakeCore();
    const qc = new QueryClient(core.call, { clock: manualClock() });
    qc.subscribe('flags:list', {}, ['flags:changed'], () => undefined);
    core.calls[0].resolve([]);
    await flush();
    qc.setHidden(true);
    qc.onEvent('flags:changed');
    qc.onEvent('flags:changed');
    expect(core.calls).toHaveLength(1);
    qc.setHidden(false);
    expect(core.calls).toHaveLength(2);
  });

  it('invalidate refetches watched entries at once and drops unwatched ones', async () => {
    const core = fakeCore();
    const qc = new QueryClient(core.call, { clock: manualClock(), gcMs: 60_000 });
    const off = qc.subscribe('audit:list', { limit: 5 }, [], () => undefined);
    qc.subscribe('flags:history', { from: 0, to: 1 }, [], () => undefined);
    core.calls.forEach((c) => c.resolve([]));
    await flush();
    off();
    expect(qc.size()).toBe(2);
    qc.invalidate((ch) => ch === 'audit:list' || ch === 'flags:history');
    expect(qc.size()).toBe(1); // the unwatched audit entry is gone
    expect(core.calls.filter((c) => c.channel === 'flags:history')).toHaveLength(2);
  });

  it('keeps the last good data beside an error, and fetches again when a refetch was asked mid-flight', async () => {
    const core = fakeCore();
    const qc = new QueryClient(core.call, { clock: manualClock() });
    const key = qc.keyOf('flags:list', {});
    qc.subscribe('flags:list', {}, [], () => undefined);
    core.calls[0].resolve(['a']);
    await flush();
    qc.refetch(key);
    qc.refetch(key); // while the first refetch is in flight
    expect(core.calls).toHaveLength(2);
    core.calls[1].reject(new RampartError('unreachable', 'Unleash: connection refused'));
    await flush();
    expect(core.calls).toHaveLength(3); // the queued refetch ran after the failed one
    core.calls[2].reject(new RampartError('unreachable', 'Unleash: connection refused'));
    await flush();
    const snap = qc.snapshot(key);
    expect(snap.status).toBe('error');
    expect(snap.error?.code).toBe('unreachable');
    expect(snap.data).toEqual(['a']);
  });

  it('forgets an entry nobody watches after the GC delay', async () => {
    const core = fakeCore();
    const clock = manualClock();
    const qc = new QueryClient(core.call, { clock, gcMs: 30_000 });
    const off = qc.subscribe('flags:list', {}, [], () => undefined);
    core.calls[0].resolve([]);
    await flush();
    off();
    clock.advance(29_000);
    expect(qc.size()).toBe(1);
    clock.advance(2_000);
    expect(qc.size()).toBe(0);
  });

  it('a confirmed write patched in shows at once; an answer already in flight is older and never shown over it', async () => {
    const core = fakeCore();
    const qc = new QueryClient(core.call, { clock: manualClock() });
    const key = qc.keyOf('flags:list', {});
    qc.subscribe('flags:list', {}, ['flags:changed'], () => undefined);
    core.calls[0].resolve([{ flagKey: 'f', exposure: 25 }]);
    await flush();
    qc.onEvent('flags:changed'); // a refetch goes out before the user's write is confirmed …
    await flush();
    expect(core.calls).toHaveLength(2);
    qc.patch(
      (ch) => ch === 'flags:list',
      (rows) => (rows as { flagKey: string; exposure: number }[]).map((r) => ({ ...r, exposure: 50 })),
    );
    expect(qc.snapshot(key).data).toEqual([{ flagKey: 'f', exposure: 50 }]); // at once, before any answer
    qc.invalidate((ch) => ch === 'flags:list'); // … and the write's own refetch is queued behind it
    core.calls[1].resolve([{ flagKey: 'f', exposure: 25 }]); // the old answer arrives
    await flush();
    expect(qc.snapshot(key).data).toEqual([{ flagKey: 'f', exposure: 50 }]);
    expect(core.calls).toHaveLength(3);
    core.calls[2].resolve([{ flagKey: 'f', exposure: 50, fresh: true }]);
    await flush();
    expect(qc.snapshot(key).data).toEqual([{ flagKey: 'f', exposure: 50, fresh: true }]);
  });
});
