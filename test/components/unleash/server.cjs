'use strict';
/*
 * Runs one Unleash OSS server in this child process, so its many timers, its database pool and its logger stay out
 * of the test runner. Started by harness.ts; configuration comes in the RAMPART_UNLEASH_HARNESS environment variable
 * (JSON). Reports {type:'ready'} or {type:'failed'} over the IPC channel, stops on SIGTERM/SIGINT, and when the
 * parent goes away (IPC disconnect: a killed test runner) it also stops the PostgreSQL cluster and deletes its
 * directory, so no server outlives its test run.
 */
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const config = JSON.parse(process.env.RAMPART_UNLEASH_HARNESS || '{}');
let unleash;
let stopping = false;

function stopOrphanedDatabase() {
  const cleanup = config.orphanCleanup;
  if (!cleanup) return;
  const [cmd, ...args] = cleanup.stopCommand;
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 30000 });
  rmSync(cleanup.dir, { recursive: true, force: true });
}

async function shutdown(code, orphaned) {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => {
    if (orphaned) stopOrphanedDatabase();
    process.exit(code);
  }, 5000);
  force.unref();
  try {
    if (unleash) await unleash.stop();
  } catch (e) {
    process.stderr.write(`unleash stop failed: ${e && e.message}\n`);
  }
  if (orphaned) stopOrphanedDatabase();
  process.exit(code);
}

process.on('SIGTERM', () => shutdown(0, false));
process.on('SIGINT', () => shutdown(0, false));
process.on('disconnect', () => shutdown(0, true));

function send(message) {
  if (process.send && process.connected) process.send(message);
}

(async () => {
  const { start } = require('unleash-server');
  unleash = await start({
    db: {
      user: 'postgres',
      password: '',
      host: '127.0.0.1',
      port: config.dbPort,
      database: config.database,
      ssl: false,
      pool: { min: 0, max: 4 },
    },
    server: {
      host: '127.0.0.1',
      port: config.port,
      unleashUrl: `http://127.0.0.1:${config.port}`,
      gracefulShutdownEnable: false,
    },
    authentication: {
      // A second admin token is a second actor: Unleash records its tokenName as createdBy on every event.
      initApiTokens: [
        { environment: '*', project: '*', secret: config.adminToken, type: 'admin', tokenName: 'rampart-harness' },
        ...(config.secondActor
          ? [
              {
                environment: '*',
                project: '*',
                secret: config.secondActor.token,
                type: 'admin',
                tokenName: config.secondActor.name,
              },
            ]
          : []),
      ],
    },
    versionCheck: { enable: false },
    logLevel: 'warn',
  });
  send({ type: 'ready', version: unleash.version });
})().catch((e) => {
  send({ type: 'failed', message: String((e && e.stack) || e) });
  process.stderr.write(`unleash start failed: ${(e && e.stack) || e}\n`);
  shutdown(1, false);
});
