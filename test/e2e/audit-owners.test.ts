import { hostname } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store';
import { createAuditLog } from '../../main/store/audit-log';
import { createProcessRegistry } from '../../main/store/process-registry';
import { Connection } from '../../shared/domain/connections';
import type { AuditEntry } from '../../shared/domain/audit';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../support/vendor-servers/fake-launchdarkly';
import { bundleCli, runCli } from './support/cli-bundle';

/**
 * Two processes on one data dir (issue 9: "a start-up reconcile marks another live process's in-flight write as
 * failed; that process then dies on UNIQUE constraint"). A live owner — a real `rampart rollback` whose write the
 * vendor holds for a few seconds — and another door opening the same data dir meanwhile (`rampart audit list`,
 * which reconciles on open). The other door settles an orphan of a dead process, leaves the live owner's intent
 * alone, and the owner finishes cleanly with its own result.
 */
let work: string;
let cli: string;
let fake: FakeLaunchDarkly;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rampart-owners-'));
  cli = bundleCli(work);
  fake = await startFakeLaunchDarkly();
});
afterAll(async () => {
  await fake.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a live owner and a reconciling door', () => {
  it('never touches the live owner’s in-flight intent, settles the dead one’s, and nobody crashes', async () => {
    const dataDir = join(work, 'data');
    const env = { RAMPART_LD_TOKEN: fake.token, RAMPART_HEARTBEAT_MS: '200' };
    const seed = openStore(dataDir);
    seed.records.connections.save(
      Connection.parse({
        id: 'ld',
        name: 'LaunchDarkly',
        kind: 'launchdarkly',
        url: fake.url,
        project: 'default',
        tokenEnv: 'RAMPART_LD_TOKEN',
      }),
    );
    // An orphan: an intent of a process that ended without a result (its ramp to 5 % did land: LD shows 5 %).
    const dead = createProcessRegistry(seed.db, { pid: 2 ** 22 + 99, host: hostname() });
    dead.end();
    const orphan = createAuditLog(seed.db, { owner: dead.self }).intent({
      user: 'bob',
      door: 'cli',
      connectionId: 'ld',
      flagKey: 'new-checkout',
      env: 'production',
      action: 'ramp',
      from: { enabled: true, exposure: 1 },
      to: { enabled: true, exposure: 5 },
      comment: 'killed mid-ramp',
    });
    seed.close();

    fake.inject({ method: 'PATCH', fault: { kind: 'delay', ms: 3_000 } });
    const owner = runCli(
      cli,
      [
        'rollback',
        'new-checkout',
        '--env',
        'production',
        '--comment',
        'owner in flight',
        '--connection',
        'ld',
        '--json',
        '--data-dir',
        dataDir,
      ],
      { env },
    );
    const db = new Database(join(dataDir, 'rampart.db'), { readonly: true });
    const ownerIntent = db.prepare(
      "SELECT action_id FROM audit_log WHERE phase = 'intent' AND comment = 'owner in flight'",
    );
    let inFlight: { action_id: string } | undefined;
    for (let i = 0; i < 1_000 && !inFlight; i++) {
      inFlight = ownerIntent.get() as { action_id: string } | undefined;
      if (!inFlight) await new Promise((r) => setTimeout(r, 10));
    }
    db.close();
    expect(inFlight, 'the owner never wrote its intent').toBeDefined();
    expect(fake.writes()).toHaveLength(0); // its write is still held by the vendor

    const door = await runCli(cli, ['audit', 'list', '--json', '--data-dir', dataDir], { env });
    expect(door.code, door.stderr).toBe(0);
    const seen = new Map((JSON.parse(door.stdout) as AuditEntry[]).map((e) => [e.actionId, e]));
    expect(seen.get(orphan.actionId)).toMatchObject({ result: 'reconciled-done', trail: [{ by: 'reconcile' }] });
    expect(seen.get(inFlight?.action_id ?? '')).toMatchObject({ result: 'pending', trail: [] });

    const done = await owner;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/UNIQUE|constraint/i);
    expect(JSON.parse(done.stdout)).toMatchObject({ reach: { state: 'none' } });
    const after = openStore(dataDir);
    try {
      expect(after.audit.get(inFlight?.action_id ?? '')).toMatchObject({
        result: 'done',
        door: 'cli',
        trail: [{ result: 'done', by: 'owner' }],
      });
      expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      after.close();
    }
  }, 60_000);
});
