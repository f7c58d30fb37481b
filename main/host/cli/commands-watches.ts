import { isMetricsConnection } from '../../../shared/domain/connections';
import type { Watch } from '../../../shared/domain/metrics';
import { RampartError } from '../../../shared/errors';
import { defaultMetricSpecs, defaultVariantLabel, renderWatchQuery } from '../../core/queries';
import { parseDuration, parseTime, requireString, UsageError } from './args';
import { resolveConnection, type Command } from './commands';
import { table } from './format';

const door = { door: 'cli' as const };
const METRICS = ['request_rate', 'error_ratio', 'p50', 'p95', 'p99'];

export const watchCommands: Record<string, Command> = {
  'watch add': {
    usage: 'rampart watch add <flag> --env E --metrics M --selector S [--connection N] [--variant-label L]',
    options: { env: { type: 'string' }, metrics: { type: 'string' }, selector: { type: 'string' }, connection: { type: 'string' }, 'variant-label': { type: 'string' } },
    async run(ctx) {
      if (ctx.positionals.length !== 1) throw new UsageError('expected exactly one flag key');
      const r = ctx.registrar();
      const flagConnectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const metricsId = await resolveConnection(r, requireString(ctx.values, 'metrics'));
      const m = ctx.core().connections.get(metricsId);
      if (!isMetricsConnection(m)) throw new UsageError(`--metrics '${metricsId}' is a flag store, not a metrics connection`);
      const watch: Watch = {
        id: '',
        flagConnectionId,
        flagKey: ctx.positionals[0],
        env: requireString(ctx.values, 'env'),
        metricsConnectionId: metricsId,
        selector: requireString(ctx.values, 'selector'),
        variantLabel: (ctx.values['variant-label'] as string | undefined) ?? defaultVariantLabel(m.kind),
        metrics: defaultMetricSpecs(m.kind),
        thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
      };
      const saved = await r.call('watches:save', { watch }, door);
      ctx.out(ctx.json ? JSON.stringify(saved, null, 2) : `Saved watch '${saved.id}': ${saved.flagKey} in ${saved.env} ↔ ${saved.metricsConnectionId} {${saved.selector}}`);
      return 0;
    },
  },
  'watch list': {
    usage: 'rampart watch list',
    options: {},
    async run(ctx) {
      const all = await ctx.registrar().call('watches:list', {}, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(all, null, 2)
          : table(['ID', 'FLAG', 'ENV', 'FLAGS FROM', 'METRICS FROM', 'SELECTOR', 'METRICS'], all.map((w) => [w.id, w.flagKey, w.env, w.flagConnectionId, w.metricsConnectionId, w.selector, w.metrics.map((m) => m.name).join(',')])),
      );
      return 0;
    },
  },
  'watch remove': {
    usage: 'rampart watch remove <id>',
    options: {},
    async run(ctx) {
      if (ctx.positionals.length !== 1) throw new UsageError('expected exactly one watch id');
      const res = await ctx.registrar().call('watches:remove', { id: ctx.positionals[0] }, door);
      if (!res.removed) throw new RampartError('not_found', `No watch '${ctx.positionals[0]}'`);
      ctx.out(ctx.json ? JSON.stringify(res) : `Removed watch '${ctx.positionals[0]}'`);
      return 0;
    },
  },
  series: {
    usage: `rampart series --connection N --metric ${METRICS.join('|')} --selector S [--by-variant] [--variant-label L] --from T --to T [--step 60s] [--json]`,
    options: {
      connection: { type: 'string' },
      metric: { type: 'string' },
      selector: { type: 'string' },
      'by-variant': { type: 'boolean' },
      'variant-label': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
    },
    async run(ctx) {
      const core = ctx.core();
      const id = await resolveConnection(ctx.registrar(), requireString(ctx.values, 'connection'));
      const c = core.connections.get(id);
      if (!isMetricsConnection(c)) throw new UsageError(`'${id}' is a flag store, not a metrics connection`);
      const metric = requireString(ctx.values, 'metric');
      const spec = defaultMetricSpecs(c.kind).find((m) => m.name === metric);
      if (!spec) throw new UsageError(`--metric must be one of ${METRICS.join(', ')}, got '${metric}'`);
      const from = parseTime(requireString(ctx.values, 'from'), ctx.now, 'from');
      const to = ctx.values.to ? parseTime(ctx.values.to as string, ctx.now, 'to') : ctx.now;
      if (to <= from) throw new UsageError('--to must be after --from');
      const stepMs = parseDuration((ctx.values.step as string | undefined) ?? '60s', 'step');
      const watch = { selector: requireString(ctx.values, 'selector'), variantLabel: (ctx.values['variant-label'] as string | undefined) ?? defaultVariantLabel(c.kind) } as Watch;
      const query = renderWatchQuery(c, watch, spec, ctx.values['by-variant'] === true);
      const series = await core.connections.metrics(id).range(query, from, to, stepMs);
      const out = series.map((s) => ({ labels: s.labels, points: Array.from(s.t, (t, i) => [t, Number.isFinite(s.v[i]) ? s.v[i] : null]) }));
      ctx.out(
        ctx.json
          ? JSON.stringify(out)
          : [`query: ${query}`, ...out.map((s) => `${JSON.stringify(s.labels)}: ${s.points.length} points, last ${JSON.stringify(s.points.at(-1) ?? null)}`)].join('\n'),
      );
      return 0;
    },
  },
};
