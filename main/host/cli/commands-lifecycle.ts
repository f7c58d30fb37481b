import { writeResultText } from './write-result';
import { resolve } from 'node:path';
import { formatPercent } from '../../../shared/domain/flags';
import {
  DAY_MS,
  type CodeRefsResult,
  type FlagVersion,
  type LifecycleRow,
  type PromotePreview,
} from '../../../shared/domain/lifecycle';
import { optionalNumber, requireString, UsageError } from './args';
import {
  ctxDoor,
  onePositional,
  print,
  resolveConnection,
  resolveFlagEnv,
  TIME_OPTIONS,
  type Command,
  type CommandContext,
} from './commands';
import { formatTime, table, timeZoneOf, zoneLabel } from './format';

/** The flag lifecycle on the command line (issue 14): stale flags for a CI job, code references, versions, restore, promote. */
const opt = (ctx: CommandContext, name: string) => ctx.values[name] as string | undefined;
const days = (ms: number) => `${Math.floor(ms / DAY_MS)}d`;
const stateText = (s: { enabled: boolean | null; exposure: number | null; exposureKnown?: boolean }) =>
  s.enabled === null
    ? 'unknown'
    : `${s.enabled ? 'on' : 'off'} ${s.exposureKnown === false ? '?%' : formatPercent(s.exposure)}`;

function staleTable(rows: LifecycleRow[], ctx: CommandContext): string {
  const tz = timeZoneOf(ctx.values);
  return table(
    ['FLAG', 'ENV', 'CONNECTION', 'AS', `UNCHANGED SINCE (${zoneLabel(tz)})`, 'OWNER', 'WHY'],
    rows.map((r) => [
      r.flagKey,
      r.env,
      r.connectionName,
      r.doneAs ?? '—',
      r.lastChange
        ? `${formatTime(r.lastChange.at, tz)} (${days(ctx.now - r.lastChange.at)})`
        : r.since
          ? `≥ ${formatTime(r.since, tz)}`
          : '—',
      r.owner ?? r.lastActor ?? '—',
      r.staleReason ?? '',
    ]),
  );
}

function refsText(res: CodeRefsResult): string {
  const out: string[] = [];
  for (const r of res.roots) {
    const how =
      r.method === 'git'
        ? `git${r.commit ? ` ${r.commit.slice(0, 10)}` : ''}${r.dirty ? ' + uncommitted edits' : ''}`
        : 'no git: folder walk with .gitignore';
    out.push(
      `${r.root} (${how}; ${r.cached ? 'cached' : `${r.filesSearched} files in ${r.durationMs} ms`})${r.incomplete ? ` — INCOMPLETE: ${r.incomplete}` : ''}`,
    );
  }
  for (const f of res.flags) {
    out.push('');
    if (f.refs.length === 0) {
      out.push(
        f.safeToArchive
          ? `${f.flagKey}: no references: safe to archive`
          : `${f.flagKey}: no references found, but a search did not finish (see above): not proof it is unused`,
      );
      continue;
    }
    out.push(`${f.flagKey}: ${f.refs.length}${f.truncated ? '+' : ''} reference${f.refs.length === 1 ? '' : 's'}`);
    for (const ref of f.refs) {
      out.push(`  ${ref.file}:${ref.line}:${ref.column}`);
      ref.before.forEach((l, i) => out.push(`    ${String(ref.line - ref.before.length + i).padStart(5)}  ${l}`));
      out.push(`    ${String(ref.line).padStart(5)}> ${ref.text}`);
      ref.after.forEach((l, i) => out.push(`    ${String(ref.line + 1 + i).padStart(5)}  ${l}`));
    }
  }
  return out.join('\n');
}

function versionsTable(versions: FlagVersion[], ctx: CommandContext): string {
  const tz = timeZoneOf(ctx.values);
  return table(
    ['V', `WHEN (${zoneLabel(tz)})`, 'STATE', 'CHANGE', 'WHO', 'WHY', 'RESTORE'],
    versions.map((v) => [
      `${v.version}${v.current ? '*' : ''}`,
      formatTime(v.at, tz),
      stateText(v.state),
      v.diff.map((d) => `${d.field} ${d.from} → ${d.to}`).join('; ') || v.label,
      v.actor ?? '—',
      v.comment ?? '',
      v.current ? 'live' : v.restorable.ok ? 'yes' : `no: ${v.restorable.reason}`,
    ]),
  );
}

function previewText(p: PromotePreview): string {
  const side = (s: PromotePreview['from']) =>
    `${s.env} (${s.connectionName}): ${stateText(s.state)}; targeting ${s.state.targeting ?? '—'}`;
  return [
    `from ${side(p.from)}`,
    `to   ${side(p.to)}`,
    `changes: ${p.changes.map((c) => `${c.field} ${c.from} → ${c.to}`).join('; ') || 'none'}`,
    `blast radius: ${p.blastRadius.summary}${p.blastRadius.targetWatched ? '' : ` (no watch on ${p.to.env}: no metrics will judge it)`}`,
    ...p.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

export const lifecycleCommands: Record<string, Command> = {
  'flags stale': {
    usage:
      'rampart flags stale [--days N] [--connection N] [--utc]   (exit 0 none stale, 1 stale flags found, 2 bad input, 3 could not tell)',
    // A CI job gating on exit 1 must not read "the database was busy" or "a store did not answer" as stale flags.
    failureExit: 3,
    options: { days: { type: 'string' }, connection: { type: 'string' }, ...TIME_OPTIONS },
    examples: [
      'rampart flags stale                  # every connection, its own threshold (default 30 days)',
      'rampart flags stale --days 60 --json   # a CI job: exit 1 lists what to clean up',
    ],
    async run(ctx) {
      const staleDays = optionalNumber(ctx.values, 'days', 1, 3650, { integer: true });
      const r = ctx.registrar();
      const connectionId = ctx.values.connection ? await resolveConnection(r, opt(ctx, 'connection')) : undefined;
      const { rows } = await r.call('lifecycle:list', { connectionId, staleDays }, ctxDoor);
      const stale = rows.filter((x) => x.stage === 'stale');
      print(ctx, stale, () =>
        stale.length
          ? `${stale.length} stale flag${stale.length === 1 ? '' : 's'}:\n${staleTable(stale, ctx)}`
          : `No stale flags among ${rows.length} flag × environment rows.`,
      );
      return stale.length > 0 ? 1 : 0;
    },
  },
  'flags refs': {
    usage: 'rampart flags refs <flag> --repo DIR [--repo DIR2]…   (default: the source folders set in Lifecycle)',
    options: { repo: { type: 'string', multiple: true } },
    examples: [
      'rampart flags refs checkout-v2 --repo ~/src/shop',
      'rampart flags refs checkout-v2 --repo ~/src/shop --repo ~/src/web --json',
    ],
    async run(ctx) {
      const flagKey = onePositional(ctx, 'flag key');
      const repos = (ctx.values.repo as unknown as string[] | undefined)?.map((d) => resolve(d));
      // A key no connection lists has no references by construction: that is a typo, not "safe to archive".
      const known = new Set((await ctx.registrar().call('flags:list', {}, ctxDoor)).map((f) => f.flagKey));
      if (!known.has(flagKey))
        throw new UsageError(
          `unknown flag '${flagKey}': no flag connection lists it; 'rampart flags list' shows the known ones`,
        );
      const res = await ctx.registrar().call('lifecycle:refs', { flagKeys: [flagKey], roots: repos }, ctxDoor);
      print(ctx, res, () => refsText(res));
      return 0;
    },
  },
  'flags versions': {
    usage: 'rampart flags versions <flag> --env E [--connection N] [--utc]',
    options: { env: { type: 'string' }, connection: { type: 'string' }, ...TIME_OPTIONS },
    examples: [
      'rampart flags versions checkout-v2 --env production',
      'rampart flags versions checkout-v2 --env production --json',
    ],
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const connectionId = await resolveConnection(r, opt(ctx, 'connection'));
      const { env } = await resolveFlagEnv(r, connectionId, flagKey, opt(ctx, 'env'), { requireEnv: true });
      const res = await r.call('lifecycle:versions', { connectionId, flagKey, env: env! }, ctxDoor);
      print(ctx, res, () => `${flagKey} in ${env} (* = live):\n${versionsTable(res.versions, ctx)}`);
      return 0;
    },
  },
  'flags restore': {
    usage: 'rampart flags restore <flag> --env E --version V --comment C [--connection N] [--override]',
    options: {
      env: { type: 'string' },
      version: { type: 'string' },
      comment: { type: 'string' },
      connection: { type: 'string' },
      override: { type: 'boolean' },
    },
    examples: [
      'rampart flags versions checkout-v2 --env production   # find the version',
      'rampart flags restore checkout-v2 --env production --version 3 --comment "back to 5% while we look"',
    ],
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      requireString(ctx.values, 'env');
      const raw = requireString(ctx.values, 'version');
      const version = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : raw;
      const comment = requireString(ctx.values, 'comment');
      const connectionId = await resolveConnection(r, opt(ctx, 'connection'));
      const { env } = await resolveFlagEnv(r, connectionId, flagKey, opt(ctx, 'env'), { requireEnv: true });
      const res = await r.call(
        'lifecycle:restore',
        { connectionId, flagKey, env: env!, version, comment, override: ctx.values.override === true },
        ctxDoor,
      );
      print(ctx, res, () =>
        writeResultText(
          `${flagKey} in ${env}: restored version ${version} (${res.change.label}) — confirmed by read-back (${res.readBack.enabled ? 'on' : 'off'}, ${formatPercent(res.readBack.exposure)}); audit ${res.actionId}`,
          res,
        ),
      );
      return 0;
    },
  },
  'flags promote': {
    usage:
      'rampart flags promote <flag> --from ENV --to ENV --comment C [--connection N] [--to-connection M] [--plan] [--dry-run] [--override]',
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      comment: { type: 'string' },
      connection: { type: 'string' },
      'to-connection': { type: 'string' },
      plan: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      override: { type: 'boolean' },
    },
    examples: [
      'rampart flags promote checkout-v2 --from staging --to production --dry-run   # the review only',
      'rampart flags promote checkout-v2 --from staging --to production --comment "a day in staging, p99 flat"',
      'rampart flags promote checkout-v2 --from production --to production --connection eu --to-connection us --plan --comment "same plan in the US"',
    ],
    async run(ctx) {
      const r = ctx.registrar();
      const flagKey = onePositional(ctx, 'flag key');
      const fromEnv = requireString(ctx.values, 'from');
      const toEnv = requireString(ctx.values, 'to');
      const dryRun = ctx.values['dry-run'] === true;
      const comment = dryRun ? '' : requireString(ctx.values, 'comment');
      const fromConn = await resolveConnection(r, opt(ctx, 'connection'));
      const toConn = ctx.values['to-connection'] ? await resolveConnection(r, opt(ctx, 'to-connection')) : fromConn;
      await resolveFlagEnv(r, fromConn, flagKey, fromEnv, { requireEnv: true });
      await resolveFlagEnv(r, toConn, flagKey, toEnv, { requireEnv: true });
      const from = { connectionId: fromConn, env: fromEnv };
      const to = { connectionId: toConn, env: toEnv };
      const review = await r.call('lifecycle:promotePreview', { flagKey, from, to }, ctxDoor);
      if (dryRun) {
        print(ctx, review, () => previewText(review));
        return 0;
      }
      const expected = {
        from: { enabled: review.from.state.enabled, exposure: review.from.state.exposure },
        to: { enabled: review.to.state.enabled, exposure: review.to.state.exposure },
      };
      const mode = ctx.values.plan === true ? 'plan' : 'state';
      if (ctx.values.plan === true && !review.plan.ok) throw new UsageError(`--plan: ${review.plan.reason}`);
      const res = await r.call(
        'lifecycle:promote',
        { flagKey, from, to, mode, expected, comment, override: ctx.values.override === true },
        ctxDoor,
      );
      print(ctx, { review, ...res }, () =>
        res.mode === 'plan'
          ? `${previewText(review)}\n\nstarted plan ${res.plan.id} on ${flagKey} in ${toEnv} (steps ${review.plan.steps.map((s) => `${s}%`).join(' → ')})`
          : `${previewText(review)}\n\n${writeResultText(`${flagKey} in ${toEnv}: promoted from ${fromEnv} (${res.result.change.label}) — confirmed by read-back; audit ${res.result.actionId}`, res.result)}`,
      );
      return 0;
    },
  },
};
