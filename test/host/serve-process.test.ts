import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `rampart serve` as a process (docs/security.md: "a server that cannot listen exits non-zero"): a busy port or an
 * address the machine lacks is one line naming it and a non-zero exit — never a process left running without a
 * socket; SIGTERM and SIGINT stop it even while a request hangs on a vendor that never answers.
 */
const REPO = resolve(__dirname, '..', '..');
let work: string;
let cli: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rampart-serve-'));
  cli = join(work, 'cli.cjs');
  // The real CLI entry point, bundled so it runs as one plain `node` process (packages stay in node_modules).
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
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function serve(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcessWithoutNullStreams; exited: Promise<Exit>; stdout: () => string } {
  const dataDir = mkdtempSync(join(work, 'data-'));
  const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, ...args], {
    cwd: REPO,
    env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<Exit>((r) => child.once('exit', (code, signal) => r({ code, signal, stdout, stderr })));
  return { child, exited, stdout: () => stdout };
}

function listenOn(server: Server): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)));
}

async function firstJsonLine(stdout: () => string, exited: Promise<Exit>): Promise<{ origin: string; token: string }> {
  let gone = false;
  void exited.then(() => (gone = true));
  await expect.poll(() => gone || stdout().includes('\n'), { timeout: 30_000 }).toBe(true);
  const info = JSON.parse(stdout().split('\n')[0]) as { url: string; token: string };
  return { origin: info.url.replace(/\/$/, ''), token: info.token };
}

describe('rampart serve when it cannot listen', () => {
  it('a busy port: one line naming the port, exit 1, nothing on stdout', async () => {
    const squatter = createServer();
    const port = await listenOn(squatter);
    try {
      const r = await serve(['--port', String(port)]).exited;
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      squatter.close();
    }
  });

  it('an address this machine lacks exits 1 naming it; a non-loopback address without --allow-remote is a usage error (2)', async () => {
    const missing = await serve(['--host', '203.0.113.7', '--allow-remote']).exited;
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('203.0.113.7');
    const remote = await serve(['--host', '0.0.0.0']).exited;
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/loopback only unless --allow-remote/);
  });
});

describe('rampart serve stops on a signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} while a request hangs on a vendor that never answers: the process exits 0 and the request is cut`, async () => {
      // A "vendor" that accepts connections and never says a word.
      const held: Socket[] = [];
      const blackHole = createServer((s) => void held.push(s));
      const vendorPort = await listenOn(blackHole);
      const s = serve(['--port', '0', '--json'], { RAMPART_HANG_TOKEN: 'hang-token-0123456789' });
      try {
        const { origin, token } = await firstJsonLine(s.stdout, s.exited);
        const call = (channel: string, payload: unknown) =>
          fetch(`${origin}/rpc/${channel}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(payload),
          });
        const saved = await call('connections:save', {
          connection: {
            id: 'stuck',
            name: 'Stuck Unleash',
            kind: 'unleash',
            url: `http://127.0.0.1:${vendorPort}`,
            tokenEnv: 'RAMPART_HANG_TOKEN',
          },
        });
        expect(((await saved.json()) as { error?: unknown }).error).toBeUndefined();
        const pending = call('flags:get', { connectionId: 'stuck', flagKey: 'checkout-v2' }).then(
          (r) => `answered ${r.status}`,
          () => 'cut',
        );
        await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0); // the host is now waiting on the vendor
        s.child.kill(signal);
        const exit = await s.exited;
        expect(exit.code, exit.stderr).toBe(0);
        expect(await pending).toBe('cut');
        expect(held.length).toBeGreaterThan(0);
      } finally {
        if (s.child.exitCode === null) s.child.kill('SIGKILL');
        for (const h of held) h.destroy();
        blackHole.close();
      }
    }, 60_000);
  }
});
