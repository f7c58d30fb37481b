import { isNotifyConnection } from '../../../shared/domain/connections';
import { startAlertReceiver } from '../../plans/alert-receiver';
import { summaryLine } from '../../plans/outlook';
import { parseDuration, UsageError } from './args';
import type { Command } from './commands';

/** "127.0.0.1:9099" or ":9099" (loopback). Any other host must be named: the receiver then faces the network. */
function listenAddress(text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]*):((?:0|[1-9]\d*))$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535) throw new UsageError(`--listen must be HOST:PORT, e.g. 127.0.0.1:9099; got '${text}'`);
  return { host: m[1] === '' ? '127.0.0.1' : m[1].replace(/^\[|\]$/g, ''), port };
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => resolve(s);
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

/**
 * `rampart autopilot`: run every active plan of a data dir until stopped (headless: a systemd unit or a container,
 * docs/autopilot.md), with the same core as the app. `--once` evaluates every plan one time and exits;
 * `--listen HOST:PORT` serves the Alertmanager webhook receiver (one authenticated endpoint per trigger).
 */
export const autopilotCommand: Command = {
  usage: 'rampart autopilot [--once] [--listen 127.0.0.1:PORT] [--tick 5s]   # run every active plan until stopped',
  options: { once: { type: 'boolean' }, listen: { type: 'string' }, tick: { type: 'string' } },
  async run(ctx) {
    const tickMs = ctx.values.tick !== undefined ? parseDuration(String(ctx.values.tick), 'tick') : undefined;
    if (tickMs !== undefined && (tickMs < 200 || tickMs > 3_600_000))
      throw new UsageError(`--tick must be from 200ms to 1h, got '${String(ctx.values.tick)}'`);
    const listen = ctx.values.listen !== undefined ? listenAddress(String(ctx.values.listen)) : null;
    if (ctx.values.once && listen)
      throw new UsageError('--once and --listen do not go together: the receiver needs a running autopilot');
    const core = ctx.core();
    const runner = core.plans.runner;
    if (tickMs) runner.configure({ tickMs });

    if (ctx.values.once) {
      await runner.tick();
      const plans = core.plans.service.list({});
      const active = plans.filter((p) =>
        ['running', 'holding', 'paused', 'awaiting-approval', 'rolled-back'].includes(p.state),
      );
      ctx.out(
        ctx.json
          ? JSON.stringify({ owner: runner.owner, plans: active }, null, 2)
          : active.length
            ? active.map((p) => summaryLine(p, Date.now())).join('\n')
            : 'No active plans.',
      );
      runner.stop();
      return 0;
    }

    const receiver = listen
      ? await startAlertReceiver(
          {
            trigger: (id) => {
              const c = core.store.records.connections.get(id);
              return c && isNotifyConnection(c) && c.kind === 'alertmanager' ? c : undefined;
            },
            secret: (id) => {
              try {
                return core.secrets(id, 'token');
              } catch {
                return undefined;
              }
            },
            plans: core.plans.service,
          },
          listen,
        ).catch((e: Error) => {
          throw new UsageError(e.message);
        })
      : null;
    const stopped = stopSignal();
    await core.start();
    const active = core.plans.service.list({ active: true });
    ctx.out(
      ctx.json
        ? JSON.stringify({
            owner: runner.owner,
            tickMs: runner.tickMs,
            dataDir: ctx.values['data-dir'],
            activePlans: active.length,
            alertmanager: receiver ? `${receiver.url}/alertmanager/<trigger id>` : null,
          })
        : `Rampart autopilot (${runner.owner}) driving ${active.length} active plan(s) every ${runner.tickMs / 1000} s${receiver ? `; Alertmanager receiver at ${receiver.url}/alertmanager/<trigger id>` : ''} — Ctrl+C to stop`,
    );
    await stopped;
    runner.stop();
    await receiver?.close();
    // The core is closed by the CLI on return; a vendor call nothing can cancel must not keep the process alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
    return 0;
  },
};
