import {
  isFlagConnection,
  isMetricsConnection,
  isNotifyConnection,
  type MetricsConnection,
} from '../../../shared/domain/connections';
import { testSink } from '../../notify';
import { UNREADABLE_FLAG, type FlagState } from '../../../shared/domain/flags';
import { isRampartError, RampartError } from '../../../shared/errors';
import type { ProbeCheck } from '../../metrics/metrics-provider';
import { plainNetworkError } from '../../metrics/plain-errors';
import { metricsKind } from '../../kinds';
import { secretsNeeded } from '../../../shared/kinds';
import type { Core } from '../core';
import { renderWatchTemplate } from '../queries';
import type { DomainHandlers } from './types';

/**
 * The probe of a metrics connection: its first watch's critical latency metric (what Rampart will query), or the
 * default request histogram. An instant query for Prometheus; a short range for the others.
 */
function probeQuery(core: Core, c: MetricsConnection): string | null {
  const kind = metricsKind(c);
  const watch = core.watches.list().find((w) => w.metricsConnectionId === c.id);
  if (watch) {
    const spec = watch.metrics.find((m) => m.critical && m.kind === 'latency') ?? watch.metrics[0];
    try {
      return renderWatchTemplate(c, watch, spec, true, kind.probeWindowSec);
    } catch {
      return null; // the watch's own template is broken: the preview says so; the connection test still runs
    }
  }
  return kind.probeQuery;
}

const line = (checks: ProbeCheck[]) => checks.map((k) => `${k.ok ? '✓' : '✗'} ${k.name}: ${k.detail}`).join(' · ');

/** What the store's flags look like to Rampart: how many it reads, and the ones it cannot interpret (never ramped). */
function flagsCheck(flags: FlagState[]): { name: string; ok: boolean; detail: string } {
  const unreadable = flags.filter((f) => Object.values(f.envs).some((e) => e.targeting?.startsWith(UNREADABLE_FLAG)));
  const some = unreadable
    .slice(0, 3)
    .map((f) => f.key)
    .join(', ');
  const detail =
    `${flags.length} flag(s) listed` +
    (unreadable.length > 0
      ? `; ${unreadable.length} Rampart cannot interpret (${some}${unreadable.length > 3 ? ', …' : ''}): see \`rampart flags show\``
      : '');
  return { name: 'flags', ok: true, detail };
}

/**
 * `connections:test`: contact the server and prove what Rampart needs from it (docs/design.md, Connections) —
 * a flag store lists its environments with the token; Prometheus answers buildinfo and a probe query; Datadog
 * validates the key and answers a probe query. Failures are `ok: false` with what failed, never an exception.
 */
export function connectionTestHandlers(core: Core): Pick<DomainHandlers<'connections'>, 'connections:test'> {
  const { connections } = core;
  return {
    'connections:test': async ({ id }) => {
      const c = connections.get(id);
      if (isFlagConnection(c)) {
        try {
          const s = connections.flagStore(id);
          const environments = await s.environments();
          const names = environments.map((e) => e.key).join(', ');
          // "with this token" only where there is one: a flagd file has none (the table says "not needed").
          const how = secretsNeeded(c).length > 0 ? ' with this token' : '';
          const checks = [
            environments.length > 0
              ? {
                  name: 'environments',
                  ok: true,
                  detail: `${environments.length} environment(s) readable${how}: ${names}`,
                }
              : {
                  name: 'environments',
                  ok: false,
                  // A server that answers an empty list to anything (not the vendor's API, or a token that sees
                  // nothing) used to pass as "0 environment(s) readable": nothing can be watched or ramped there.
                  detail: `no environment readable${how}: Rampart needs at least one (is the URL the ${c.kind} API, and does the token see the project?)`,
                },
            flagsCheck(await s.listFlags()),
          ];
          return {
            ok: checks.every((k) => k.ok),
            message: `${c.name}: ${line(checks)}`,
            environments,
            capabilities: s.capabilities(),
            checks,
          };
        } catch (e) {
          const checks = [{ name: 'environments', ok: false, detail: plainNetworkError(e) }];
          return { ok: false, message: `${c.name}: ${line(checks)}`, environments: [], capabilities: null, checks };
        }
      }
      if (isMetricsConnection(c)) {
        let checks: ProbeCheck[];
        try {
          const provider = connections.metrics(id);
          const probe = probeQuery(core, c);
          checks = provider.check
            ? await provider.check(probe)
            : [{ name: 'provider', ok: false, detail: `${c.kind} cannot be tested` }];
          const empty = checks.find((k) => k.name === 'probe query' && !k.ok && k.detail.startsWith('no series match'));
          if (empty && probe) empty.detail = (await core.discovery.whyEmpty(id, probe)).message;
        } catch (e) {
          checks = [{ name: 'provider', ok: false, detail: isRampartError(e) ? plainNetworkError(e) : String(e) }];
        }
        const ok = checks.every((k) => k.ok);
        return { ok, message: `${c.name}: ${line(checks)}`, environments: [], capabilities: null, checks };
      }
      if (isNotifyConnection(c)) {
        const secret = (() => {
          try {
            return core.secrets(id, 'token');
          } catch {
            return undefined;
          }
        })();
        const r = await testSink(c, secret, Date.now());
        return {
          ok: r.ok,
          message: r.message,
          environments: [],
          capabilities: null,
          checks: [{ name: 'notification', ok: r.ok, detail: r.message }],
        };
      }
      throw new RampartError('bad_request', `Unknown connection kind`);
    },
  };
}
