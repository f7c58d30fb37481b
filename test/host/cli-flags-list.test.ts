import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/host/cli';
import { ERROR_CODES } from '../../shared/errors';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../support/vendor-servers/fake-launchdarkly';

/**
 * `rampart flags list` without --connection over a healthy connection and two that cannot be read (a flag file
 * that is no longer JSON; a LaunchDarkly token that is refused): the healthy flags are listed, every failing
 * connection is named with its code and message (text: under the table; --json: on stderr, the row array on stdout
 * unchanged), and the exit code is 1 — the same rule for both outputs. All connections readable: exit 0, nothing
 * on stderr.
 */
const work = mkdtempSync(path.join(tmpdir(), 'rampart-flags-list-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let ld: FakeLaunchDarkly | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await ld?.stop();
  ld = undefined;
});

const flagFile = JSON.stringify({
  flags: { healthy: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' } },
});

async function run(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A data dir with a good flagd file, a flagd file broken after saving, and a LaunchDarkly with a wrong token. */
async function workspace() {
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const good = path.join(dataDir, 'good.json');
  const broken = path.join(dataDir, 'broken.json');
  writeFileSync(good, flagFile);
  writeFileSync(broken, flagFile);
  for (const [name, file] of [
    ['good', good],
    ['broken', broken],
  ]) {
    const added = await run(dataDir, 'connections', 'add', '--kind', 'flagd', '--name', name, '--file', file);
    expect(added.code, added.err).toBe(0);
  }
  ld = await startFakeLaunchDarkly();
  vi.stubEnv('RAMPART_LIST_TEST_LD', 'api-not-the-right-token');
  const added = await run(
    dataDir,
    ...['connections', 'add', '--kind', 'launchdarkly', '--name', 'LD', '--id', 'ld', '--url', ld.url],
    ...['--project', 'default', '--token-env', 'RAMPART_LIST_TEST_LD'],
  );
  expect(added.code, added.err).toBe(0);
  return { dataDir, broken };
}

describe('rampart flags list over every connection', () => {
  it('--json: the rows on stdout, each failing connection as {connectionId, code, message} on stderr, exit 1', async () => {
    const { dataDir, broken } = await workspace();
    writeFileSync(broken, '{ "flags": ');
    const r = await run(dataDir, 'flags', 'list', '--json');
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.out) as { connectionId: string; flagKey: string }[];
    expect(rows.some((row) => row.connectionId === 'good' && row.flagKey === 'healthy')).toBe(true);
    expect(rows.some((row) => row.connectionId !== 'good' && row.connectionId !== 'demo-flags')).toBe(false);
    const { errors } = JSON.parse(r.err) as { errors: { connectionId: string; code: string; message: string }[] };
    expect(errors.map((e) => e.connectionId).sort()).toEqual(['broken', 'ld']);
    for (const e of errors) {
      expect(Object.keys(e).sort()).toEqual(['code', 'connectionId', 'message']);
      expect(ERROR_CODES).toContain(e.code);
    }
    expect(errors.find((e) => e.connectionId === 'broken')?.message).toContain(`flagd file ${broken}: not valid JSON`);
    expect(errors.find((e) => e.connectionId === 'ld')?.code).toBe('unauthorized');
    expect(r.err).not.toContain('api-not-the-right-token');
  });

  it('text: the same failing connections named under the table, and the same exit code', async () => {
    const { dataDir, broken } = await workspace();
    writeFileSync(broken, '{ "flags": ');
    const r = await run(dataDir, 'flags', 'list');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\bhealthy\b/);
    expect(r.out).toContain(`not listed: broken (broken): flagd file ${broken}: not valid JSON`);
    expect(r.out).toMatch(/not listed: LD \(ld\): /);
  });

  it('a store with last-known rows that does not answer now is a failed connection too, even when --search hides them', async () => {
    const { dataDir, broken } = await workspace();
    await run(dataDir, 'connections', 'remove', 'ld');
    expect((await run(dataDir, 'flags', 'list')).code).toBe(0); // read once: its rows are now last known
    writeFileSync(broken, '{ "flags": ');
    for (const search of ['healthy', 'zzz-nothing-matches']) {
      const r = await run(dataDir, 'flags', 'list', '--json', '--search', search);
      expect(r.code, `--search ${search}`).toBe(1);
      const { errors } = JSON.parse(r.err) as { errors: { connectionId: string; code: string; message: string }[] };
      expect(errors.map((e) => `${e.connectionId} ${e.code}`)).toEqual(['broken vendor_error']);
      expect(errors[0].message).toMatch(/not valid JSON .*its rows are the last known/);
    }
    const text = await run(dataDir, 'flags', 'list');
    expect(text.out).toMatch(/broken \(stale: vendor_error, read \d+s ago\)/);
    expect(text.out).toMatch(/not answering: broken \(broken\): flagd file .* not valid JSON/);
  });

  it('every connection readable: exit 0 and nothing on stderr, in both outputs', async () => {
    const { dataDir } = await workspace();
    await run(dataDir, 'connections', 'remove', 'ld');
    for (const json of [[], ['--json']]) {
      const r = await run(dataDir, 'flags', 'list', ...json);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toBe('');
    }
  });
});
