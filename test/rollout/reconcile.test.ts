import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createRolloutService } from '../../main/rollout/rollout-service';
import { openStore } from '../../main/store';
import { createAuditLog, type AuditHead } from '../../main/store/audit-log';
import { createProcessRegistry } from '../../main/store/process-registry';
import { createEventBus } from '../../main/core/event-bus';
import { RampartError } from '../../shared/errors';
import { scriptedStore } from './scripted-store';

/**
 * Reconcile settles intents whose owner is gone, against the INTENT's target and what was seen since — never the
 * intents of a live owner. Owners here are registry rows in the same database: a "dead" one (ended, or a pid that
 * does not exist with a stale heartbeat) and this process (alive).
 */
function setup(exposure = 25, ownGraceMs?: number) {
  const mem = scriptedStore({ enabled: true, exposure, treatment: 'on', control: 'off' });
  const store = openStore(':memory:');
  const service = createRolloutService({
    flagStore: () => mem.store,
    audit: store.audit,
    changes: store.changes,
    processes: store.processes,
    bus: createEventBus(),
    user: () => 'reconciler',
    settleDelaysMs: [],
    ownGraceMs,
  });
  /** An audit log written by another process, which then dies (a clean end, or a pid that is gone). */
  const deadWriter = () => {
    const reg = createProcessRegistry(store.db, { pid: 2 ** 22 + 4321, host: hostname(), heartbeatMs: 50 });
    reg.end();
    return createAuditLog(store.db, { owner: reg.self });
  };
  return { mem, store, service, deadWriter };
}

const head = (from: number, to: number): AuditHead => ({
  user: 'bob',
  door: 'cli',
  connectionId: 'mem',
  flagKey: 'checkout-v2',
  env: 'production',
  action: 'ramp',
  from: { enabled: true, exposure: from },
  to: { enabled: true, exposure: to },
  comment: 'killed mid-ramp',
});

describe('reconcile from another door', () => {
  it('compares with what each intent wrote: landed → reconciled-done, never applied → reconciled-failed', async () => {
    const { store, service, deadWriter } = setup(25);
    const dead = deadWriter();
    const landed = dead.intent(head(5, 25));
    const lost = dead.intent(head(25, 50)); // killed before its write: the store still shows 25
    expect(service.hasOrphans()).toBe(true);
    await service.reconcile();
    expect(store.audit.get(landed.actionId)).toMatchObject({
      result: 'reconciled-done',
      detail: { evidence: 'the store shows on at 25%' },
    });
    expect(store.audit.get(lost.actionId)).toMatchObject({
      result: 'reconciled-failed',
      error: expect.stringMatching(/^not applied/),
    });
    expect(store.audit.get(lost.actionId)?.trail).toEqual([
      expect.objectContaining({ by: 'reconcile', result: 'reconciled-failed' }),
    ]);
    expect(service.hasOrphans()).toBe(false);
  });

  it('marks superseded a write that landed and was moved by a later change, using what later actions read', async () => {
    const { store, service, deadWriter } = setup(40);
    const dead = deadWriter();
    const a = dead.intent(head(5, 25)); // landed: the next action read 25
    const b = dead.intent(head(25, 40)); // landed: the store shows 40
    await service.reconcile();
    expect(store.audit.get(a.actionId)).toMatchObject({
      result: 'superseded',
      detail: { evidence: expect.stringMatching(/landed .*read by action/) },
    });
    expect(store.audit.get(b.actionId)?.result).toBe('reconciled-done');
  });

  it('does not take a later write of the same value for this one: the window ends at the next move to that target', async () => {
    const { store, service, deadWriter } = setup(25);
    const dead = deadWriter();
    const a = dead.intent(head(5, 25)); // killed before writing: the next action still read 5
    const b = dead.intent(head(5, 30));
    const c = dead.intent(head(30, 25));
    await service.reconcile();
    expect([a, b, c].map((x) => store.audit.get(x.actionId)?.result)).toEqual([
      'reconciled-failed',
      'superseded',
      'reconciled-done',
    ]);
  });

  it('weighs the vendor history: a write nobody else observed that landed and was moved later is superseded', async () => {
    const { mem, store, service, deadWriter } = setup(40);
    const a = deadWriter().intent(head(5, 25));
    mem.history.push(
      {
        id: 'v:1',
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        at: a.at + 10,
        kind: 'exposure',
        from: { exposure: 5 },
        to: { exposure: 25 },
        label: 'rollout 5% → 25%',
        source: 'vendor',
      },
      {
        id: 'v:2',
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        at: a.at + 20,
        kind: 'exposure',
        from: { exposure: 25 },
        to: { exposure: 40 },
        label: 'rollout 25% → 40%',
        source: 'vendor',
      },
    );
    await service.reconcile();
    expect(store.audit.get(a.actionId)).toMatchObject({
      result: 'superseded',
      detail: { evidence: expect.stringMatching(/vendor history/) },
    });
  });

  it('settles an orphaned rollback by the store treatment reach', async () => {
    const { store, service, deadWriter } = setup(0);
    const r = deadWriter().intent({
      ...head(25, 0),
      action: 'rollback',
      from: { enabled: null, exposure: null },
      to: { enabled: null, exposure: 0 },
    });
    await service.reconcile();
    expect(store.audit.get(r.actionId)).toMatchObject({
      result: 'reconciled-done',
      detail: { reach: { state: 'none' } },
    });
  });

  it('an orphaned rollback the store never shows: failed, said without a double negative', async () => {
    const { store, service, deadWriter } = setup(25);
    const r = deadWriter().intent({
      ...head(25, 0),
      action: 'rollback',
      from: { enabled: null, exposure: null },
      to: { enabled: null, exposure: 0 },
    });
    await service.reconcile();
    const row = store.audit.get(r.actionId);
    expect(row?.result).toBe('reconciled-failed');
    const evidence = (row?.detail as { evidence?: string } | null)?.evidence ?? '';
    expect(evidence).toMatch(/^not applied: the store shows .*25%.* and the control for everyone was never seen/);
    expect(evidence).not.toMatch(/no treatment was never/);
  });

  it("keeps a dead owner's timed-out write unknown while a slow vendor could still apply it", async () => {
    for (const [grace, expected] of [
      [60_000, 'unknown'],
      [0, 'reconciled-failed'],
    ] as const) {
      const { store, service, deadWriter } = setup(25, grace);
      const dead = deadWriter();
      const a = dead.intent(head(25, 50));
      dead.result(a.actionId, 'unknown', 'outcome unknown: the write timed out');
      await service.reconcile();
      expect(store.audit.get(a.actionId)?.result).toBe(expected);
    }
  });

  it('never touches the intent of a live owner, and leaves intents pending while the store is unreachable', async () => {
    const { mem, store, service, deadWriter } = setup(25);
    const mine = store.audit.intent(head(5, 25)); // this process: alive, its write may be in flight
    const orphan = deadWriter().intent(head(5, 25));
    mem.script.readError = new RampartError('unreachable', 'down');
    await service.reconcile();
    expect(store.audit.get(orphan.actionId)?.result).toBe('pending');
    mem.script.readError = null;
    await service.reconcile();
    expect(store.audit.get(orphan.actionId)?.result).not.toBe('pending');
    expect(store.audit.get(mine.actionId)?.result).toBe('pending');
    // The owner finishes later: no constraint stops it.
    expect(() => store.audit.result(mine.actionId, 'done')).not.toThrow();
  });
});
