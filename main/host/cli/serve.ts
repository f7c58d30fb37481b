import { startHttpHost } from '../http';
import { optionalNumber, UsageError } from './args';
import type { Command } from './commands';
import { openRuntime, staticDir } from './runtime';

/** `rampart serve`: the browser host on loopback, printing the URL that carries its per-launch token. */
export const serveCommand: Command = {
  usage: 'rampart serve [--port N] [--host 127.0.0.1] [--allow-remote] [--data-dir D] [--json]',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'allow-remote': { type: 'boolean' } },
  async run(ctx) {
    const port = optionalNumber(ctx.values, 'port', 0, 65535) ?? 0;
    const host = (ctx.values.host as string | undefined) ?? '127.0.0.1';
    const dataDir = ctx.values['data-dir'] as string;
    const { core, registrar } = openRuntime(dataDir);
    await core.start();
    let server;
    try {
      server = await startHttpHost({ registrar, bus: core.bus, staticDir: staticDir(), host, port, allowNonLoopback: ctx.values['allow-remote'] === true });
    } catch (e) {
      core.close();
      throw new UsageError((e as Error).message);
    }
    ctx.out(
      ctx.json
        ? JSON.stringify({ url: server.url, launchUrl: server.launchUrl, token: server.token, port: server.port, dataDir, demo: core.info.demo })
        : `Rampart is serving ${core.info.demo ? 'the demo workspace' : dataDir} at\n\n  ${server.launchUrl}\n\n(open it in a browser; the token in it is valid until this process stops — Ctrl+C to stop)`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    core.close();
    return 0;
  },
};
