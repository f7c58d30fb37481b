import type { Watch } from '../../../shared/domain/metrics';
import type { ResponseOf } from '../../../shared/contract';
import { partialFailure, RampartError, type PartialFailure } from '../../../shared/errors';
import type { Registrar } from '../registrar';
import { parseDuration, parseTime, requireString, UsageError } from './args';
import {
  ctxDoor,
  onePositional,
  resolveConnection,
  resolveFlagEnv,
  type Command,
  type CommandContext,
} from './commands';
import { table } from './format';
import { applyWatchOptions, WATCH_OPTIONS, WATCH_OPTIONS_USAGE } from './watch-options';

const METRICS = ['request_rate', 'error_ratio', 'p50', 'p95', 'p99'];

/** The provider's default metric set, reading the request histogram under the name the provider really has. */
async function defaultsFor(ctx: CommandContext, metricsId: string) {
  return ctx.registrar().call('metrics:defaults', { connectionId: metricsId }, ctxDoor);
}

/** Saves the watch, then tries it: each query's match count, or "no series match X; did you mean Y?". */
async function saveAndPreview(ctx: CommandContext, r: Registrar, watch: Watch, verb: string): Promise<number> {
  const saved = await r.call('watches:save', { watch }, ctxDoor);
  let preview: ResponseOf<'watches:preview'> | null = null;
  // The watch is saved either way; a preview that could not run is a partial failure, code and message (issue 13).
  let previewError: PartialFailure | null = null;
  try {
    preview = await r.call('watches:preview', { watch: saved }, ctxDoor);
  } catch (e) {
    previewError = partialFailure(e);
  }
  const empty = preview?.parts.filter((p) => p.part === 'series' && (p.matched === 0 || p.error)) ?? [];
  if (ctx.json) ctx.out(JSON.stringify({ watch: saved, preview, previewError }, null, 2));
  else {
    ctx.out(
      `${verb} watch '${saved.id}': ${saved.flagKey} in ${saved.env} ↔ ${saved.metricsConnectionId} {${saved.selector}} — ${saved.metrics.map((m) => m.name).join(', ')}`,
    );
    if (preview)
      for (const p of preview.parts.filter((x) => x.part === 'series' || x.matched === 0 || x.error))
        ctx.out(`  ${p.metric} (${p.part}): ${p.error ? `${p.error.code}: ${p.error.message}` : p.message}`);
    if (preview)
      ctx.out(
        `  arms: treatment ${preview.arms.treatment.join('|') || '—'} vs control ${preview.arms.control.join('|') || '—'} (${preview.arms.source})`,
      );
    if (previewError) ctx.out(`  could not try the queries: ${previewError.code}: ${previewError.message}`);
  }
  // Saved either way; a query that matches nothing is a failure a pipeline must see, not an empty success.
  return empty.length > 0 || previewError ? 1 : 0;
}

async function findWatch(r: Registrar, ctx: CommandContext): Promise<Watch> {
  const key = onePositional(ctx, 'watch id or flag key');
  const all = await r.call('watches:list', {}, ctxDoor);
  const byId = all.find((w) => w.id === key);
  if (byId) return byId;
  const env = ctx.values.env as string | undefined;
  const byFlag = all.filter((w) => w.flagKey === key && (env === undefined || w.env === env));
  if (byFlag.length === 1) return byFlag[0];
  if (byFlag.length > 1)
    throw new UsageError(`${key} has watches in ${byFlag.map((w) => w.env).join(', ')}: add --env`);
  throw new UsageError(`unknown watch '${key}'; known: ${all.map((w) => w.id).join(', ') || 'none'}`);
}

export const watchCommands: Record<string, Command> = {
  'watch add': {
    usage: `rampart watch add <flag> --env E --metrics <metrics connection> --selector S [--connection <flag connection>] ${WATCH_OPTIONS_USAGE}`,
    options: { env: { type: 'string' }, metrics: { type: 'string' }, connection: { type: 'string' }, ...WATCH_OPTIONS },
    examples: [
      'rampart watch add checkout-v2 --env production --connection prod-unleash --metrics prod-prom --selector \'job="checkout"\'',
      'rampart watch add checkout-v2 --env production --metrics prod-prom --selector \'job="checkout"\' --variant-label feature_flag_result_variant --treatment on --control off,disabled --allowed-increase 1.2',
      "rampart watch add checkout-v2 --env production --metrics prod-prom --selector 'job=\"checkout\"' --metric 'p99:latency:ms:critical=histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_bucket{{{selector}}}[{{window}}]))) * 1000'",
    ],
    async run(ctx) {
      const flagKey = onePositional(ctx, 'flag key');
      const r = ctx.registrar();
      const flagConnectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const { env } = await resolveFlagEnv(r, flagConnectionId, flagKey, requireString(ctx.values, 'env'), {
        requireEnv: true,
      });
      if (env === undefined) throw new UsageError('--env is required');
      const metricsId = await resolveConnection(r, requireString(ctx.values, 'metrics'));
      requireString(ctx.values, 'selector');
      const defaults = await defaultsFor(ctx, metricsId);
      const base: Watch = {
        id: '',
        flagConnectionId,
        flagKey,
        env,
        metricsConnectionId: metricsId,
        selector: '',
        variantLabel: defaults.variantLabel,
        // Metrics named with --metric replace the provider's defaults entirely; without, the defaults.
        metrics: ctx.values.metric === undefined ? defaults.metrics : [],
        thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
      };
      return saveAndPreview(ctx, r, applyWatchOptions(base, ctx.values), 'Saved');
    },
  },
  'watch edit': {
    usage: `rampart watch edit <watch id | flag> [--env E] [--metrics <metrics connection>] ${WATCH_OPTIONS_USAGE}`,
    options: { env: { type: 'string' }, metrics: { type: 'string' }, ...WATCH_OPTIONS },
    examples: [
      'rampart watch edit checkout-v2 --env production --allowed-increase 1.15 --confidence 0.99',
      "rampart watch edit demo-checkout-v2 --metric 'p95:latency:ms=histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_bucket{{{selector}}}[{{window}}]))) * 1000' --drop-metric p50",
      'rampart watch edit checkout-v2 --treatment ml-v2 --control classic --step 30s',
    ],
    async run(ctx) {
      const r = ctx.registrar();
      const existing = await findWatch(r, ctx);
      const metricsConnectionId = ctx.values.metrics
        ? await resolveConnection(r, ctx.values.metrics as string)
        : existing.metricsConnectionId;
      return saveAndPreview(ctx, r, applyWatchOptions({ ...existing, metricsConnectionId }, ctx.values), 'Updated');
    },
  },
  'watch list': {
    usage: 'rampart watch list',
    options: {},
    examples: ['rampart watch list', 'rampart watch list --json'],
    async run(ctx) {
      const all = await ctx.registrar().call('watches:list', {}, ctxDoor);
      const arms = (w: Watch) =>
        w.arms ? `${w.arms.treatment.join('|')} vs ${w.arms.control.join('|')}` : 'from the flag';
      ctx.out(
        ctx.json
          ? JSON.stringify(all, null, 2)
          : table(
              ['ID', 'FLAG', 'ENV', 'FLAGS FROM', 'METRICS FROM', 'SELECTOR', 'ARMS', 'METRICS', 'ALLOWED'],
              all.map((w) => [
                w.id,
                w.flagKey,
                w.env,
                w.flagConnectionId,
                w.metricsConnectionId,
                w.selector,
                arms(w),
                w.metrics.map((m) => `${m.name}${m.critical ? '*' : ''}`).join(','),
                `×${w.thresholds.allowedIncrease}`,
              ]),
            ),
      );
      return 0;
    },
  },
  'watch remove': {
    usage: 'rampart watch remove <id>',
    options: {},
    examples: ['rampart watch remove prod-unleash.checkout-v2.production'],
    async run(ctx) {
      const id = onePositional(ctx, 'watch id');
      const res = await ctx.registrar().call('watches:remove', { id }, ctxDoor);
      if (!res.removed) throw new RampartError('not_found', `unknown watch '${id}'`);
      ctx.out(ctx.json ? JSON.stringify(res) : `Removed watch '${id}'`);
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
    examples: [
      'rampart series --connection prod-prom --metric p99 --selector \'job="checkout"\' --by-variant --from 1h --json',
    ],
    async run(ctx) {
      const r = ctx.registrar();
      const connectionId = await resolveConnection(r, requireString(ctx.values, 'connection'));
      const from = parseTime(requireString(ctx.values, 'from'), ctx.now, 'from');
      const to = ctx.values.to ? parseTime(ctx.values.to as string, ctx.now, 'to') : ctx.now;
      if (to <= from) throw new UsageError('--to must be after --from');
      const got = await r.call(
        'metrics:range',
        {
          connectionId,
          metric: requireString(ctx.values, 'metric'),
          selector: requireString(ctx.values, 'selector'),
          variantLabel: ctx.values['variant-label'] as string | undefined,
          byVariant: ctx.values['by-variant'] === true,
          from,
          to,
          stepMs: parseDuration((ctx.values.step as string | undefined) ?? '60s', 'step'),
        },
        ctxDoor,
      );
      // An empty answer is a question, not a result: say what the provider has instead.
      if (got.empty) throw new Error(got.empty.message);
      const { query, series: out } = got;
      ctx.out(
        ctx.json
          ? JSON.stringify(out)
          : [
              `query: ${query}`,
              ...out.map(
                (s) =>
                  `${JSON.stringify(s.labels)}: ${s.points.length} points, last ${JSON.stringify(s.points.at(-1) ?? null)}`,
              ),
            ].join('\n'),
      );
      return 0;
    },
  },
};
