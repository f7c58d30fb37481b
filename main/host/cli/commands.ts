import { formatPercent } from '../../../shared/domain/flags';
import type { Registrar } from '../registrar';
import type { Core } from '../../core/core';
import { optionalNumber, parseTime, requireString, UsageError, type Options } from './args';
import { listingExit, unlistedConnections, unlistedJson, unlistedText } from './unlisted-connections';
import { withUnknownAsUsage, writeResultText } from './write-result';
import { auditRows, changeRows, flagRows, formatTime, table, timeZoneOf, type TimeZone } from './format';

export interface CommandContext {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  /** Opens the core lazily: `judge` needs no database. */
  registrar: () => Registrar;
  /** The core itself, for commands that use a service the contract does not expose (raw series). */
  core: () => Core;
  out: (text: string) => void;
  /** Diagnostics beside the output (stderr): what `--json` cannot put in its document without changing its shape. */
  err?: (text: string) => void;
  now: number;
}

export interface Command {
  usage: string;
  options: Options;
  /** Example invocations printed by `--help` (commands-help.ts has them for commands that do not say). */
  examples?: string[];
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
  /** Exit code when the command fails for a reason other than its input (default 1): see `flags stale`. */
  failureExit?: number;
}

const DEMO_FLAGS = 'demo-flags';
export const ctxDoor = { door: 'cli' as const };
/** `--utc` on every command that prints times (RAMPART_TZ does the same for all of them). */
export const TIME_OPTIONS: Options = { utc: { type: 'boolean' } };

/** A connection named by id or by name; the demo workspace's flag file when none is named. */
export async function resolveConnection(r: Registrar, nameOrId: string | undefined): Promise<string> {
  const all = await r.call('connections:list', {}, ctxDoor);
  if (!nameOrId) {
    if (all.some((c) => c.connection.id === DEMO_FLAGS)) return DEMO_FLAGS;
    const flagConns = all.filter((c) => c.role === 'flags');
    if (flagConns.length === 1) return flagConns[0].connection.id;
    throw new UsageError('--connection is required (there is no demo workspace and more than one flag connection)');
  }
  const hit = all.find((c) => c.connection.id === nameOrId) ?? all.find((c) => c.connection.name === nameOrId);
  if (!hit)
    throw new UsageError(
      `unknown connection '${nameOrId}'; known: ${all.map((c) => c.connection.id).join(', ') || 'none'}`,
    );
  return hit.connection.id;
}

/**
 * The flag and environment a command names, checked against the store: an unknown flag or environment is a usage
 * error (exit 2, one line naming the known ones) on every command, never an empty answer. Without --env, a flag with
 * one environment means that one.
 */
export async function resolveFlagEnv(
  r: Registrar,
  connectionId: string,
  flagKey: string,
  env: string | undefined,
  o: { requireEnv: boolean },
) {
  let got;
  try {
    got = await r.call('flags:get', { connectionId, flagKey }, ctxDoor);
  } catch (e) {
    if ((e as { code?: string }).code !== 'not_found') throw e;
    const known = (await r.call('flags:list', { connectionId }, ctxDoor)).map((f) => f.flagKey);
    throw new UsageError(
      `unknown flag '${flagKey}' in ${connectionId}; known: ${[...new Set(known)].join(', ') || 'none'}`,
    );
  }
  const envs = Object.keys(got.flag.envs);
  if (env !== undefined && !envs.includes(env))
    throw new UsageError(`unknown environment '${env}' for ${flagKey}; known: ${envs.join(', ') || 'none'}`);
  if (env === undefined && o.requireEnv && envs.length !== 1)
    throw new UsageError(`--env is required (${flagKey} has ${envs.join(', ') || 'no environments'})`);
  return { flag: got, env: env ?? (envs.length === 1 ? envs[0] : undefined) };
}

export function print(ctx: CommandContext, data: unknown, human: () => string): void {
  ctx.out(ctx.json ? JSON.stringify(data, null, 2) : human());
}

export function onePositional(ctx: CommandContext, what: string): string {
  if (ctx.positionals.length !== 1) throw new UsageError(`expected exactly one ${what}, got ${ctx.positionals.length}`);
  return ctx.positionals[0];
}

const zone = (ctx: CommandContext): TimeZone => timeZoneOf(ctx.values);
const optString = (ctx: CommandContext, name: string) => ctx.values[name] as string | undefined;

export const flagCommands: Record<string, Command> = {
  'flags list': {
    usage:
      'rampart flags list [--connection N] [--search S] [--utc]   (exit 1 when a connection could not be listed; --json: its {connectionId, code, message} on stderr)',
    options: { connection: { type: 'string' }, search: { type: 'string' }, ...TIME_OPTIONS },
    examples: ['rampart flags list', 'rampart flags list --connection prod-unleash --search checkout --json'],
    async run(ctx) {
      const tz = zone(ctx);
      const r = ctx.registrar();
      const connectionId = ctx.values.connection ? await resolveConnection(r, optString(ctx, 'connection')) : undefined;
      // One connection named: its error is the answer (flags:list throws it), exit non-zero.
      const rows = await r.call('flags:list', { connectionId, search: optString(ctx, 'search') }, ctxDoor);
      // All connections: the readable ones are listed, each one that is not is named with its reason and the exit
      // code says the list is partial (unlisted-connections.ts).
      const unlisted = connectionId ? [] : await unlistedConnections(r, rows);
      print(ctx, rows, () => [flagRows(rows, tz), ...unlisted.map(unlistedText)].join('\n'));
      if (ctx.json && unlisted.length > 0) ctx.err?.(unlistedJson(unlisted));
      return listingExit(unlisted);
    },
  },
  'flags show': {
    usage: 'rampart flags show <flag> [--connection N]',
    options: { connection: { type: 'string' } },
    examples: ['rampart flags show checkout-v2', 'rampart flags show checkout-v2 --connection prod-unleash --json'],
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const connectionId = await resolveConnection(r, optString(ctx, 'connection'));
      const { flag: got } = await resolveFlagEnv(r, connectionId, flagKey, undefined, { requireEnv: false });
      print(ctx, got, () =>
        [
          `${got.flag.key} — ${got.flag.name}${got.stale ? `  (STALE: ${got.stale.message})` : ''}`,
          `variants: ${got.flag.variants.join(', ')}`,
          table(
            ['ENV', 'STATE', 'EXPOSURE', 'TREATMENT', 'TARGETING'],
            Object.entries(got.flag.envs).map(([env, s]) => [
              env,
              s.enabled ? 'on' : 'off',
              formatPercent(s.exposure),
              s.treatment ?? '—',
              s.targeting ?? '—',
            ]),
          ),
        ].join('\n'),
      );
      return 0;
    },
  },
  'flags history': {
    usage:
      'rampart flags history <flag> [--connection N] [--env E] [--from T] [--to T] [--utc]   (T: ISO time, epoch ms, or 24h/7d ago)',
    options: {
      connection: { type: 'string' },
      env: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      ...TIME_OPTIONS,
    },
    examples: [
      'rampart flags history checkout-v2 --from 24h',
      'rampart flags history checkout-v2 --env production --from 2026-03-14T00:00Z --to 2026-03-15T00:00Z --utc',
    ],
    async run(ctx) {
      const tz = zone(ctx);
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const connectionId = await resolveConnection(r, optString(ctx, 'connection'));
      const from = parseTime(optString(ctx, 'from') ?? '7d', ctx.now, 'from');
      const to = ctx.values.to ? parseTime(optString(ctx, 'to') ?? '', ctx.now, 'to') : ctx.now;
      if (to <= from) throw new UsageError('--to must be after --from');
      const { env } = await resolveFlagEnv(r, connectionId, flagKey, optString(ctx, 'env'), { requireEnv: false });
      const changes = await r.call(
        'flags:history',
        { connectionId, flagKey, env: optString(ctx, 'env') ?? undefined, from, to },
        ctxDoor,
      );
      const where = `${flagKey}${ctx.values.env ? ` in ${env}` : ''}`;
      print(ctx, changes, () =>
        changes.length
          ? changeRows(changes, tz)
          : `No changes of ${where} between ${formatTime(from, tz)} and ${formatTime(to, tz)}`,
      );
      return 0;
    },
  },
  ramp: {
    usage: 'rampart ramp <flag> --env E --to P --comment C [--connection N] [--expected P] [--override]',
    options: {
      connection: { type: 'string' },
      env: { type: 'string' },
      to: { type: 'string' },
      comment: { type: 'string' },
      expected: { type: 'string' },
      override: { type: 'boolean' },
    },
    examples: [
      'rampart ramp checkout-v2 --env production --to 25 --comment "p99 flat for 30 min at 5%"',
      'rampart ramp checkout-v2 --env production --to 50 --expected 25 --comment "approved in #releases" --override   # ramp although the decision holds',
    ],
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const env = requireString(ctx.values, 'env');
      const to = optionalNumber(ctx.values, 'to', 0, 100);
      if (to === undefined) throw new UsageError('--to is required (a percentage from 0 to 100)');
      const comment = requireString(ctx.values, 'comment');
      const connectionId = await resolveConnection(r, optString(ctx, 'connection'));
      // No read of its own: the rollout service reads the flag once and compares there (issue 13). `--expected P`
      // says what the user saw: the environment on at P (F6: a ramp never re-enables an environment someone turned
      // off meanwhile). Without it nothing is compared: the ramp sets P whatever the state, an off environment too.
      const expected = optionalNumber(ctx.values, 'expected', 0, 100);
      const where = { connectionId, flagKey, env };
      const res = await withUnknownAsUsage(r, where, () =>
        r.call(
          'flags:ramp',
          {
            ...where,
            to,
            ...(expected !== undefined ? { expected, expectedEnabled: true } : {}),
            comment,
            override: ctx.values.override === true,
          },
          ctxDoor,
        ),
      );
      print(ctx, res, () =>
        writeResultText(
          `${flagKey} in ${env}: ${res.change.label} — confirmed by read-back (${formatPercent(res.readBack.exposure)}, ${res.readBack.enabled ? 'on' : 'off'}); audit ${res.actionId}`,
          res,
        ),
      );
      return 0;
    },
  },
  rollback: {
    usage: 'rampart rollback <flag> --env E --comment C [--connection N]',
    options: { connection: { type: 'string' }, env: { type: 'string' }, comment: { type: 'string' } },
    examples: ['rampart rollback checkout-v2 --env production --comment "error rate rising since the 25% step"'],
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const env = requireString(ctx.values, 'env');
      const comment = requireString(ctx.values, 'comment');
      const connectionId = await resolveConnection(r, optString(ctx, 'connection'));
      // The kill switch goes straight to the rollout service: no lookup of its own before the write (F7).
      const res = await withUnknownAsUsage(r, { connectionId, flagKey, env }, () =>
        r.call('flags:rollback', { connectionId, flagKey, env, comment }, ctxDoor),
      );
      print(ctx, res, () =>
        writeResultText(
          `${flagKey} in ${env}: rolled back (${res.change.label}) — confirmed by read-back; audit ${res.actionId}`,
          res,
        ),
      );
      return 0;
    },
  },
  'audit list': {
    usage: 'rampart audit list [--limit N] [--flag F] [--utc]',
    options: { limit: { type: 'string' }, flag: { type: 'string' }, ...TIME_OPTIONS },
    examples: ['rampart audit list --limit 20', 'rampart audit list --flag checkout-v2 --json > audit.json'],
    async run(ctx) {
      const tz = zone(ctx);
      const limit = optionalNumber(ctx.values, 'limit', 1, 5000, { integer: true }) ?? 50;
      const entries = await ctx.registrar().call('audit:list', { limit, flagKey: optString(ctx, 'flag') }, ctxDoor);
      print(ctx, entries, () => (entries.length ? auditRows(entries, tz) : 'The audit log is empty.'));
      return 0;
    },
  },
};
