import { startHttpHost, type HttpHost } from '../http';
import { allowEnvOption, optionalNumber } from './args';
import type { Command } from './commands';
import { openRuntime, staticDir } from './runtime';

/** After the host and core are closed, a handle nothing can release (a hung vendor call) must not keep us alive. */
const EXIT_GUARD_MS = 2_000;

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once, whatever is still running. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
      stopping = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** On a terminal, Enter prints a fresh one-time launch link (each link signs in one tab, once). */
function offerFreshLinks(server: HttpHost, out: (s: string) => void): () => void {
  if (!process.stdin.isTTY) return () => undefined;
  const onData = () =>
    out(`\n  ${server.newLaunchUrl()}\n\n(a fresh link, valid for 5 minutes, signs in one tab once)`);
  process.stdin.on('data', onData);
  return () => {
    process.stdin.off('data', onData);
    process.stdin.pause();
  };
}

/** `rampart serve`: the browser host on loopback, printing a one-time launch link (and, with --json, the token). */
export const serveCommand: Command = {
  usage: 'rampart serve [--port N] [--host 127.0.0.1] [--allow-remote] [--allow-env VAR,...] [--data-dir D] [--json]',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'allow-remote': { type: 'boolean' } },
  async run(ctx) {
    const port = optionalNumber(ctx.values, 'port', 0, 65535, { integer: true }) ?? 0;
    const host = (ctx.values.host as string | undefined) ?? '127.0.0.1';
    const dataDir = ctx.values['data-dir'] as string;
    const { core, registrar } = openRuntime(dataDir, { allowEnv: allowEnvOption(ctx.values) });
    let server: HttpHost;
    try {
      // Listen before the core starts: a busy port fails in one line, before any reconcile or file watch.
      server = await startHttpHost({
        registrar,
        bus: core.bus,
        staticDir: staticDir(),
        host,
        port,
        allowNonLoopback: ctx.values['allow-remote'] === true,
      });
    } catch (e) {
      core.close();
      throw e;
    }
    const stopped = stopSignal();
    try {
      await core.start();
    } catch (e) {
      await server.close();
      core.close();
      throw e;
    }
    ctx.out(
      ctx.json
        ? JSON.stringify({
            url: server.url,
            launchUrl: server.launchUrl,
            token: server.token,
            port: server.port,
            dataDir,
            demo: core.info.demo,
          })
        : `Rampart is serving ${servedWhat(core.connections.list(), dataDir)} at\n\n  ${server.launchUrl}\n\n` +
            `(open it in a browser: the link signs in one tab, once${process.stdin.isTTY ? ' — press Enter here for a fresh one' : ''}; Ctrl+C to stop)`,
    );
    const stopOffering = offerFreshLinks(server, ctx.out);
    await stopped;
    stopOffering();
    await server.close();
    core.close();
    setTimeout(() => process.exit(process.exitCode ?? 0), EXIT_GUARD_MS).unref();
    return 0;
  },
};

/** "the demo workspace" only when the demo is all there is; a data dir with connections of its own is named (tester 2, F12). */
export function servedWhat(connections: readonly { demo?: boolean }[], dataDir: string): string {
  const own = connections.filter((c) => c.demo !== true).length;
  if (own === 0) return `the demo workspace (${dataDir})`;
  return `${dataDir} (${own} connection${own === 1 ? '' : 's'} of yours${own < connections.length ? ', and the demo' : ''})`;
}
