import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgres, type ThrowawayPostgres } from '../../support/postgres';

/**
 * A real, throwaway Unleash OSS 6.10.1 server for component tests, the end-to-end test, the benchmark and UI
 * screenshots: its own PostgreSQL cluster (test/support/postgres.ts), Unleash in a child process (server.cjs) on a
 * free loopback port, and a random admin API token seeded at start. Nothing outlives stop() or the test process.
 *
 * Unleash lives in this folder's own node_modules (≈180 MB) so the app's dependencies stay untouched:
 *   npm ci --prefix test/components/unleash
 */
export interface RunningUnleash {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  /** Admin API token `*:*.<hex>`, sent raw in `Authorization` (no Bearer). */
  token: string;
  /** Unleash's reported version, e.g. 6.10.1. */
  version: string;
  /**
   * A second admin token with its own tokenName, for tests where someone else edits the same flag: Unleash's event
   * log names it as `createdBy` (the first token is `rampart-harness`).
   */
  secondActor: { name: string; token: string };
  /** Default admin login for the web UI (created by Unleash on an empty database). */
  uiLogin: { username: string; password: string };
  /** Stops Unleash, then PostgreSQL, and removes the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartUnleashOptions {
  /** Whole start budget; the first start runs ≈200 migrations (≈20 s here). */
  startTimeoutMs?: number;
  /** Receives Unleash's stdout/stderr lines (warn level and up). */
  onLog?: (line: string) => void;
}

export const UNLEASH_VERSION = '6.10.1';
/** The second actor's tokenName, as Unleash's event log shows it. */
export const SECOND_ACTOR = 'alice';
const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
export const UNLEASH_INSTALL_HINT = 'npm ci --prefix test/components/unleash';

/** Throws, saying how to install it, when the pinned unleash-server is not in this folder's node_modules. */
export function assertUnleashInstalled(): void {
  const pkg = join(HARNESS_DIR, 'node_modules', 'unleash-server', 'package.json');
  if (!existsSync(pkg)) {
    throw new Error(
      `unleash-server ${UNLEASH_VERSION} is not installed for the Unleash component tests: run \`${UNLEASH_INSTALL_HINT}\` (from the repository root; ≈180 MB, ≈40 s)`,
    );
  }
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string };
  if (version !== UNLEASH_VERSION) {
    throw new Error(
      `test/components/unleash has unleash-server ${version}, expected ${UNLEASH_VERSION}: run \`${UNLEASH_INSTALL_HINT}\``,
    );
  }
}

type ChildMessage = { type: 'ready'; version: string } | { type: 'failed'; message: string };

async function waitForHealth(url: string, deadline: number): Promise<void> {
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Unleash did not answer /health in time (${last})`);
}

function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startUnleash(opts: StartUnleashOptions = {}): Promise<RunningUnleash> {
  assertUnleashInstalled();
  const startTimeoutMs = opts.startTimeoutMs ?? 180_000;
  const deadline = Date.now() + startTimeoutMs;
  const pg: ThrowawayPostgres = await startPostgres({ databases: ['unleash'] });
  const recentLog: string[] = [];
  let child: ChildProcess | undefined;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  try {
    const port = await freePort();
    const token = `*:*.${randomBytes(24).toString('hex')}`;
    const secondActor = { name: SECOND_ACTOR, token: `*:*.${randomBytes(24).toString('hex')}` };
    const url = `http://127.0.0.1:${port}`;
    // A minimal environment: Unleash reads DATABASE_URL, HTTP_PORT, AUTH_TYPE, … from it, and the parent's
    // environment may hold secrets or settings that must not leak into a throwaway server.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: 'production',
      SEND_TELEMETRY: 'false', // options.telemetry:false is ignored by Unleash 6; only the env var works
      CHECK_VERSION: 'false',
      RAMPART_UNLEASH_HARNESS: JSON.stringify({
        dbPort: pg.port,
        database: 'unleash',
        port,
        adminToken: token,
        secondActor,
        orphanCleanup: { stopCommand: pg.stopCommand, dir: pg.dir },
      }),
    };
    child = fork(join(HARNESS_DIR, 'server.cjs'), [], {
      cwd: HARNESS_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    process.on('exit', killOnExit);
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        recentLog.push(line);
        if (recentLog.length > 60) recentLog.shift();
        opts.onLog?.(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);

    const running = child;
    const version = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Unleash did not start within ${startTimeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      running.on('message', (m: ChildMessage) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve(m.version);
        else reject(new Error(`Unleash failed to start: ${m.message.split('\n')[0]}`));
      });
      running.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Unleash exited during start (code ${code}, signal ${signal})`));
      });
    });
    await waitForHealth(url, deadline);

    let stopped = false;
    return {
      url,
      token,
      version,
      secondActor,
      uiLogin: { username: 'admin', password: 'unleash4all' },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopChild(running);
        process.removeListener('exit', killOnExit);
        await pg.stop();
      },
    };
  } catch (e) {
    if (child) await stopChild(child, 3_000);
    process.removeListener('exit', killOnExit);
    await pg.stop();
    const log = recentLog.length ? `\n--- Unleash output (last lines) ---\n${recentLog.join('\n')}` : '';
    throw new Error(`${(e as Error).message}${log}`);
  }
}
