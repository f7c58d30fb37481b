import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateFile, treatmentServed } from '../flags/flagd/support/flagd-eval';
import { requireBuiltApp, ROOT, rpc } from './support/browser-host';

/**
 * Issue 9, end to end: the real browser host (`node bin/rampart.cjs serve`, built by `npm run build`) serves two
 * flagd connections; one file is broken while it serves — first malformed JSON, then replaced by a FIFO. The host
 * stays up, the broken connection shows a clear error, a flag of the other connection still rolls back confirmed
 * (judged again by flagd-core on the file), and SIGTERM still stops the host by itself.
 */

const BIN = join(ROOT, 'bin', 'rampart.cjs');
const work = mkdtempSync(join(tmpdir(), 'rampart-flagd-e2e-'));
const fileA = join(work, 'a.json');
const fileB = join(work, 'b.json');
let child: ChildProcessWithoutNullStreams | undefined;
let stderr = '';
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const split = (pct: number) => ({
  fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] }, ['on', pct], ['off', 100 - pct]],
});
const flag = (pct: number) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting: split(pct),
});

function replace(file: string, text: string): void {
  writeFileSync(`${file}.next`, text);
  renameSync(`${file}.next`, file);
}

async function startServe(dataDir: string): Promise<{ origin: string; token: string }> {
  requireBuiltApp();
  child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', '--json'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let out = '';
  return new Promise((resolve, reject) => {
    child!.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{') && l.trim().endsWith('}'));
      if (!line) return;
      const info = JSON.parse(line) as { url: string; token: string };
      resolve({ origin: new URL(info.url).origin, token: info.token });
    });
    child!.once('exit', (code) =>
      reject(new Error(`rampart serve exited with ${code} before printing its URL:\n${stderr}`)),
    );
  });
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms. Host stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Got {
  stale: { code: string; message: string } | null;
}

describe('browser host with a flagd file broken while it serves', () => {
  it('stays up, shows the error on that connection only, still rolls back the other, and stops on SIGTERM', async () => {
    writeFileSync(fileA, JSON.stringify({ flags: { alpha: flag(20) } }, null, 2));
    writeFileSync(fileB, JSON.stringify({ flags: { beta: flag(30), gamma: flag(60) } }, null, 2));
    const host = await startServe(join(work, 'data'));
    for (const [id, file] of [
      ['flags-a', fileA],
      ['flags-b', fileB],
    ]) {
      await rpc(host, 'connections:save', {
        connection: { id, kind: 'flagd', name: id, file, environment: 'production' },
      });
    }
    const rows = await rpc<Array<{ connectionId: string; flagKey: string }>>(host, 'flags:list', {});
    expect(
      rows
        .filter((r) => r.connectionId.startsWith('flags-'))
        .map((r) => r.flagKey)
        .sort(),
    ).toEqual(['alpha', 'beta', 'gamma']);

    // 1. Malformed JSON in A: its reads fail clearly (served from the last known state, marked stale with why).
    replace(fileA, '{ "flags": { "alpha": ');
    const staleA = await rpc<Got>(host, 'flags:get', { connectionId: 'flags-a', flagKey: 'alpha' });
    expect(staleA.stale?.message).toMatch(/a\.json: not valid JSON/);
    const first = await rpc<{ readBack: { exposure: number | null } }>(host, 'flags:rollback', {
      connectionId: 'flags-b',
      flagKey: 'beta',
      env: 'production',
      comment: 'A is broken',
    });
    expect(first.readBack.exposure).toBe(0);
    expect(treatmentServed(evaluateFile(fileB, 'beta'), 'off')).toBe(0);

    // 2. A FIFO in place of A: the watcher and every read refuse it without opening it (nothing blocks).
    unlinkSync(fileA);
    execFileSync('mkfifo', [fileA]);
    await until('the watcher reporting the FIFO', () =>
      /a\.json is a FIFO \(named pipe\), not a regular file/.test(stderr),
    );
    const fifoA = await rpc<Got>(host, 'flags:get', { connectionId: 'flags-a', flagKey: 'alpha' });
    expect(fifoA.stale?.message).toMatch(/is a FIFO \(named pipe\), not a regular file/);
    // The connection test says what is wrong (as a failed check, or as an error envelope).
    const tested = await rpc<{ ok: boolean; message: string }>(host, 'connections:test', { id: 'flags-a' }).catch(
      (e: Error) => ({ ok: false, message: e.message }),
    );
    expect(tested.ok).toBe(false);
    expect(tested.message).toMatch(/a\.json is a FIFO \(named pipe\), not a regular file/);
    const second = await rpc<{ readBack: { exposure: number | null }; reach?: { state: string } }>(
      host,
      'flags:rollback',
      {
        connectionId: 'flags-b',
        flagKey: 'gamma',
        env: 'production',
        comment: 'A is a FIFO',
      },
    );
    expect(second.readBack.exposure).toBe(0);
    if (second.reach) expect(second.reach.state).toBe('none');
    expect(treatmentServed(evaluateFile(fileB, 'gamma'), 'off')).toBe(0);
    expect((await rpc<{ version: string }>(host, 'app:info', {})).version).toBeTruthy(); // still serving
    expect(child!.exitCode).toBeNull();

    // 3. SIGTERM stops it by itself (no SIGKILL needed), with exit code 0.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child!.once('exit', (code, signal) => r({ code, signal })),
    );
    child!.kill('SIGTERM');
    const killer = setTimeout(() => child!.kill('SIGKILL'), 20_000);
    const how = await exited;
    clearTimeout(killer);
    expect(how, `host stderr:\n${stderr}`).toEqual({ code: 0, signal: null });
  });
});
