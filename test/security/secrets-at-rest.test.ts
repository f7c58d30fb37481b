import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUnleash, type FakeUnleash } from '../support/vendor-servers/fake-unleash-strict';
import { allFiles, encodingsOf, grepDir } from './support/grep-secrets';

/**
 * docs/security.md figure: "plaintext secrets on disk or in logs: 0". A realistic session of the real CLI (built once,
 * run as separate processes with real stdout/stderr): add an Unleash connection whose token lives in an
 * environment variable, list flags against an Unleash that requires that token, ramp (audit intent + result rows),
 * then the token is made read-only (a write refused with 403 after its intent row: a failed audit entry) and revoked
 * (every call fails with 401: error messages, stale rows). Afterwards
 * the whole data directory — database, WAL, shm, the demo files — and everything printed are searched for the token
 * in several encodings: 0 occurrences.
 */
const REPO = resolve(__dirname, '..', '..');
const TOKEN = '*:*.rampart-at-rest-3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e1f';
const TOKEN_VAR = 'RAMPART_TEST_UNLEASH_TOKEN';

let work: string;
let dataDir: string;
let cli: string;
let unleash: FakeUnleash;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rampart-at-rest-'));
  dataDir = join(work, 'data');
  cli = join(work, 'cli.cjs');
  // The real CLI entry point, bundled so each command is one plain `node` process (packages stay in node_modules).
  buildSync({
    entryPoints: [join(REPO, 'main/host/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: cli,
    logLevel: 'warning',
  });
  unleash = await startFakeUnleash({ tokens: [TOKEN] });
});
afterAll(async () => {
  await unleash?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}
const runs: Run[] = [];

function rampart(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args, '--data-dir', dataDir], {
      cwd: REPO, // resources/demo is found from here
      env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), [TOKEN_VAR]: TOKEN, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { args, code: null, stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (c: string) => (run.stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (run.stderr += c));
    child.on('error', fail);
    child.on('exit', (code) => {
      run.code = code;
      runs.push(run);
      done(run);
    });
  });
}

describe('plaintext secrets on disk or in logs', () => {
  it('a session with a working, then a revoked, env-var token leaves 0 copies of it on disk or in any output', async () => {
    const add = await rampart(
      'connections',
      'add',
      '--kind',
      'unleash',
      '--name',
      'Prod Unleash',
      '--url',
      unleash.url,
      '--token-env',
      TOKEN_VAR,
    );
    expect(add.code, add.stderr).toBe(0);
    const test = await rampart('connections', 'test', 'prod-unleash');
    expect(test.code, test.stderr).toBe(0);
    const list = await rampart('flags', 'list', '--connection', 'prod-unleash', '--json');
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ flagKey: 'checkout-v2', env: 'production', exposure: 10 })]),
    );
    const ramp = await rampart(
      'ramp',
      'checkout-v2',
      '--env',
      'production',
      '--to',
      '25',
      '--expected',
      '10',
      '--comment',
      'clean hour at 10%',
      '--connection',
      'prod-unleash',
    );
    expect(ramp.code, ramp.stderr).toBe(0);
    expect(unleash.rollout('checkout-v2', 'production')).toBe(25);
    // The token really travelled, raw in Authorization as Unleash wants it.
    expect(unleash.requests.some((r) => r.headers.authorization === TOKEN && r.status === 200)).toBe(true);

    // Downgraded to read-only: the write is refused with 403 after its intent row (a failed audit entry).
    unleash.acceptTokens([TOKEN], { readOnly: true });
    const refused = await rampart(
      'ramp',
      'checkout-v2',
      '--env',
      'production',
      '--to',
      '50',
      '--expected',
      '25',
      '--comment',
      'next step',
      '--connection',
      'prod-unleash',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/403/);

    // Revoked: every call now gets Unleash's 401.
    unleash.acceptTokens([]);
    const failedRamp = await rampart(
      'ramp',
      'checkout-v2',
      '--env',
      'production',
      '--to',
      '50',
      '--expected',
      '25',
      '--comment',
      'next step',
      '--connection',
      'prod-unleash',
    );
    expect(failedRamp.code).toBe(1);
    expect(failedRamp.stderr).toMatch(/401/);
    const failedRollback = await rampart(
      'rollback',
      'checkout-v2',
      '--env',
      'production',
      '--comment',
      'token revoked, rolling back',
      '--connection',
      'prod-unleash',
    );
    expect(failedRollback.code).toBe(1);
    expect(failedRollback.stderr).toMatch(/401/);
    const stale = await rampart('flags', 'list', '--connection', 'prod-unleash', '--json');
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stdout).toMatch(/401/); // the stale rows carry the reason
    const failedTest = await rampart('connections', 'test', 'prod-unleash');
    expect(failedTest.code).toBe(1);
    const audit = await rampart('audit', 'list', '--json');
    expect(audit.code, audit.stderr).toBe(0);
    const entries = JSON.parse(audit.stdout) as { result: string; error: string | null }[];
    expect(entries.map((e) => e.result)).toEqual(expect.arrayContaining(['done', 'failed']));
    await rampart('connections', 'list', '--json');

    // The search itself must be able to find the token, or 0 hits means nothing: plant each encoding in a file.
    const scratch = mkdtempSync(join(work, 'scratch-'));
    encodingsOf(TOKEN).forEach((bytes, i) =>
      writeFileSync(join(scratch, `planted-${i}`), Buffer.concat([Buffer.from('x'), bytes, Buffer.from('y')])),
    );
    const found = new Set(grepDir(scratch, TOKEN).map((hit) => hit.split(':')[0]));
    expect(found.size).toBe(encodingsOf(TOKEN).length);
    rmSync(scratch, { recursive: true, force: true });

    const files = allFiles(dataDir);
    expect(files.some((f) => f.endsWith('rampart.db'))).toBe(true);
    expect(grepDir(dataDir, TOKEN)).toEqual([]);
    const printed = runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
    expect(encodingsOf(TOKEN).filter((b) => printed.includes(b.toString('utf8')))).toEqual([]);
    // The variable's NAME is what is stored and shown, never its value.
    expect(printed).toContain(TOKEN_VAR);
  }, 180_000);
});
