import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store';
import { createAuditLog } from '../../main/store/audit-log';
import { createProcessRegistry } from '../../main/store/process-registry';
import { Connection } from '../../shared/domain/connections';
import { bundleCli, runCli } from './support/cli-bundle';

/**
 * A CLI command beside a store that never answers. Every door settles intents left by processes that are gone; the
 * sweep gives each store read a budget (5 s, settle.ts) and moves on, but the abandoned reads went on retrying for
 * their own timeouts (4 attempts of 10 s), and the process waited for them: any command — `audit list`, a ramp on
 * a healthy flagd file — took ~31 s to exit. It now exits once the command is done and its output is flushed,
 * after the sweep's budget and long before the abandoned reads' own timeouts: a 25 s watchdog kills the old one.
 */
let work: string;
let cli: string;
let hanging: Server;
let url = '';
/** Requests the hanging server received (it never answers one). */
let received = 0;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rampart-cli-exit-'));
  cli = bundleCli(work);
  hanging = createServer(() => {
    received++;
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise((r) => hanging.close(r));
  rmSync(work, { recursive: true, force: true });
});

describe('a CLI command beside a store that never answers', () => {
  it('prints its answer and exits long before the abandoned reads would time out', async () => {
    const dataDir = join(work, 'data');
    const seed = openStore(dataDir);
    seed.records.connections.save(
      Connection.parse({
        id: 'hang',
        name: 'Hanging Unleash',
        kind: 'unleash',
        url,
        project: 'default',
        tokenEnv: 'RAMPART_HANG_TOKEN',
      }),
    );
    // An intent of a process that ended without a result: every door tries to settle it by reading the flag.
    const dead = createProcessRegistry(seed.db, { pid: 2 ** 22 + 77, host: hostname() });
    dead.end();
    const orphan = createAuditLog(seed.db, { owner: dead.self }).intent({
      user: 'bob',
      door: 'cli',
      connectionId: 'hang',
      flagKey: 'new-checkout',
      env: 'production',
      action: 'rollback',
      from: { enabled: true, exposure: 25 },
      to: { enabled: true, exposure: 0 },
      comment: 'killed mid-rollback',
    });
    seed.close();

    const run = await runCli(cli, ['audit', 'list', '--json', '--data-dir', dataDir], {
      env: { RAMPART_HANG_TOKEN: 'hang-token-0123456789' },
      timeoutMs: 25_000, // the watchdog: past this the old behaviour (~31 s) is reported as a kill, not a pass
    });
    expect(run.signal, 'the command was still running when the watchdog killed it').toBeNull();
    expect(run.code, run.stderr).toBe(0);
    // The sweep did read the hanging store and was never answered; its reads, retried for 4 × 10 s, no longer hold
    // the process. (Whether their sockets are still open when the child's exit is seen races with its teardown, so
    // the test counts requests, not open sockets.)
    expect(received, 'the start-up sweep never read the hanging store').toBeGreaterThan(0);
    const entries = JSON.parse(run.stdout) as { actionId: string; result: string }[];
    // Nothing could be read: the orphan stays as it was, for the next door.
    expect(entries.find((e) => e.actionId === orphan.actionId)?.result).toBe('pending');
  }, 60_000);
});
