import { Connection, type ConnectionKind } from '../../../shared/domain/connections';
import path from 'node:path';
import { ALL_KINDS, cliOptions, kindSpec } from '../../../shared/kinds';
import { describeIssues } from '../registrar';
import { UsageError } from './args';
import { ctxDoor, resolveConnection, type Command } from './commands';
import { table } from './format';

const door = ctxDoor;
/** Every kind's options, generated from the shared kind registry (shared/kinds/index.ts). */
const KIND_OPTIONS = cliOptions();
const KIND_LIST = ALL_KINDS.join('|');

/** The connection fields the options fill, for the kind named; an option of another kind is a usage error. */
function kindFields(kind: ConnectionKind, v: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of KIND_OPTIONS) {
    const given = v[o.option];
    if (given === undefined) continue;
    if (!o.kinds.includes(kind))
      throw new UsageError(`--${o.option} is not an option of ${kind} connections (it is for ${o.kinds.join(', ')})`);
    if (o.type === 'boolean') out[o.field] = given === true;
    else if (o.list)
      out[o.field] = String(given)
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
    else if (o.type === 'number')
      out[o.field] = Number(given); // not a number: the schema says so, naming the field
    else if (o.path && given !== '')
      out[o.field] = path.resolve(String(given)); // the core keeps absolute paths only: this shell's cwd decides
    else out[o.field] = given;
  }
  return out;
}

/** A stable id from a name: "Prod Unleash" → "prod-unleash". */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'connection'
  );
}

export const connectionCommands: Record<string, Command> = {
  'connections add': {
    usage: `rampart connections add --kind ${KIND_LIST} --name N [--id ID] ${KIND_OPTIONS.map((o) => `[--${o.option}${o.type === 'boolean' ? '' : ` ${o.list ? 'A,B' : o.option.toUpperCase().replace(/-/g, '_')}`}]`).join(' ')} [--replace]`,
    options: {
      kind: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      ...Object.fromEntries(
        KIND_OPTIONS.map((o) => [
          o.option,
          { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const) },
        ]),
      ),
      replace: { type: 'boolean' },
    },
    examples: [
      'rampart connections add --kind unleash --name "Prod Unleash" --url https://unleash.example.com --token-env RAMPART_UNLEASH_TOKEN',
      'rampart connections add --kind prometheus --name prod-prom --url http://127.0.0.1:9090',
      'rampart connections add --kind prometheus --id prod-prom --name prod-prom --url http://prom.internal:9090 --replace   # overwrite an existing id',
    ],
    async run(ctx) {
      const v = ctx.values;
      const kind = ALL_KINDS.find((k) => k === v.kind);
      if (!kind)
        throw new UsageError(
          `--kind must be one of ${ALL_KINDS.join(', ')}${v.kind ? `, got '${String(v.kind)}'` : ''}`,
        );
      if (!v.name) throw new UsageError('--name is required');
      // Only the NAME of the variable holding the token is stored; the token itself stays in the environment.
      const raw = {
        id: (v.id as string | undefined) ?? slug(v.name as string),
        name: v.name,
        kind,
        ...kindFields(kind, v),
      };
      const parsed = Connection.safeParse(raw);
      if (!parsed.success)
        throw new UsageError(`invalid ${String(v.kind)} connection: ${describeIssues(parsed.error)}`);
      const r = ctx.registrar();
      const exists = (await r.call('connections:list', {}, door)).some((c) => c.connection.id === parsed.data.id);
      if (exists && v.replace !== true)
        throw new UsageError(
          `a connection '${parsed.data.id}' exists already: add --replace to overwrite it, or choose another --id`,
        );
      const saved = await r.call('connections:save', { connection: parsed.data, replace: v.replace === true }, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(saved, null, 2)
          : `${exists ? 'Replaced' : 'Saved'} ${saved.connection.kind} connection '${saved.connection.id}' → ${kindSpec(saved.connection).target(saved.connection)}${saved.secretAvailable ? '' : ' (its token variable is not set in this shell)'}`,
      );
      return 0;
    },
  },
  'connections list': {
    usage: 'rampart connections list',
    options: {},
    examples: ['rampart connections list', 'rampart connections list --json'],
    async run(ctx) {
      const all = await ctx.registrar().call('connections:list', {}, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(all, null, 2)
          : table(
              ['ID', 'NAME', 'KIND', 'ROLE', 'WHERE', 'SECRET'],
              all.map((c) => {
                const x = c.connection as Record<string, unknown>;
                return [
                  c.connection.id,
                  c.connection.name,
                  c.connection.kind,
                  c.role,
                  String(x.url ?? x.file ?? x.site ?? '—'),
                  c.secretAvailable ? 'available' : `missing (${String(x.tokenEnv ?? 'no variable named')})`,
                ];
              }),
            ),
      );
      return 0;
    },
  },
  'connections test': {
    usage: 'rampart connections test <id|name>   exit: 0 when the server proves what Rampart needs, 1 otherwise',
    options: {},
    examples: ['rampart connections test prod-prom', 'rampart connections test "Prod Unleash" --json'],
    async run(ctx) {
      if (ctx.positionals.length !== 1) throw new UsageError('expected exactly one connection');
      const r = ctx.registrar();
      const id = await resolveConnection(r, ctx.positionals[0]);
      const res = await r.call('connections:test', { id }, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(res, null, 2)
          : `${res.ok ? 'OK' : 'FAILED'}: ${res.message}${res.environments.length ? ` — ${res.environments.map((e) => e.key).join(', ')}` : ''}`,
      );
      return res.ok ? 0 : 1;
    },
  },
  'connections remove': {
    usage: 'rampart connections remove <id|name>',
    options: {},
    examples: ['rampart connections remove prod-prom'],
    async run(ctx) {
      if (ctx.positionals.length !== 1) throw new UsageError('expected exactly one connection');
      const r = ctx.registrar();
      const id = await resolveConnection(r, ctx.positionals[0]);
      const res = await r.call('connections:remove', { id }, door);
      ctx.out(ctx.json ? JSON.stringify(res) : res.removed ? `Removed '${id}'` : `'${id}' was not there`);
      return 0;
    },
  },
};
