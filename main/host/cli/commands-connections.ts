import { Connection } from '../../../shared/domain/connections';
import { describeIssues } from '../registrar';
import { UsageError } from './args';
import { resolveConnection, type Command } from './commands';
import { table } from './format';

const door = { door: 'cli' as const };
const KINDS = ['unleash', 'flagd', 'flagsmith', 'launchdarkly', 'prometheus', 'datadog'];

/** A stable id from a name: "Prod Unleash" → "prod-unleash". */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'connection';
}

export const connectionCommands: Record<string, Command> = {
  'connections add': {
    usage:
      'rampart connections add --kind unleash|flagd|flagsmith|launchdarkly|prometheus|datadog --name N [--id ID] [--url U] [--token-env VAR] [--app-key-env VAR] [--project P] [--file F] [--environment E] [--site S] [--rollback-mode off|zero] [--auth none|bearer|basic] [--username U] [--post-events]',
    options: {
      kind: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      url: { type: 'string' },
      'token-env': { type: 'string' },
      'app-key-env': { type: 'string' },
      project: { type: 'string' },
      file: { type: 'string' },
      environment: { type: 'string' },
      site: { type: 'string' },
      'rollback-mode': { type: 'string' },
      auth: { type: 'string' },
      username: { type: 'string' },
      'post-events': { type: 'boolean' },
    },
    async run(ctx) {
      const v = ctx.values;
      if (!v.kind || !KINDS.includes(v.kind as string)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}${v.kind ? `, got '${String(v.kind)}'` : ''}`);
      if (!v.name) throw new UsageError('--name is required');
      // Only the NAME of the variable holding the token is stored; the token itself stays in the environment.
      const raw = {
        id: (v.id as string | undefined) ?? slug(v.name as string),
        name: v.name,
        kind: v.kind,
        url: v.url,
        tokenEnv: v['token-env'],
        appKeyEnv: v['app-key-env'],
        project: v.project,
        file: v.file,
        environment: v.environment,
        site: v.site,
        rollbackMode: v['rollback-mode'],
        auth: v.auth,
        username: v.username,
        postEvents: v['post-events'],
      };
      const parsed = Connection.safeParse(Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)));
      if (!parsed.success) throw new UsageError(`invalid ${String(v.kind)} connection: ${describeIssues(parsed.error)}`);
      const saved = await ctx.registrar().call('connections:save', { connection: parsed.data }, door);
      ctx.out(ctx.json ? JSON.stringify(saved, null, 2) : `Saved ${saved.connection.kind} connection '${saved.connection.id}'${saved.secretAvailable ? '' : ' (its token variable is not set in this shell)'}`);
      return 0;
    },
  },
  'connections list': {
    usage: 'rampart connections list',
    options: {},
    async run(ctx) {
      const all = await ctx.registrar().call('connections:list', {}, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(all, null, 2)
          : table(
              ['ID', 'NAME', 'KIND', 'ROLE', 'WHERE', 'SECRET'],
              all.map((c) => {
                const x = c.connection as Record<string, unknown>;
                return [c.connection.id, c.connection.name, c.connection.kind, c.role, String(x.url ?? x.file ?? x.site ?? '—'), c.secretAvailable ? 'available' : `missing (${String(x.tokenEnv ?? 'no variable named')})`];
              }),
            ),
      );
      return 0;
    },
  },
  'connections test': {
    usage: 'rampart connections test <id|name>',
    options: {},
    async run(ctx) {
      if (ctx.positionals.length !== 1) throw new UsageError('expected exactly one connection');
      const r = ctx.registrar();
      const id = await resolveConnection(r, ctx.positionals[0]);
      const res = await r.call('connections:test', { id }, door);
      ctx.out(ctx.json ? JSON.stringify(res, null, 2) : `${res.ok ? 'OK' : 'FAILED'}: ${res.message}${res.environments.length ? ` — ${res.environments.map((e) => e.key).join(', ')}` : ''}`);
      return res.ok ? 0 : 1;
    },
  },
  'connections remove': {
    usage: 'rampart connections remove <id|name>',
    options: {},
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
