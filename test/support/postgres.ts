import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for tests that need a real database (Unleash, anything else later): its own
 * temp directory, a free port on 127.0.0.1, trust authentication for the `postgres` role, fsync off (nothing in it
 * is worth keeping). PostgreSQL refuses to run as root, so when we are root the server commands run as the
 * `postgres` system user (`runuser`), which the Debian `postgresql` package creates.
 */
export interface ThrowawayPostgres {
  host: '127.0.0.1';
  port: number;
  user: 'postgres';
  /** Directory holding the data dir, the log and the Unix socket; removed by stop(). */
  dir: string;
  /**
   * argv that stops this server from any process (e.g. a child that outlives a killed test runner); run it, then
   * remove `dir`. stop() does both.
   */
  stopCommand: string[];
  createDatabase(name: string): Promise<void>;
  /** Stops the server (immediate mode) and removes the directory. Safe to call twice. */
  stop(): Promise<void>;
}

export const POSTGRES_INSTALL_HINT =
  'install PostgreSQL (Debian/Ubuntu: `apt-get install -y postgresql`; it provides initdb, pg_ctl, psql and the `postgres` user), ' +
  'or point RAMPART_PG_BIN at the directory holding initdb/pg_ctl/psql';

interface PgBinaries {
  initdb: string;
  pgCtl: string;
  psql: string;
}

/** Where Debian, RPM and Homebrew-style installs put the server binaries; PATH last. */
function candidateBinDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.RAMPART_PG_BIN) dirs.push(process.env.RAMPART_PG_BIN);
  for (const root of ['/usr/lib/postgresql', '/usr/local/pgsql']) {
    if (!existsSync(root)) continue;
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(root, v, 'bin')), join(root, 'bin'));
  }
  dirs.push('/usr/local/bin', '/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  return dirs;
}

export function findPostgresBinaries(dirs: string[] = candidateBinDirs()): PgBinaries {
  const find = (name: string): string | undefined => dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  const initdb = find('initdb');
  const pgCtl = find('pg_ctl');
  const psql = find('psql');
  if (!initdb || !pgCtl || !psql) {
    const missing = [!initdb && 'initdb', !pgCtl && 'pg_ctl', !psql && 'psql'].filter(Boolean).join(', ');
    throw new Error(
      `PostgreSQL binaries not found (${missing}; looked in ${dirs.slice(0, 6).join(', ')}${dirs.length > 6 ? ', …' : ''}): ${POSTGRES_INSTALL_HINT}`,
    );
  }
  return { initdb, pgCtl, psql };
}

/** A port nobody holds right now (listen on 0, read it, close). Other processes on this machine hold common ports. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface RunAs {
  /** Prefix that runs a command as the cluster owner: `runuser -u postgres --` when we are root, nothing otherwise. */
  prefix: string[];
  uid?: number;
  gid?: number;
}

function runAsClusterOwner(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { prefix: [] };
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!passwd)
    throw new Error(`running as root but there is no \`postgres\` user to run PostgreSQL as: ${POSTGRES_INSTALL_HINT}`);
  const [, , uid, gid] = passwd.split(':');
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));
  // `su` needs a shell string; runuser takes argv as is, so nothing needs quoting.
  const prefix = runuser ? [runuser, '-u', 'postgres', '--'] : ['su', 'postgres', '-s', '/bin/sh', '-c'];
  return { prefix, uid: Number(uid), gid: Number(gid) };
}

/** The full argv that runs `argv` as the cluster owner. */
function asOwner(runAs: RunAs, argv: string[]): string[] {
  return runAs.prefix[runAs.prefix.length - 1] === '-c'
    ? [...runAs.prefix, argv.map(shellQuote).join(' ')]
    : [...runAs.prefix, ...argv];
}

function run(runAs: RunAs, argv: string[], timeoutMs: number): Promise<string> {
  const [cmd, ...args] = asOwner(runAs, argv);
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${argv[0]} failed: ${(stderr || stdout || error.message).trim().slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a fresh cluster; throws (after cleaning up) with the server log when anything fails. */
export async function startPostgres(opts: { databases?: string[] } = {}): Promise<ThrowawayPostgres> {
  const bins = findPostgresBinaries();
  const runAs = runAsClusterOwner();
  const dir = mkdtempSync(join(tmpdir(), 'rampart-pg-'));
  if (runAs.uid !== undefined && runAs.gid !== undefined) chownSync(dir, runAs.uid, runAs.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'pg.log');
  let started = false;
  let stopped = false;

  const stopCommand = asOwner(runAs, [bins.pgCtl, '-D', dataDir, '-m', 'immediate', '-w', 'stop']);
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopSync);
    if (started) {
      const [cmd, ...args] = stopCommand;
      spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process ends without calling stop() (a crash, a forgotten afterAll), do not leave a server behind.
  process.on('exit', stopSync);

  try {
    const port = await freePort();
    await run(runAs, [bins.initdb, '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], 120_000);
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    try {
      await run(
        runAs,
        [bins.pgCtl, '-D', dataDir, '-o', serverOptions, '-l', logFile, '-w', '-t', '60', 'start'],
        90_000,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- pg.log ---\n${tail(logFile)}`);
    }
    started = true;
    const pg: ThrowawayPostgres = {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      dir,
      stopCommand,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${JSON.stringify(name)}`);
        // Trust authentication over TCP: psql can connect as the postgres role from any OS user.
        await run(
          { prefix: [] },
          [
            bins.psql,
            '-h',
            '127.0.0.1',
            '-p',
            String(port),
            '-U',
            'postgres',
            '-d',
            'postgres',
            '-v',
            'ON_ERROR_STOP=1',
            '-qc',
            `CREATE DATABASE ${name}`,
          ],
          30_000,
        );
      },
      async stop() {
        stopSync();
      },
    };
    for (const db of opts.databases ?? []) await pg.createDatabase(db);
    return pg;
  } catch (e) {
    stopSync();
    throw e;
  }
}
