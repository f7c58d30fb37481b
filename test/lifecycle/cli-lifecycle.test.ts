import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/host/cli';

/** `rampart flags stale|refs|versions|restore|promote` on the demo workspace (issue 14): output, JSON and exit codes. */
const dataDir = mkdtempSync(join(tmpdir(), 'rampart-cli-lifecycle-'));
const sources = join(__dirname, '..', '..', 'resources', 'demo', 'example-src');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('rampart flags stale', () => {
  it('lists the stale flag and exits 1 (a CI job fails), with --json too', async () => {
    const r = await run('flags', 'stale', '--utc');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^1 stale flag:/);
    expect(r.out).toMatch(/onboarding-v2\s+production\s+Demo flags \(flagd file\)\s+released/);
    const j = await run('flags', 'stale', '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out).map((x: { flagKey: string }) => x.flagKey)).toEqual(['onboarding-v2']);
  });

  it('exits 0 when nothing is stale under a longer threshold, and 2 with one line for a bad --days', async () => {
    const ok = await run('flags', 'stale', '--days', '100');
    expect(ok).toMatchObject({ code: 0, err: '' });
    expect(ok.out).toMatch(/^No stale flags among \d+ flag × environment rows\.$/);
    for (const bad of ['0', '1e2', 'soon']) {
      const r = await run('flags', 'stale', '--days', bad);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toContain('--days');
    }
  });
});

describe('rampart flags stale when it cannot tell', () => {
  it('exits 3, not 1 ("stale flags found"), when the data dir cannot be opened (tester 2, F14)', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'rampart-cli-broken-'));
    mkdirSync(join(broken, 'rampart.db')); // a folder where the database file should be
    try {
      const err: string[] = [];
      const code = await main(['flags', 'stale', '--data-dir', broken], {
        out: () => undefined,
        err: (s) => err.push(s),
      });
      expect(code).toBe(3);
      expect(err.join('\n')).toMatch(/^rampart flags stale: /);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('rampart flags refs / versions / restore / promote', () => {
  it('prints file:line with context for a stale flag, and "safe to archive" when nothing reads a flag', async () => {
    const r = await run('flags', 'refs', 'onboarding-v2', '--repo', sources);
    expect(r.code).toBe(0);
    expect(r.out).toContain('src/onboarding/onboarding.ts:7:');
    expect(r.out).toMatch(/\s+7> +const useNewFlow = await flags.getBooleanValue\('onboarding-v2', false, visitor\);/);
    const elsewhere = join(dataDir, 'other-src');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'main.ts'), "flags.isEnabled('checkout-v2');\n");
    const none = await run('flags', 'refs', 'dark-mode', '--repo', elsewhere);
    expect(none).toMatchObject({ code: 0, err: '' });
    expect(none.out).toContain('dark-mode: no references: safe to archive');
    const missing = await run('flags', 'refs', 'onboarding-v2', '--repo', join(dataDir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);
    // Tester 2, F5: an unknown flag and a file given as the folder are errors, never "safe to archive".
    const unknown = await run('flags', 'refs', 'nosuchflag', '--repo', sources);
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toMatch(/^rampart flags refs: unknown flag 'nosuchflag'/);
    const file = join(sources, 'src', 'onboarding', 'onboarding.ts');
    const notDir = await run('flags', 'refs', 'dark-mode', '--repo', file);
    expect(notDir).toMatchObject({ code: 2, out: '' });
    expect(notDir.err).toContain(`${file} is not a folder`);
  });

  it('lists versions, restores one with a comment (read back), and refuses bad input with exit 2', async () => {
    const v = await run('flags', 'versions', 'checkout-v2', '--env', 'production', '--json');
    expect(v.code).toBe(0);
    const versions = JSON.parse(v.out).versions as {
      version: number;
      current: boolean;
      state: { enabled: boolean; exposure: number };
      restorable: { ok: boolean };
    }[];
    const target = versions.filter((x) => x.restorable.ok && x.state.enabled && x.state.exposure === 5).at(-1)!;
    const human = await run('flags', 'versions', 'checkout-v2', '--env', 'production');
    expect(human.out).toMatch(/\n\d+\*\s.+live$/m);

    const noComment = await run(
      'flags',
      'restore',
      'checkout-v2',
      '--env',
      'production',
      '--version',
      String(target.version),
    );
    expect(noComment).toMatchObject({ code: 2 });
    expect(noComment.err).toContain('--comment is required');
    const badEnv = await run(
      'flags',
      'restore',
      'checkout-v2',
      '--env',
      'staging',
      '--version',
      '1',
      '--comment',
      'x y z',
    );
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toMatch(/unknown environment 'staging'/);

    const r = await run(
      'flags',
      'restore',
      'checkout-v2',
      '--env',
      'production',
      '--version',
      String(target.version),
      '--comment',
      'back to 5 %',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/restored version \d+ \(rollout 25% → 5%\) — confirmed by read-back \(on, 5%\)/);
    const live = await run(
      'flags',
      'restore',
      'checkout-v2',
      '--env',
      'production',
      '--version',
      String(versions.length + 1),
      '--comment',
      'again',
    );
    expect(live.code).toBe(1); // the live state now: a refusal, not bad input
    expect(live.err).toContain('this is the live state');
  });

  it('promote: one line and exit 2 for an unknown environment; --dry-run prints the review only', async () => {
    const r = await run(
      'flags',
      'promote',
      'checkout-v2',
      '--from',
      'staging',
      '--to',
      'production',
      '--comment',
      'go go',
    );
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/unknown environment 'staging'/);
    const same = await run(
      'flags',
      'promote',
      'checkout-v2',
      '--from',
      'production',
      '--to',
      'production',
      '--dry-run',
    );
    expect(same.code).toBe(2);
    expect(same.err).toMatch(/the source and the target are the same/);
  });

  it('promote between two flagd files: the review, then the write, read back', async () => {
    const file = join(dataDir, 'staging.json');
    copyFileSync(join(dataDir, 'demo', 'flags.json'), file); // production's checkout-v2 is at 5 % (restored above)
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.flags['checkout-v2'].targeting.fractional.splice(1, 2, ['on', 50], ['off', 50]);
    writeFileSync(file, JSON.stringify(doc));
    expect(
      (
        await run(
          'connections',
          'add',
          '--kind',
          'flagd',
          '--name',
          'staging',
          '--id',
          'staging',
          '--file',
          file,
          '--environment',
          'staging',
        )
      ).code,
    ).toBe(0);
    const dry = await run(
      'flags',
      'promote',
      'dark-mode',
      '--from',
      'staging',
      '--to',
      'production',
      '--connection',
      'staging',
      '--to-connection',
      'demo-flags',
      '--dry-run',
    );
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('changes: none');
    const noop = await run(
      'flags',
      'promote',
      'dark-mode',
      '--from',
      'staging',
      '--to',
      'production',
      '--connection',
      'staging',
      '--to-connection',
      'demo-flags',
      '--comment',
      'same state',
    );
    expect(noop.code).toBe(1);
    expect(noop.err).toMatch(/already serves the same state/);
    const r = await run(
      'flags',
      'promote',
      'checkout-v2',
      '--from',
      'production',
      '--to',
      'staging',
      '--to-connection',
      'staging',
      '--comment',
      'staging follows production',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/changes: exposure 50% → 5%/);
    expect(r.out).not.toContain('warning:'); // the same fractional shape: the percentages are the exposure
    expect(r.out).toMatch(/blast radius: 45% of the units in staging \(staging\) stop getting 'on' \(50% → 5%\)/);
    expect(r.out).toMatch(
      /checkout-v2 in staging: promoted from production \(rollout 50% → 5%\) — confirmed by read-back/,
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).flags['checkout-v2'].targeting.fractional[1]).toEqual(['on', 5]);
  });
});
