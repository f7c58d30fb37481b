import { describe, expect, it } from 'vitest';
import { createRolloutService, type RolloutDeps } from '../../main/rollout/rollout-service';
import { openStore } from '../../main/store';
import { createEventBus } from '../../main/core/event-bus';
import { RampartError } from '../../shared/errors';
import type { EnvState } from '../../shared/domain/flags';
import { rejection } from '../support/rejection';
import { scriptedStore } from './scripted-store';

function setup(initial: Partial<EnvState> = {}, extra: Partial<RolloutDeps> & { step?: number } = {}) {
  const mem = scriptedStore({ enabled: true, exposure: 5, treatment: 'on', control: 'off', ...initial }, extra.step);
  const store = openStore(':memory:');
  const bus = createEventBus();
  const events: string[] = [];
  bus.subscribe((name) => events.push(name));
  const service = createRolloutService({
    flagStore: () => mem.store,
    audit: store.audit,
    changes: store.changes,
    processes: store.processes,
    bus,
    user: () => 'alice',
    settleDelaysMs: [],
    ownGraceMs: 0,
    ...extra,
  });
  const last = () => store.audit.list({ limit: 1 })[0];
  return { mem, store, service, events, last };
}

const ramp = {
  connectionId: 'mem',
  flagKey: 'checkout-v2',
  env: 'production',
  comment: 'p99 flat for 30 min',
  override: false,
  door: 'http' as const,
};
const rollback = {
  connectionId: 'mem',
  flagKey: 'checkout-v2',
  env: 'production',
  comment: 'errors up',
  door: 'cli' as const,
};

describe('ramp: one read, one owner per rule', () => {
  it('reads once, writes, reads back once, and audits who, through which door, and what', async () => {
    const { mem, service, events, last, store } = setup();
    const res = await service.ramp({ ...ramp, to: 25, expected: 5 });
    expect(res.readBack).toEqual({ enabled: true, exposure: 25 });
    expect(res.change.label).toBe('rollout 5% → 25%');
    expect(mem.log.filter((l) => l.startsWith('write'))).toEqual(['write exposure 25']);
    expect(mem.reads).toBe(2); // the live read and the read-back
    expect(last()).toMatchObject({
      action: 'ramp',
      result: 'done',
      user: 'alice',
      door: 'http',
      owner: store.processes.self,
      from: { exposure: 5 },
      to: { exposure: 25 },
    });
    expect(last().detail).toMatchObject({ readBack: { enabled: true, exposure: 25 }, readAt: expect.any(Number) });
    expect(events).toEqual(['audit:appended', 'audit:appended', 'flags:changed']);
  });

  it('rounds to the store step and refuses what is out of range, auditing the refusal', async () => {
    const { mem, service, last } = setup({ exposure: 0.5 }, { step: 0.001 });
    const res = await service.ramp({ ...ramp, to: 30.1254999, expected: 0.5 });
    expect(mem.log.filter((l) => l.startsWith('write'))).toEqual(['write exposure 30.125']);
    expect(res.readBack.exposure).toBe(30.125);
    expect(last().detail).toMatchObject({ requested: 30.1254999 });
    const e = await rejection(service.ramp({ ...ramp, to: 150, expected: 30.125 }));
    expect(e).toMatchObject({
      code: 'bad_request',
      message: 'The target exposure must be a percentage from 0 to 100, not 150',
    });
    expect(last()).toMatchObject({
      result: 'refused',
      reason: e.message,
      to: { exposure: null },
      detail: { requested: '150' },
    });
  });

  it('refuses when the flag moved since the user looked, writes nothing, and audits the refusal with the live state', async () => {
    const { mem, service, last } = setup({ exposure: 50 });
    const e = await rejection(service.ramp({ ...ramp, to: 25, expected: 5 }));
    expect(e).toMatchObject({ code: 'conflict', details: { live: { exposure: 50 } } });
    expect(e.message).toMatch(/now on at 50%, not 5%/);
    expect(mem.log.some((l) => l.startsWith('write'))).toBe(false);
    expect(last()).toMatchObject({
      result: 'refused',
      reason: e.message,
      from: { exposure: 50 },
      detail: { code: 'conflict' },
    });
  });

  it('audits a blocked ramp with the guard reason, says it once, and audits the override', async () => {
    const { service, last } = setup(
      {},
      {
        rampGuard: async () => ({
          ok: false,
          reason: 'the metrics have no usable data (provider down)',
          detail: { verdict: 'inconclusive' },
        }),
      },
    );
    const e = await rejection(service.ramp({ ...ramp, to: 25, expected: 5 }));
    expect(e.code).toBe('blocked');
    expect(e.details).toEqual({ refusal: 'metrics_guard' }); // what the override button reads, not the message
    expect(e.message).toBe(
      'The metrics guard refused this ramp: the metrics have no usable data (provider down). Ramp anyway with an explicit override (it is audited).',
    );
    expect(e.message.match(/blocked|refused/gi)).toHaveLength(1);
    expect(last()).toMatchObject({
      result: 'refused',
      reason: e.message,
      detail: {
        guard: {
          ok: false,
          reason: 'the metrics have no usable data (provider down)',
          decision: { verdict: 'inconclusive' },
        },
      },
    });
    await service.ramp({ ...ramp, to: 25, expected: 5, override: true });
    // The override is audited with what it overrode.
    expect(last()).toMatchObject({
      override: true,
      result: 'done',
      detail: { guard: { ok: false, overridden: true, decision: { verdict: 'inconclusive' } } },
    });
  });

  it('records a write the store refused before applying as failed, never as done', async () => {
    const { mem, service, last, store } = setup();
    mem.script.refuse = new RampartError('unauthorized', 'Unleash: bad or insufficient token (HTTP 403 on PATCH …)');
    await expect(service.ramp({ ...ramp, to: 25, expected: 5 })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(last()).toMatchObject({ result: 'failed', error: expect.stringContaining('403') });
    expect(store.changes.list({ from: 0, to: Date.now() + 1 })).toEqual([]);
  });

  it('settles a timed-out write by reading back: applied means done', async () => {
    const { mem, service, last } = setup();
    mem.script.applyThenThrow = new RampartError('timeout', 'Unleash: timed out after 15000 ms');
    const res = await service.ramp({ ...ramp, to: 25, expected: 5 });
    expect(res.readBack.exposure).toBe(25);
    expect(last().result).toBe('done');
  });

  it('keeps a timed-out write that lands later as unknown, then settles it done — never failed', async () => {
    const { mem, service, last } = setup();
    mem.script.landLater = { error: new RampartError('timeout', 'Unleash: timed out after 15000 ms'), landAfterMs: 60 };
    const e = await rejection(service.ramp({ ...ramp, to: 25, expected: 5 }));
    expect(e.message).toMatch(/^outcome unknown: the write did not answer cleanly \(Unleash: timed out/);
    expect(last().result).toBe('unknown');
    await new Promise((r) => setTimeout(r, 100));
    await service.reconcile();
    expect(last()).toMatchObject({
      result: 'done',
      trail: [
        { result: 'unknown', by: 'owner' },
        { result: 'done', by: 'owner' },
      ],
    });
    expect(last().trail.some((t) => t.result === 'failed')).toBe(false);
  });

  it('keeps a write the vendor applied just before dying as unknown (not failed), and settles it when it is back', async () => {
    const { mem, service, last } = setup();
    mem.script.applyThenThrow = new RampartError('unreachable', 'Unleash: unreachable (PATCH …): ECONNRESET');
    mem.script.dieAfterWrite = new RampartError('unreachable', 'Unleash: unreachable (GET …): ECONNREFUSED');
    await expect(service.ramp({ ...ramp, to: 25, expected: 5 })).rejects.toThrow(/outcome unknown/);
    expect(last().result).toBe('unknown');
    mem.script.readError = null; // the vendor is back
    await service.reconcile();
    expect(last().result).toBe('done');
  });

  it('records failed when the store acknowledges but the read-back disagrees', async () => {
    const { mem, service, last } = setup();
    mem.script.ignore = true;
    await expect(service.ramp({ ...ramp, to: 25, expected: 5 })).rejects.toThrow(/read-back shows on at 5%/);
    expect(last()).toMatchObject({ result: 'failed' });
  });

  it('turns a disabled flag on when ramping above 0, and keeps a concurrent-edit report', async () => {
    const { mem, service, last } = setup({ exposure: 0, enabled: false });
    mem.script.report = {
      concurrentEdit: { at: 1, actor: 'bob', summary: 'bob set rollout 30% 40 ms before Rampart wrote 1%' },
    };
    const res = await service.ramp({ ...ramp, to: 1, expected: 0 });
    expect(mem.log.filter((l) => l.startsWith('write'))).toEqual(['write exposure 1', 'write enabled true']);
    expect(res.change.label).toBe('off → on');
    expect(res.concurrentEdit?.summary).toMatch(/bob set rollout 30%/);
    expect(last().detail).toMatchObject({ concurrentEdit: { actor: 'bob' } });
  });
});

describe('rollback: never lies, never stopped', () => {
  it('goes through store.rollback with the live read, and is confirmed only by a treatment reach of none', async () => {
    const { mem, service, last } = setup(
      { exposure: 25 },
      { rampGuard: async () => ({ ok: false, reason: 'provider down' }) },
    );
    const res = await service.rollback(rollback);
    expect(mem.log.filter((l) => l.startsWith('write'))).toEqual(['write rollback zero']);
    expect(mem.rollbackLive).toMatchObject({ exposure: 25 });
    expect(res.change.label).toBe('rollout 25% → 0%');
    expect(res.reach).toEqual({ state: 'none', detail: 'exposure is 0%' });
    expect(last()).toMatchObject({
      action: 'rollback',
      result: 'done',
      door: 'cli',
      detail: { reach: { state: 'none' } },
    });
  });

  it('is not confirmed when the store still reaches the treatment, nor when it cannot say', async () => {
    const { mem, service, last } = setup({ exposure: 25 });
    mem.script.reach = { state: 'some', share: 20, detail: 'a second fractional rule serves on to 20%' };
    await expect(service.rollback(rollback)).rejects.toThrow(
      /the treatment still reaches units: a second fractional rule/,
    );
    expect(last()).toMatchObject({ result: 'failed', detail: { reach: { state: 'some', share: 20 } } });
    mem.script.reach = { state: 'unknown', detail: 'computed weights' };
    await expect(service.rollback(rollback)).rejects.toThrow(
      /cannot prove that no unit gets the treatment \(computed weights\)/,
    );
    expect(last().result).toBe('unknown');
  });

  it('sends its write without waiting on a slow pre-read, and is confirmed', async () => {
    const { mem, service, last } = setup({ exposure: 25 }, { rollbackPreReadMs: 30 });
    mem.script.readDelays = { 0: 1_000 }; // the pre-read: slower than the whole rollback
    const res = await service.rollback(rollback);
    expect(mem.log.slice(0, 2)).toEqual(['read 0', 'write rollback zero']);
    expect(mem.log.includes('read 0 answered')).toBe(false); // confirmed before the pre-read ever answered
    expect(mem.rollbackLive).toBeNull();
    expect(res.reach?.state).toBe('none');
    expect(last()).toMatchObject({
      result: 'done',
      from: { enabled: null, exposure: null },
      detail: { preRead: expect.stringMatching(/did not wait/) },
    });
  });

  it('sends its write when the pre-read fails, and says so in the audit', async () => {
    const { mem, service, last } = setup({ exposure: 25 });
    mem.script.failReads = [0];
    const res = await service.rollback(rollback);
    expect(mem.rollbackLive).toBeNull();
    expect(res.reach?.state).toBe('none');
    expect(last()).toMatchObject({
      result: 'done',
      detail: { preRead: 'failed (memory: read 0 refused); the write does not depend on it' },
    });
  });

  it('audits a kill switch the store refuses, with its reason', async () => {
    const { mem, service, last } = setup({ exposure: 25 });
    mem.script.refuse = new RampartError(
      'blocked',
      'flagd: the flag is computed by a shared evaluator; edit it by hand',
    );
    await expect(service.rollback(rollback)).rejects.toMatchObject({ code: 'blocked' });
    expect(last()).toMatchObject({
      result: 'refused',
      reason: 'flagd: the flag is computed by a shared evaluator; edit it by hand',
    });
  });
});
