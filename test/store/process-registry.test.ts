import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { createProcessRegistry, osProbe, type OwnerProbe } from '../../main/store/process-registry';

/** A probe whose answers the test decides: which pids are alive, and their start tokens. */
function probe(alive: Record<number, string | null>): OwnerProbe {
  return { pidAlive: (pid) => pid in alive, startToken: (pid) => alive[pid] ?? null };
}

describe('process registry', () => {
  it('calls an owner gone only when its heartbeat is stale AND its pid is dead or reused', () => {
    const db = openDatabase(':memory:');
    let now = 1_000_000;
    const clock = () => now;
    const alive: Record<number, string | null> = { 4242: 'tok-a' };
    const owner = createProcessRegistry(db, {
      now: clock,
      heartbeatMs: 1000,
      pid: 4242,
      host: 'here',
      probe: probe(alive),
    });
    // The owner's start token is recorded at registration; simulate it for the pid the test chose.
    db.prepare('UPDATE processes SET start_token = ? WHERE id = ?').run('tok-a', owner.self.id);
    const other = createProcessRegistry(db, {
      now: clock,
      heartbeatMs: 1000,
      pid: 7,
      host: 'here',
      probe: probe(alive),
    });

    expect(other.isGone(owner.self)).toBe(false); // fresh heartbeat
    now += 10_000; // stale, but the pid is alive with the same start token: a busy owner, never raced
    expect(other.isGone(owner.self)).toBe(false);
    alive[4242] = 'tok-b'; // the pid now belongs to another process
    expect(other.isGone(owner.self)).toBe(true);
    alive[4242] = 'tok-a';
    owner.heartbeat(); // alive again: fresh beat
    delete alive[4242];
    expect(other.isGone(owner.self)).toBe(false); // dead pid but fresh heartbeat: wait for the beats to stop
    now += 3_500;
    expect(other.isGone(owner.self)).toBe(true);
    db.close();
  });

  it('a clean close ends the owner at once; another host needs a much older heartbeat; schema-1 owners are gone', () => {
    const db = openDatabase(':memory:');
    let now = 5_000_000;
    const clock = () => now;
    const a = createProcessRegistry(db, {
      now: clock,
      heartbeatMs: 1000,
      pid: 11,
      host: 'here',
      probe: probe({ 11: null }),
    });
    const b = createProcessRegistry(db, {
      now: clock,
      heartbeatMs: 1000,
      pid: 12,
      host: 'elsewhere',
      probe: probe({}),
    });
    const me = createProcessRegistry(db, {
      now: clock,
      heartbeatMs: 1000,
      pid: 13,
      host: 'here',
      probe: probe({ 11: null }),
    });
    expect(me.isGone(a.self)).toBe(false);
    a.end();
    expect(me.isGone(a.self)).toBe(true);
    now += 5_000;
    expect(me.isGone(b.self)).toBe(false); // pid cannot be checked on another host
    now += 10_000;
    expect(me.isGone(b.self)).toBe(true);
    expect(me.isGone(null)).toBe(true);
    expect(me.isGone(me.self)).toBe(false);
    db.close();
  });

  it('reads a real start token for this process, and a dead pid as dead', () => {
    expect(osProbe.pidAlive(process.pid)).toBe(true);
    if (process.platform === 'linux') expect(osProbe.startToken(process.pid)).toMatch(/^\d+$/);
    expect(osProbe.pidAlive(2 ** 22 + 12345)).toBe(false);
  });
});
