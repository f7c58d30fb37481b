import { readFileSync } from 'node:fs';
import { JudgeInput } from '../../../shared/domain/verdict';
import { formatPercent } from '../../../shared/domain/flags';
import { exitCodeFor, judge } from '../../../shared/stats/judge';
import { describeIssues, type Registrar } from '../registrar';
import type { Core } from '../../core/core';
import { optionalNumber, parseTime, requireString, UsageError, type Options } from './args';
import { auditRows, changeRows, flagRows, iso, table } from './format';

export interface CommandContext {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  /** Opens the core lazily: `judge` needs no database. */
  registrar: () => Registrar;
  /** The core itself, for commands that use a service the contract does not expose (raw series). */
  core: () => Core;
  out: (text: string) => void;
  now: number;
}

export interface Command {
  usage: string;
  options: Options;
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

const DEMO_FLAGS = 'demo-flags';
const ctxDoor = { door: 'cli' as const };

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
  if (!hit) throw new UsageError(`No connection '${nameOrId}'. Known: ${all.map((c) => c.connection.id).join(', ') || 'none'}`);
  return hit.connection.id;
}

function print(ctx: CommandContext, data: unknown, human: () => string): void {
  ctx.out(ctx.json ? JSON.stringify(data, null, 2) : human());
}

function onePositional(ctx: CommandContext, what: string): string {
  if (ctx.positionals.length !== 1) throw new UsageError(`expected exactly one ${what}, got ${ctx.positionals.length}`);
  return ctx.positionals[0];
}

export const flagCommands: Record<string, Command> = {
  'flags list': {
    usage: 'rampart flags list [--connection N] [--search S]',
    options: { connection: { type: 'string' }, search: { type: 'string' } },
    async run(ctx) {
      const r = ctx.registrar();
      const connectionId = ctx.values.connection ? await resolveConnection(r, ctx.values.connection as string) : undefined;
      const rows = await r.call('flags:list', { connectionId, search: ctx.values.search as string | undefined }, ctxDoor);
      print(ctx, rows, () => flagRows(rows));
      return 0;
    },
  },
  'flags show': {
    usage: 'rampart flags show <flag> [--connection N]',
    options: { connection: { type: 'string' } },
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const connectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const got = await r.call('flags:get', { connectionId, flagKey }, ctxDoor);
      print(ctx, got, () =>
        [
          `${got.flag.key} — ${got.flag.name}${got.stale ? `  (STALE: ${got.stale.reason})` : ''}`,
          `variants: ${got.flag.variants.join(', ')}`,
          table(
            ['ENV', 'STATE', 'EXPOSURE', 'TREATMENT', 'TARGETING'],
            Object.entries(got.flag.envs).map(([env, s]) => [env, s.enabled ? 'on' : 'off', formatPercent(s.exposure), s.treatment ?? '—', s.targeting ?? '—']),
          ),
        ].join('\n'),
      );
      return 0;
    },
  },
  'flags history': {
    usage: 'rampart flags history <flag> [--connection N] [--env E] [--from T] [--to T]   (T: ISO time, epoch ms, or 24h/7d ago)',
    options: { connection: { type: 'string' }, env: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const connectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const from = parseTime((ctx.values.from as string) ?? '7d', ctx.now, 'from');
      const to = ctx.values.to ? parseTime(ctx.values.to as string, ctx.now, 'to') : ctx.now;
      if (to <= from) throw new UsageError('--to must be after --from');
      const changes = await r.call('flags:history', { connectionId, flagKey, env: ctx.values.env as string | undefined, from, to }, ctxDoor);
      print(ctx, changes, () => (changes.length ? changeRows(changes) : `No changes of ${flagKey} between ${iso(from)} and ${iso(to)}`));
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
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const env = requireString(ctx.values, 'env');
      const to = optionalNumber(ctx.values, 'to', 0, 100);
      if (to === undefined) throw new UsageError('--to is required (a percentage from 0 to 100)');
      const comment = requireString(ctx.values, 'comment');
      const connectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      // A script "sees" the state it reads now unless it says what it expects; the core still re-reads before writing.
      let expected = optionalNumber(ctx.values, 'expected', 0, 100) ?? null;
      if (ctx.values.expected === undefined) expected = (await r.call('flags:get', { connectionId, flagKey }, ctxDoor)).flag.envs[env]?.exposure ?? null;
      const res = await r.call('flags:ramp', { connectionId, flagKey, env, to, expected, comment, override: ctx.values.override === true }, ctxDoor);
      print(ctx, res, () => `${flagKey} in ${env}: ${res.change.label} — confirmed by read-back (${formatPercent(res.readBack.exposure)}, ${res.readBack.enabled ? 'on' : 'off'}); audit ${res.actionId}`);
      return 0;
    },
  },
  rollback: {
    usage: 'rampart rollback <flag> --env E --comment C [--connection N]',
    options: { connection: { type: 'string' }, env: { type: 'string' }, comment: { type: 'string' } },
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const env = requireString(ctx.values, 'env');
      const comment = requireString(ctx.values, 'comment');
      const connectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const res = await r.call('flags:rollback', { connectionId, flagKey, env, comment }, ctxDoor);
      print(ctx, res, () => `${flagKey} in ${env}: rolled back (${res.change.label}) — confirmed by read-back; audit ${res.actionId}`);
      return 0;
    },
  },
  'audit list': {
    usage: 'rampart audit list [--limit N] [--flag F]',
    options: { limit: { type: 'string' }, flag: { type: 'string' } },
    async run(ctx) {
      const limit = optionalNumber(ctx.values, 'limit', 1, 5000) ?? 50;
      const entries = await ctx.registrar().call('audit:list', { limit, flagKey: ctx.values.flag as string | undefined }, ctxDoor);
      print(ctx, entries, () => (entries.length ? auditRows(entries) : 'The audit log is empty.'));
      return 0;
    },
  },
  judge: {
    usage: 'rampart judge <file|-> [--json]   exit: 0 pass, 1 fail, 3 marginal/inconclusive, 2 bad input',
    options: {},
    async run(ctx) {
      const source = onePositional(ctx, 'input file (or - for stdin)');
      let text: string;
      try {
        text = readFileSync(source === '-' ? 0 : source, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read ${source === '-' ? 'stdin' : source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${source === '-' ? 'stdin' : source} is not valid JSON: ${(e as Error).message}`);
      }
      const parsed = JudgeInput.safeParse(raw);
      if (!parsed.success) throw new UsageError(`invalid judge input: ${describeIssues(parsed.error)}`);
      const out = judge(parsed.data);
      print(ctx, out, () =>
        [
          `verdict: ${out.verdict.toUpperCase()}  score ${out.score.toFixed(1)}`,
          table(
            ['METRIC', 'VERDICT', 'DIRECTION', 'METHOD', 'P', 'ESTIMATE', 'CI', 'RATIO', 'N (B/C)'],
            out.metrics.map((m) => [
              m.name,
              m.verdict,
              m.direction,
              m.method,
              m.pValue === null ? '—' : m.pValue.toPrecision(3),
              m.estimate === null ? '—' : m.estimate.toPrecision(4),
              m.ci ? `[${m.ci[0].toPrecision(3)}, ${m.ci[1].toPrecision(3)}]` : '—',
              m.ratio === null ? '—' : m.ratio.toFixed(3),
              `${m.baselineN}/${m.canaryN}`,
            ]),
          ),
          ...out.metrics.map((m) => `- ${m.reason}`),
        ].join('\n'),
      );
      return exitCodeFor(out.verdict);
    },
  },
};
