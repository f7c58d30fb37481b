import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/host/cli';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../../support/vendor-servers/fake-launchdarkly';
import { startFakeFlagsmith, type FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { ALICE } from '../../support/vendor-servers/flagsmith-state';
import { dashboard } from '../../flags/flagsmith/helpers';

/**
 * Issue 9, "No silent lost update", end to end through the CLI: a write against a documented-shape vendor server
 * while another writer's change lands between Rampart's read and its write. The write line says "concurrent edit",
 * the audit row carries it (detail and `audit list`), and a write without one says nothing of the kind.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
let ld: FakeLaunchDarkly | undefined;
let fsm: FakeFlagsmith | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await ld?.stop();
  await fsm?.stop();
  ld = undefined;
  fsm = undefined;
});

async function run(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fresh data dir with one connection `id` of `kind` to a fake at `url`, its token in a RAMPART_ variable. */
async function connected(kind: string, id: string, url: string, project: string, token: string) {
  const variable = `RAMPART_TEST_${id.toUpperCase()}_TOKEN`;
  vi.stubEnv(variable, token);
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-cli-edits-'));
  dirs.push(dataDir);
  const added = await run(
    dataDir,
    ...['connections', 'add', '--kind', kind, '--name', id, '--id', id, '--url', url, '--project', project],
    ...['--token-env', variable],
  );
  expect(added.code, added.err).toBe(0);
  return dataDir;
}

async function withLaunchDarkly() {
  ld = await startFakeLaunchDarkly();
  return { fake: ld, dataDir: await connected('launchdarkly', 'ld', ld.url, 'default', ld.token) };
}

interface AuditJson {
  action: string;
  result: string;
  detail: { concurrentEdit?: { summary: string; actor?: string } } | null;
}

describe('LaunchDarkly through the CLI', () => {
  it('a rollback while someone else edits: rolled back, and "concurrent edit" in its line and the audit', async () => {
    const { fake, dataDir } = await withLaunchDarkly();
    fake.inject({
      method: 'PATCH',
      fault: { kind: 'mutate', apply: () => fake.edit('new-checkout', 'production', (cfg) => (cfg.offVariation = 0)) },
    });
    const back = await run(
      dataDir,
      'rollback',
      'new-checkout',
      '--env',
      'production',
      '--comment',
      'errors up',
      '--connection',
      'ld',
    );
    expect(back.err).toBe('');
    expect(back.code).toBe(0);
    const [line, edit] = back.out.split('\n');
    expect(line).toMatch(/^new-checkout in production: rolled back .* confirmed by read-back/);
    expect(edit).toMatch(
      /^⚠ concurrent edit: LaunchDarkly's flag version moved from 1 to 4: alice@example\.com .* in production/,
    );
    // Their change moved the off variation to the treatment: the rollback set it back in a second patch.
    expect(edit).toMatch(
      /Rampart set the off variation back to the control in a second patch \(it had become 'true'\)/,
    );
    expect(fake.writes()).toHaveLength(2);

    const audit = JSON.parse((await run(dataDir, 'audit', 'list', '--json')).out) as AuditJson[];
    expect(audit[0]).toMatchObject({ action: 'rollback', result: 'done' });
    expect(audit[0].detail?.concurrentEdit).toMatchObject({ actor: 'alice@example.com' });
    const table = (await run(dataDir, 'audit', 'list', '--utc')).out;
    expect(table).toMatch(/done: ⚠ concurrent edit/);
    expect(table).toContain(`in production: ${edit}`);
  });

  it('a rollback with no one else writing says nothing of a concurrent edit', async () => {
    const { dataDir } = await withLaunchDarkly();
    const back = await run(
      dataDir,
      'rollback',
      'new-checkout',
      '--env',
      'production',
      '--comment',
      'errors up',
      '--connection',
      'ld',
    );
    expect(back.code, back.err).toBe(0);
    expect(back.out).toMatch(/rolled back/);
    expect(back.out).not.toMatch(/concurrent/);
    const audit = JSON.parse((await run(dataDir, 'audit', 'list', '--json')).out) as AuditJson[];
    expect(audit[0].detail?.concurrentEdit).toBeUndefined();
    expect((await run(dataDir, 'audit', 'list')).out).not.toMatch(/concurrent/);
  });

  it('a ramp while someone else edits is refused as a conflict (JSON Patch test /version), nothing written', async () => {
    const { fake, dataDir } = await withLaunchDarkly();
    fake.inject({
      method: 'PATCH',
      fault: { kind: 'mutate', apply: () => fake.edit('new-checkout', 'production', (cfg) => (cfg.offVariation = 0)) },
    });
    const ramp = await run(
      dataDir,
      ...[
        'ramp',
        'new-checkout',
        '--env',
        'production',
        '--to',
        '25',
        '--comment',
        'canary ok',
        '--override',
        '--connection',
        'ld',
      ],
    );
    expect(ramp.code).not.toBe(0);
    expect(ramp.err).toMatch(/changed while Rampart was writing \(version 1 → 2\); nothing was written/);
    const audit = JSON.parse((await run(dataDir, 'audit', 'list', '--json')).out) as AuditJson[];
    expect(audit[0]).toMatchObject({ action: 'ramp', result: 'refused' });
  });
});

describe('Flagsmith through the CLI', () => {
  async function withFlagsmith() {
    fsm = await startFakeFlagsmith();
    return { fake: fsm, dataDir: await connected('flagsmith', 'fsm', fsm.url, 'Rampart demo', fsm.token) };
  }
  const rollback = (dataDir: string, env: string) =>
    run(dataDir, 'rollback', 'new-checkout', '--env', env, '--comment', 'errors up', '--connection', 'fsm');

  it('a rollback while alice edits the split: "concurrent edit" naming her, in the line and the audit', async () => {
    const { fake, dataDir } = await withFlagsmith();
    fake.inject({
      method: 'PATCH',
      fault: { kind: 'mutate', apply: () => dashboard.split(fake, 'checkout-5pct', '40', ALICE, Date.now()) },
    });
    const back = await rollback(dataDir, fake.env('Production').api_key);
    expect(back.code, back.err).toBe(0);
    const [line, edit] = back.out.split('\n');
    expect(line).toMatch(/rolled back .* confirmed by read-back/);
    expect(edit).toMatch(
      /^⚠ concurrent edit: Flagsmith's audit log shows a change .* alice@example\.com: "Segment updated: checkout-5pct"/,
    );
    // The split is not what the rollback wrote (it turned the override off): its write did not touch it.
    expect(edit).toMatch(
      /the read after the write shows the rules of segment 'checkout-5pct' changed; Rampart's write did not set what it changed\.$/,
    );
    const audit = JSON.parse((await run(dataDir, 'audit', 'list', '--json')).out) as AuditJson[];
    expect(audit[0]).toMatchObject({ action: 'rollback', result: 'done' });
    expect(audit[0].detail?.concurrentEdit).toMatchObject({ actor: 'alice@example.com' });
    expect((await run(dataDir, 'audit', 'list')).out).toMatch(/done: ⚠ concurrent edit/);
  });

  it('a rollback with no one else writing says nothing of a concurrent edit', async () => {
    const { fake, dataDir } = await withFlagsmith();
    const back = await rollback(dataDir, fake.env('Production').api_key);
    expect(back.code, back.err).toBe(0);
    expect(back.out).not.toMatch(/concurrent/);
    const audit = JSON.parse((await run(dataDir, 'audit', 'list', '--json')).out) as AuditJson[];
    expect(audit[0].detail?.concurrentEdit).toBeUndefined();
  });
});
