import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/host/cli';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../../support/vendor-servers/fake-launchdarkly';

/**
 * Exit 2 is "fix the command" (README): a typo, an unknown flag, a file Rampart will not read. A store that answers
 * HTTP 400 to the write Rampart built is a failed action (exit 1) — a CI gate must not read a refused rollback as a
 * typo in its own script.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
let ld: FakeLaunchDarkly | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await ld?.stop();
  ld = undefined;
});

function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rampart-cli-exit-'));
  dirs.push(d);
  return d;
}

async function run(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withLaunchDarkly(): Promise<{ fake: FakeLaunchDarkly; dataDir: string }> {
  ld = await startFakeLaunchDarkly();
  vi.stubEnv('RAMPART_TEST_LD_EXIT_TOKEN', ld.token);
  const dataDir = freshDir();
  const added = await run(
    dataDir,
    ...['connections', 'add', '--kind', 'launchdarkly', '--name', 'ld', '--id', 'ld', '--url', ld.url],
    ...['--project', 'default', '--token-env', 'RAMPART_TEST_LD_EXIT_TOKEN'],
  );
  expect(added.code, added.err).toBe(0);
  return { fake: ld, dataDir };
}

const rollback = (flag: string) =>
  ['rollback', flag, '--env', 'production', '--comment', 'errors up', '--connection', 'ld'] as const;

describe('CLI exit codes', () => {
  it('a vendor answering 400 to the rollback: exit 1 with the vendor named, not 2', async () => {
    const { fake, dataDir } = await withLaunchDarkly();
    fake.inject({
      method: 'PATCH',
      fault: { kind: 'status', status: 400, body: { code: 'invalid_request', message: 'bad patch' } },
    });
    const r = await run(dataDir, ...rollback('new-checkout'));
    expect(r.err).toMatch(/LaunchDarkly: .*HTTP 400/);
    expect(r.code, r.err).toBe(1);
  });

  it('an unknown flag is still bad input: exit 2', async () => {
    const { dataDir } = await withLaunchDarkly();
    const r = await run(dataDir, ...rollback('no-such-flag'));
    expect(r.err).toMatch(/no-such-flag/);
    expect(r.code, r.err).toBe(2);
  });

  it('a flagd file too large to read is refused like a FIFO or a directory: exit 2', async () => {
    const dataDir = freshDir();
    const big = join(dataDir, 'big.json');
    writeFileSync(big, Buffer.alloc(9 * 1024 * 1024, 0x20));
    const r = await run(dataDir, 'connections', 'add', '--kind', 'flagd', '--name', 'big', '--file', big);
    expect(r.err).toMatch(/is larger than 8\.0 MiB \(9\.0 MiB\)/);
    expect(r.code, r.err).toBe(2);
  });
});
