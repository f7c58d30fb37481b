import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * The real `rampart` CLI (main/host/cli/index.ts) bundled once per test file from the current sources, so the child
 * processes the audit tests spawn and kill run exactly the code under test — plain `node`, dependencies from the
 * repository's node_modules, nothing stale from an earlier `npm run build`.
 */
export const REPO = resolve(__dirname, '..', '..', '..');

export function bundleCli(outDir: string): string {
  const outfile = join(outDir, 'rampart-cli.cjs');
  buildSync({
    entryPoints: [join(REPO, 'main/host/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** SIGKILL the child this many ms after spawning it (it may finish first). */
  killAfterMs?: number;
  /** SIGKILL the child `thenMs` after `check()` first returns true (polled every 2 ms): a kill aimed at a phase. */
  killWhen?: { check: () => boolean; thenMs: number };
  /** Watchdog: SIGKILL after this long and report it. */
  timeoutMs?: number;
}

export function runCli(cli: string, args: string[], o: CliOptions = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: REPO,
      env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: CliRun = { code: null, signal: null, stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (c: string) => (run.stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (run.stderr += c));
    const timers: NodeJS.Timeout[] = [];
    if (o.killAfterMs !== undefined) timers.push(setTimeout(() => child.kill('SIGKILL'), o.killAfterMs));
    const poll = o.killWhen
      ? setInterval(() => {
          if (!o.killWhen?.check()) return;
          clearInterval(poll);
          timers.push(setTimeout(() => child.kill('SIGKILL'), o.killWhen.thenMs));
        }, 2)
      : undefined;
    timers.push(setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      clearInterval(poll);
      run.code = code;
      run.signal = signal;
      done(run);
    });
  });
}

/** A small seeded PRNG (mulberry32) so a failing sequence of kill moments can be replayed with the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
