import { describe, expect, it } from 'vitest';
import { createRolloutService } from '../../main/rollout/rollout-service';
import { openStore } from '../../main/store';
import { createEventBus } from '../../main/core/event-bus';
import { RampartError } from '../../shared/errors';
import type { EnvState } from '../../shared/domain/flags';
import { rejection } from '../support/rejection';
import { scriptedStore } from './scripted-store';

/**
 * Issue 9 (F6, F7, refusals) in the rollout service, the one owner of the compare and of the audit: a ramp compares
 * on/off with what the user saw; a rollback is refused before its write only when the store says the flag does not
 * exist, and otherwise writes whatever its pre-read did; a refusal is one audited row with its reason written once.
 */
function setup(initial: Partial<EnvState> = {}) {
  const mem = scriptedStore({ enabled: true, exposure: 10, treatment: 'on', control: 'off', ...initial });
  const store = openStore(':memory:');
  const service = createRolloutService({
    flagStore: () => mem.store,
    audit: store.audit,
    changes: store.changes,
    processes: store.processes,
    bus: createEventBus(),
    user: () => 'alice',
    settleDelaysMs: [],
    ownGraceMs: 0,
    rollbackPreReadMs: 50,
  });
  const last = () => store.audit.list({ limit: 1 })[0];
  return { mem, service, last };
}

const ids = {
  connectionId: 'mem',
  flagKey: 'checkout-v2',
  env: 'production',
  comment: 'as planned',
  door: 'cli' as const,
};

describe('ramp: on/off is part of what the user saw (F6)', () => {
  it('refuses, writing nothing, when the environment was turned off since the user looked', async () => {
    const { mem, service, last } = setup({ enabled: false });
    const e = await rejection(service.ramp({ ...ids, to: 20, expected: 10, expectedEnabled: true, override: false }));
    expect(e).toMatchObject({ code: 'conflict' });
    expect(e.message).toMatch(/changed since you looked: it is now off, not on at 10%/);
    expect(mem.log.filter((l) => l.startsWith('write'))).toEqual([]);
    expect(mem.state.enabled).toBe(false);
    expect(last()).toMatchObject({ result: 'refused', error: null, reason: e.message });
  });

  it('compares nothing when no expectation is given (the CLI without --expected): one read, the write, the read-back', async () => {
    const { mem, service } = setup({ enabled: false });
    const res = await service.ramp({ ...ids, to: 20, override: false });
    expect(res.readBack).toEqual({ enabled: true, exposure: 20 });
    expect(mem.log.filter((l) => /^read \d+$/.test(l))).toHaveLength(2);
  });
});

describe('rollback: the pre-read never holds the write (F7)', () => {
  it('writes when the pre-read answers malformed, and confirms by the read-back', async () => {
    const { mem, service, last } = setup({ exposure: 30 });
    mem.script.failReads = [0];
    mem.script.rollbackBy = 'off';
    await service.rollback(ids);
    expect(mem.log).toContain('write rollback off');
    expect(last()).toMatchObject({ result: 'done' });
    expect(String(last().detail?.preRead)).toMatch(/failed .*the write does not depend on it/);
  });

  it('is refused before writing only when the store says the flag does not exist — audited, reason once', async () => {
    const { mem, service, last } = setup();
    mem.script.readError = new RampartError('not_found', "Flag 'checkout-v2' has no environment 'production'");
    const e = await rejection(service.rollback(ids));
    expect(e).toMatchObject({ code: 'not_found' });
    expect(mem.log.filter((l) => l.startsWith('write'))).toEqual([]);
    expect(last()).toMatchObject({ action: 'rollback', result: 'refused', error: null, reason: e.message });
  });

  it('a write the store refuses (a flag file Rampart will not read) is a refusal with its reason, not a failure', async () => {
    const { mem, service, last } = setup();
    mem.script.refuse = new RampartError('vendor_error', 'flagd file /x.json: invalid at $.flags.weird', {
      file: '/x.json',
    });
    await rejection(service.rollback(ids));
    expect(last()).toMatchObject({ result: 'refused', error: null, reason: expect.stringMatching(/invalid at/) });
  });
});
