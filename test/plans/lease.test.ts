import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decision, planHarness } from './support/harness';

const STEP = 10_000;
let dir: string;
let a: ReturnType<typeof planHarness>;
let b: ReturnType<typeof planHarness>;
afterEach(() => {
  a?.close();
  b?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one runner drives a plan', () => {
  it('two runners on one data dir (two database connections): one drives, the other takes over only after the lease expires', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-lease-'));
    const file = join(dir, 'rampart.db');
    a = planHarness({ dbFile: file, exposure: 0 });
    // The same flag store for both: B reads and writes A's flag (one vendor, two Rampart processes).
    b = planHarness({ dbFile: file, flag: a.flag });
    b.writes.length = 0;
    const p = await a.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [1, 2, 3, 4, 5, 6, 100].map((exposure) => ({ exposure })), bakeMs: 0 },
        comment: 'go',
      },
      a.person,
    );
    const allWrites = () => [...a.writes, ...b.writes].filter((w) => w.endsWith('plan'));
    for (let i = 1; i <= 3; i++) {
      for (const h of [a, b]) {
        h.clock.now = a.clock.now + (h === a ? STEP : 0);
        h.decide(decision(h.clock.now, 'advance'));
      }
      await Promise.all([a.runner.tick(), b.runner.tick()]);
    }
    expect(allWrites()).toEqual(['ramp 2 plan', 'ramp 3 plan', 'ramp 4 plan']);
    expect(b.writes).toEqual([]); // A took the lease first and renewed it every tick
    expect(a.deps.leases.of(p.id).owner).toBe(a.runner.owner);

    // A dies without handing the lease back (SIGKILL): B waits for the expiry, then drives.
    const lease = a.deps.leases.of(p.id);
    b.clock.now = lease.expiresAt! - 1_000;
    b.decide(decision(b.clock.now, 'advance'));
    await b.runner.tick();
    expect(b.writes).toEqual([]);
    b.clock.now = lease.expiresAt! + 1_000;
    b.decide(decision(b.clock.now, 'advance'));
    await b.runner.tick();
    expect(b.writes).toEqual(['ramp 5 plan']);
    expect(b.deps.leases.of(p.id).owner).toBe(b.runner.owner);

    // A wakes up (a laptop opened): its stale view must not step again.
    a.clock.now = b.clock.now + 1_000;
    a.decide(decision(a.clock.now, 'advance'));
    await a.runner.tick();
    expect(allWrites()).toEqual(['ramp 2 plan', 'ramp 3 plan', 'ramp 4 plan', 'ramp 5 plan']);
  });

  it('a stopped runner hands its leases back at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-lease-'));
    a = planHarness({ dbFile: join(dir, 'rampart.db'), exposure: 0 });
    const p = await a.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [{ exposure: 5 }, { exposure: 100 }] },
        comment: 'go',
      },
      a.person,
    );
    a.decide(decision(a.clock.now + STEP, 'hold'));
    await a.runner.tick();
    expect(a.deps.leases.of(p.id).owner).toBe(a.runner.owner);
    a.runner.stop();
    expect(a.deps.leases.of(p.id).owner).toBeNull();
  });
});
