import { parseWindow } from '../../../shared/domain/plan-schedule';
import type { PlanView } from '../../../shared/domain/plans';
import { optionalNumber, parseDuration, requireString, UsageError } from './args';
import { resolveConnection, TIME_OPTIONS, type Command, type CommandContext } from './commands';
import { formatDuration } from '../../../shared/stats/format';
import { formatTime, localizeText, table, timeZoneOf, zoneLabel } from './format';
import { pct, statusText, type CurrentDecision } from './plan-status-text';

const door = { door: 'cli' as const };
const where = { connection: { type: 'string' }, env: { type: 'string' } } as const;

function flagArg(ctx: CommandContext): string {
  if (ctx.positionals.length !== 1)
    throw new UsageError(`expected exactly one flag key, got ${ctx.positionals.length}`);
  return ctx.positionals[0];
}

/** The plan a command means: the flag's active plan (else, for status, its newest), narrowed by --env/--connection. */
async function findPlan(ctx: CommandContext, opts: { activeOnly: boolean }): Promise<PlanView> {
  const r = ctx.registrar();
  const flagKey = flagArg(ctx);
  const connectionId = ctx.values.connection ? await resolveConnection(r, ctx.values.connection as string) : undefined;
  const env = ctx.values.env as string | undefined;
  const all = await r.call('plans:list', { flagKey, connectionId, env }, door);
  const active = all.filter((p) =>
    ['running', 'holding', 'paused', 'awaiting-approval', 'rolled-back'].includes(p.state),
  );
  const pool = active.length > 0 || opts.activeOnly ? active : all.slice(0, 1);
  const where = `${flagKey}${env ? ` in ${env}` : ''}${connectionId ? ` on ${connectionId}` : ''}`;
  if (pool.length === 0)
    throw new UsageError(
      all.length
        ? `No active plan for ${where} (the last one is ${all[0].state})`
        : `No plan for ${where}: start one with 'rampart plan start ${flagKey} --env E --comment …'`,
    );
  if (pool.length > 1)
    throw new UsageError(
      `${pool.length} active plans for ${flagKey}: name one with --env (${pool.map((p) => `${p.env} on ${p.connectionId}`).join(', ')})`,
    );
  return pool[0];
}

function stepList(text: string, option: 'steps' | 'approve-at'): number[] {
  if (text.trim() === '')
    throw new UsageError(`--${option} is empty; give percentages separated by commas, e.g. 1,5,25,50,100`);
  const parts = text.split(',').map((s) => s.trim());
  const nums = parts.map((s) => (/^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(s) ? Number(s) : Number.NaN));
  const bad = parts.find((_, i) => !(nums[i] > 0 && nums[i] <= 100));
  if (bad !== undefined)
    throw new UsageError(
      `--${option} takes percentages from 0 (exclusive) to 100 separated by commas, e.g. 1,5,25,50,100; got '${bad}'`,
    );
  return nums;
}

/** The policy flags shared by `plan start` and `plan save-policy`; only what is given (a saved policy fills the rest). */
function policyFlags(v: Record<string, unknown>): Record<string, unknown> {
  // `!== undefined`, not truthiness: `--steps ""` is a mistake to name, not a request for the default ladder.
  const approveAt = v['approve-at'] !== undefined ? stepList(String(v['approve-at']), 'approve-at') : [];
  const exposures = v.steps !== undefined ? stepList(String(v.steps), 'steps') : undefined;
  const missing = approveAt.find((a) => !(exposures ?? [1, 5, 25, 50, 100]).includes(a));
  if (missing !== undefined) throw new UsageError(`--approve-at ${missing} is not one of the steps`);
  const policy: Record<string, unknown> = {};
  if (exposures || approveAt.length)
    policy.steps = (exposures ?? [1, 5, 25, 50, 100]).map((exposure) => ({
      exposure,
      approval: approveAt.includes(exposure),
    }));
  if (v.bake !== undefined) policy.bakeMs = parseDuration(String(v.bake), 'bake');
  const minSamples = optionalNumber(v, 'min-samples', 0, 1e9);
  if (minSamples !== undefined) {
    if (!Number.isInteger(minSamples))
      throw new UsageError(`--min-samples must be a whole number, got '${String(v['min-samples'])}'`);
    policy.minSamples = minSamples;
  }
  if (v.window) {
    try {
      policy.windows = (v.window as string[]).map(parseWindow);
    } catch (e) {
      throw new UsageError(`--${(e as Error).message}`);
    }
  }
  if (v.freeze) policy.freezeDates = v.freeze as string[];
  if (v['time-zone']) policy.timeZone = v['time-zone'];
  if (v.recovery !== undefined) policy.recoveryMs = parseDuration(String(v.recovery), 'recovery');
  return policy;
}

const POLICY_OPTIONS = {
  steps: { type: 'string' },
  bake: { type: 'string' },
  'min-samples': { type: 'string' },
  'approve-at': { type: 'string' },
  window: { type: 'string', multiple: true },
  freeze: { type: 'string', multiple: true },
  'time-zone': { type: 'string' },
  recovery: { type: 'string' },
} as const;
const POLICY_USAGE =
  '[--steps 1,5,25,50,100] [--bake 10m] [--min-samples N] [--approve-at 50] [--window "Mon-Thu 09:00-17:00 Europe/Berlin"]… [--freeze 2025-12-24]… [--time-zone Z] [--recovery 15m]';

function actionCommand(verb: 'pause' | 'resume' | 'approve' | 'abort', past: string): Command {
  return {
    usage: `rampart plan ${verb} <flag> [--env E] [--connection C] --comment "…"`,
    options: { ...where, comment: { type: 'string' } },
    async run(ctx) {
      const comment = requireString(ctx.values, 'comment');
      const plan = await findPlan(ctx, { activeOnly: true });
      const res = await ctx.registrar().call(`plans:${verb}`, { planId: plan.id, comment }, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(res, null, 2)
          : `${res.flagKey} in ${res.env}: plan ${past} — now ${res.state}: ${res.reason}`,
      );
      return 0;
    },
  };
}

export const planCommands: Record<string, Command> = {
  'plan start': {
    usage: `rampart plan start <flag> --env E [--connection C] ${POLICY_USAGE} [--policy NAME] --comment "…"`,
    options: { ...where, ...POLICY_OPTIONS, policy: { type: 'string' }, comment: { type: 'string' } },
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = flagArg(ctx);
      const env = requireString(ctx.values, 'env');
      const comment = requireString(ctx.values, 'comment');
      const connectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const v = ctx.values as Record<string, unknown>;
      const policy = policyFlags(v);
      const res = await r.call(
        'plans:start',
        {
          connectionId,
          flagKey,
          env,
          comment,
          policyName: v.policy as string | undefined,
          policy: Object.keys(policy).length ? (policy as never) : undefined,
        },
        door,
      );
      ctx.out(
        ctx.json
          ? JSON.stringify(res, null, 2)
          : `Started plan ${res.id}.\n${statusText(res, ctx.now, timeZoneOf(ctx.values))}`,
      );
      return 0;
    },
  },
  'plan status': {
    usage: 'rampart plan status <flag> [--env E] [--connection C] [--utc]   # state, step, bake left, last decision',
    options: { ...where, ...TIME_OPTIONS },
    async run(ctx) {
      const p = await findPlan(ctx, { activeOnly: false });
      const current: CurrentDecision | undefined = p.outlook.finished
        ? undefined
        : await ctx
            .registrar()
            .call('decision:get', { watchId: p.watchId }, door)
            .then((decision) => ({ decision }))
            .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
      const step = p.policy.steps[p.stepIndex];
      const out = {
        id: p.id,
        state: p.state,
        reason: p.reason,
        step: {
          index: p.stepIndex,
          number: p.stepIndex + 1,
          of: p.policy.steps.length,
          exposure: step?.exposure ?? null,
        },
        exposure: p.expected.enabled ? p.expected.exposure : 0,
        steps: p.policy.steps.map((s) => s.exposure),
        bakeLeftMs: Math.max(0, p.outlook.bake.requiredMs - p.outlook.bake.elapsedMs),
        next: p.outlook.next,
        decision: p.lastDecision,
        decisionNow: current && 'decision' in current ? current.decision : null,
        recovery: p.recovery,
        plan: p,
      };
      ctx.out(ctx.json ? JSON.stringify(out, null, 2) : statusText(p, ctx.now, timeZoneOf(ctx.values), current));
      return 0;
    },
  },
  'plan pause': actionCommand('pause', 'paused'),
  'plan resume': actionCommand('resume', 'resumed'),
  'plan approve': actionCommand('approve', 'approved'),
  'plan abort': actionCommand('abort', 'aborted and rolled back'),
  'plan list': {
    usage: 'rampart plan list [--active] [--utc]',
    options: { active: { type: 'boolean' }, ...TIME_OPTIONS },
    async run(ctx) {
      const plans = await ctx.registrar().call('plans:list', ctx.values.active ? { active: true } : {}, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(plans, null, 2)
          : plans.length === 0
            ? 'No plans yet.'
            : table(
                [
                  'PLAN',
                  'FLAG',
                  'ENV',
                  'CONNECTION',
                  'STATE',
                  'STEP',
                  'EXPOSURE',
                  'NEXT',
                  `STARTED (${zoneLabel(timeZoneOf(ctx.values))})`,
                ],
                plans.map((p) => [
                  p.id,
                  p.flagKey,
                  p.env,
                  p.connectionId,
                  p.state,
                  `${p.stepIndex + 1}/${p.policy.steps.length}`,
                  pct(p.outlook.served ?? p.expected),
                  localizeText(p.outlook.next.text, timeZoneOf(ctx.values), ctx.now).slice(0, 60),
                  formatTime(p.startedAt, timeZoneOf(ctx.values)),
                ]),
              ),
      );
      return 0;
    },
  },
  'plan export': {
    usage: 'rampart plan export <flag> [--env E] [--connection C] [--format markdown|json]   # the decision record',
    options: { ...where, format: { type: 'string' } },
    async run(ctx) {
      const format = (ctx.values.format as string | undefined) ?? 'markdown';
      if (format !== 'markdown' && format !== 'json')
        throw new UsageError(`--format must be markdown or json, got '${format}'`);
      const p = await findPlan(ctx, { activeOnly: false });
      const res = await ctx.registrar().call('plans:export', { planId: p.id, format }, door);
      ctx.out(ctx.json ? JSON.stringify(res) : res.content.trimEnd());
      return 0;
    },
  },
  'plan policies': {
    usage: 'rampart plan policies   # saved plan policies (templates)',
    options: {},
    async run(ctx) {
      const all = await ctx.registrar().call('plans:policies', {}, door);
      ctx.out(
        ctx.json
          ? JSON.stringify(all, null, 2)
          : all.length === 0
            ? 'No saved policies.'
            : table(
                ['POLICY', 'STEPS', 'BAKE', 'WINDOWS', 'DESCRIPTION'],
                all.map((p) => [
                  p.name,
                  p.policy.steps.map((s) => `${s.exposure}%${s.approval ? '*' : ''}`).join(' → '),
                  formatDuration(p.policy.bakeMs),
                  String(p.policy.windows.length),
                  p.description,
                ]),
              ),
      );
      return 0;
    },
  },
  'plan save-policy': {
    usage: `rampart plan save-policy <name> ${POLICY_USAGE} [--description D]   # then: plan start <flag> --policy <name>`,
    options: { ...POLICY_OPTIONS, description: { type: 'string' } },
    async run(ctx) {
      if (ctx.positionals.length !== 1)
        throw new UsageError(`expected exactly one policy name, got ${ctx.positionals.length}`);
      const policy = policyFlags(ctx.values as Record<string, unknown>);
      policy.steps ??= [1, 5, 25, 50, 100].map((exposure) => ({ exposure }));
      const saved = await ctx.registrar().call(
        'plans:savePolicy',
        {
          name: ctx.positionals[0],
          description: ctx.values.description as string | undefined,
          policy: policy as never,
        },
        door,
      );
      ctx.out(
        ctx.json
          ? JSON.stringify(saved, null, 2)
          : `Saved policy '${saved.name}': ${saved.policy.steps.map((s) => `${s.exposure}%`).join(' → ')}`,
      );
      return 0;
    },
  },
};
