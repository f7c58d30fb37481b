/**
 * Child process for test/e2e/audit-sigkill.test.ts: opens the real store on argv[2] and writes audit actions (an
 * intent row, then its result row) as fast as it can until it is killed. After each write RETURNS it prints one
 * line — `I <actionId>` or `R <actionId>` — with a synchronous write to fd 1, so every line the parent reads names
 * a row the store acknowledged. Lines are far below PIPE_BUF, so a kill never leaves half a line in the pipe.
 *
 * Bundled once by the test (esbuild → .cjs) so each of the thousand spawns is plain `node`.
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../../main/store';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: audit-writer <dataDir>\n');
  process.exit(2);
}

const store = openStore(dataDir);
writeSync(1, 'open\n');
for (let n = 0; ; n++) {
  const entry = store.audit.intent({
    user: 'sigkill-test',
    door: 'cli',
    connectionId: 'prod-unleash',
    flagKey: `flag-${n % 7}`,
    env: 'production',
    action: 'ramp',
    from: { enabled: true, exposure: n % 100 },
    to: { enabled: true, exposure: (n + 5) % 100 },
    comment: `ramp step ${n} under test`,
    override: false,
  });
  writeSync(1, `I ${entry.actionId}\n`);
  store.audit.result(
    entry.actionId,
    n % 5 === 0 ? 'failed' : 'done',
    n % 5 === 0 ? 'Unleash: unreachable (test)' : null,
  );
  writeSync(1, `R ${entry.actionId}\n`);
}
