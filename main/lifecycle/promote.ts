import { isFlagConnection, type Connection } from '../../shared/domain/connections';
import type { AuditDoor, AuditEntry } from '../../shared/domain/audit';
import { formatPercent, type EnvState } from '../../shared/domain/flags';
import { servedShare, type PromotePreview, type PromoteSide, type VersionDiff } from '../../shared/domain/lifecycle';
import type { PlanView } from '../../shared/domain/plans';
import type { Watch } from '../../shared/domain/metrics';
import type { RolloutResult } from '../../shared/contract/requests';
import { RampartError } from '../../shared/errors';
import type { FlagStore } from '../flags/flag-store';
import { sameExposure } from '../rollout/exposure-rules';
import type { SetStateRequest } from '../rollout/rollout-service';
import type { AuditRecord } from '../store/audit-log';

export interface Where {
  connectionId: string;
  env: string;
}

export interface PromoteDeps {
  connection: (id: string) => Connection;
  flagStore: (id: string) => FlagStore;
  watchFor: (connectionId: string, flagKey: string, env: string) => Watch | undefined;
  plans: {
    forFlag: (connectionId: string, flagKey: string, env: string) => PlanView | null;
    start: (
      req: { connectionId: string; flagKey: string; env: string; policy: Record<string, unknown>; comment: string },
      actor: { user: string; door: string },
    ) => Promise<PlanView>;
  };
  rollout: { setState: (r: SetStateRequest) => Promise<RolloutResult>; record: (r: AuditRecord) => AuditEntry };
  user: () => string;
}

export interface PromoteRequest {
  flagKey: string;
  from: Where;
  to: Where;
  mode: 'state' | 'plan';
  comment: string;
  /** The two states the person reviewed; either moving since is refused. Without them: the states read now. */
  expected?: { from: { enabled: boolean; exposure: number | null }; to: { enabled: boolean; exposure: number | null } };
  override?: boolean;
  door: AuditDoor;
  user?: string;
}

const ACTIVE = new Set<PlanView['state']>(['running', 'holding', 'paused', 'awaiting-approval', 'rolled-back']);
const onOff = (b: boolean) => (b ? 'on' : 'off');
/** A targeting summary without its percentages (flagd's names the split): the exposure is compared on its own. */
const targetingShape = (t: string | undefined) => (t ?? '').replace(/\d+(?:\.\d+)?%/g, '·%');
const share = (n: number | null) => (n === null ? 'an unknown share' : formatPercent(n));

function sideOf(c: Connection, env: string, s: EnvState): PromoteSide {
  return {
    connectionId: c.id,
    connectionName: c.name,
    connectionKind: c.kind,
    env,
    state: { enabled: s.enabled, exposure: s.exposure, targeting: s.targeting ?? null, treatment: s.treatment ?? null },
  };
}

/** Both connections' flag states, after checking the pair is one a promote can copy between. */
async function readPair(d: PromoteDeps, flagKey: string, from: Where, to: Where) {
  if (from.connectionId === to.connectionId && from.env === to.env)
    throw new RampartError(
      'bad_request',
      'Promote needs two different environments (or connections): the source and the target are the same',
    );
  const a = d.connection(from.connectionId);
  const b = d.connection(to.connectionId);
  for (const c of [a, b])
    if (!isFlagConnection(c)) throw new RampartError('bad_request', `${c.name} is not a flag store`);
  if (a.kind !== b.kind)
    throw new RampartError(
      'bad_request',
      `Promote copies between environments of one connection or between two connections of the same kind: ${a.name} is ${a.kind}, ${b.name} is ${b.kind}`,
    );
  const [fa, fb] = await Promise.all([
    d.flagStore(a.id).getFlag(flagKey),
    d
      .flagStore(b.id)
      .getFlag(flagKey)
      .catch((e: unknown) => {
        if ((e as { code?: string }).code === 'not_found')
          throw new RampartError(
            'not_found',
            `'${flagKey}' does not exist in ${b.name}: create it there first (promote copies a rollout, it does not create flags)`,
          );
        throw e;
      }),
  ]);
  const sa = fa.envs[from.env];
  const sb = fb.envs[to.env];
  if (!sa)
    throw new RampartError(
      'not_found',
      `'${flagKey}' has no environment '${from.env}' in ${a.name} (it has ${Object.keys(fa.envs).join(', ')})`,
    );
  if (!sb)
    throw new RampartError(
      'not_found',
      `'${flagKey}' has no environment '${to.env}' in ${b.name} (it has ${Object.keys(fb.envs).join(', ')})`,
    );
  return { a, b, sa, sb, step: d.flagStore(b.id).capabilities().exposureStep };
}

/**
 * Promote a flag's rollout from one environment to another — staging → production, within one connection or between
 * two of the same kind — as a reviewed action (issue 14): the preview shows both states, what changes and the blast
 * radius; the promote itself is a `promote` action of the rollout service, or the source's plan started in the target.
 */
export function createPromote(d: PromoteDeps) {
  async function preview(q: { flagKey: string; from: Where; to: Where }): Promise<PromotePreview> {
    const { a, b, sa, sb, step } = await readPair(d, q.flagKey, q.from, q.to);
    const changes: VersionDiff[] = [];
    if (sa.enabled !== sb.enabled) changes.push({ field: 'enabled', from: onOff(sb.enabled), to: onOff(sa.enabled) });
    const copiesExposure = sa.exposure !== null;
    if (copiesExposure && !sameExposure(sa.exposure, sb.exposure, step))
      changes.push({ field: 'exposure', from: formatPercent(sb.exposure), to: formatPercent(sa.exposure) });
    const warnings: string[] = [];
    if (targetingShape(sa.targeting) !== targetingShape(sb.targeting))
      warnings.push(
        `The targeting differs (${q.from.env}: ${sa.targeting ?? 'unknown'}; ${q.to.env}: ${sb.targeting ?? 'unknown'}). Promote copies on/off and the exposure; ${q.to.env} keeps its own targeting.`,
      );
    if (sa.treatment && sb.treatment && sa.treatment !== sb.treatment)
      warnings.push(
        `The treatment variant differs: '${sa.treatment}' in ${q.from.env}, '${sb.treatment}' in ${q.to.env}.`,
      );
    const before = servedShare(sb);
    const after = servedShare({ enabled: sa.enabled, exposure: copiesExposure ? sa.exposure : sb.exposure });
    const treatment = sb.treatment ? `'${sb.treatment}'` : 'the treatment';
    const where = `${q.to.env} (${b.name})`;
    const summary =
      before === null || after === null
        ? `${where} would serve ${treatment} to ${share(after)} of its units (now ${share(before)})`
        : after === before
          ? `No change in who gets ${treatment} in ${where}: ${formatPercent(after)} of its units`
          : `${formatPercent(Math.abs(after - before))} of the units in ${where} ${after > before ? 'start getting' : 'stop getting'} ${treatment} (${formatPercent(before)} → ${formatPercent(after)})`;
    const targetPlan = d.plans.forFlag(b.id, q.flagKey, q.to.env);
    const planBlocks =
      targetPlan && ACTIVE.has(targetPlan.state)
        ? `a plan (${targetPlan.id}, ${targetPlan.state}) drives '${q.flagKey}' in ${q.to.env}: finish, pause or abort it first`
        : null;
    let copyReason: string | null = planBlocks;
    if (!copyReason && sa.enabled && sa.exposure === null && sb.exposure !== null)
      copyReason = `${q.from.env} has no percentage rollout (targeted users only): Rampart cannot express that state in ${q.to.env}`;
    if (!copyReason && changes.length === 0) copyReason = `${q.to.env} already serves the same state as ${q.from.env}`;
    const sourcePlan = d.plans.forFlag(a.id, q.flagKey, q.from.env);
    const watched = d.watchFor(b.id, q.flagKey, q.to.env) !== undefined;
    const planReason = !sourcePlan
      ? `no plan has run on '${q.flagKey}' in ${q.from.env}`
      : (planBlocks ??
        (watched
          ? null
          : `'${q.flagKey}' in ${q.to.env} has no watch: a plan acts only on a watch's decision (add one first)`));
    return {
      flagKey: q.flagKey,
      from: sideOf(a, q.from.env, sa),
      to: sideOf(b, q.to.env, sb),
      changes,
      warnings,
      blastRadius: { before, after, summary, targetWatched: watched },
      copy: { ok: copyReason === null, reason: copyReason },
      plan: {
        sourcePlanId: sourcePlan?.id ?? null,
        steps: sourcePlan?.policy.steps.map((s) => s.exposure) ?? [],
        ok: planReason === null,
        reason: planReason,
      },
    };
  }

  async function promote(
    req: PromoteRequest,
  ): Promise<{ mode: 'state'; result: RolloutResult } | { mode: 'plan'; plan: PlanView }> {
    const p = await preview(req);
    const user = req.user ?? d.user();
    const src = p.from.state;
    const dst = p.to.state;
    const base = {
      user,
      door: req.door,
      connectionId: req.to.connectionId,
      flagKey: req.flagKey,
      env: req.to.env,
      comment: req.comment,
    };
    const point = { enabled: dst.enabled, exposure: dst.exposure };
    const refuse = (reason: string, code: 'blocked' | 'conflict') => {
      const entry = d.rollout.record({
        ...base,
        action: 'promote',
        from: point,
        to: { enabled: src.enabled, exposure: src.exposure },
        result: 'refused',
        reason,
        error: reason,
        detail: { mode: req.mode, from: req.from, code },
      });
      return new RampartError(code, `${reason}. Nothing was written (audit ${entry.actionId}).`);
    };
    if (
      req.expected &&
      (req.expected.from.enabled !== src.enabled || !sameExposure(req.expected.from.exposure, src.exposure, 1e-9))
    ) {
      throw refuse(
        `'${req.flagKey}' in ${req.from.env} changed since you reviewed it: it is now ${onOff(src.enabled)} at ${formatPercent(src.exposure)}`,
        'conflict',
      );
    }
    if (req.mode === 'plan') {
      if (!p.plan.ok || !p.plan.sourcePlanId)
        throw refuse(`Cannot start the same plan in ${req.to.env}: ${p.plan.reason}`, 'blocked');
      const source = d.plans.forFlag(req.from.connectionId, req.flagKey, req.from.env)!;
      const { steps, bakeMs, minSamples, windows, freezeDates, timeZone, recoveryMs, maxProviderErrors } =
        source.policy;
      const plan = await d.plans.start(
        {
          connectionId: req.to.connectionId,
          flagKey: req.flagKey,
          env: req.to.env,
          policy: { steps, bakeMs, minSamples, windows, freezeDates, timeZone, recoveryMs, maxProviderErrors },
          comment: `${req.comment} (the plan of ${req.from.env}, promoted)`,
        },
        { user, door: req.door },
      );
      d.rollout.record({
        ...base,
        action: 'promote',
        from: point,
        to: point,
        result: 'done',
        detail: { mode: 'plan', planId: plan.id, sourcePlanId: source.id, from: req.from },
      });
      return { mode: 'plan', plan };
    }
    if (!p.copy.ok) throw refuse(`Cannot promote '${req.flagKey}' to ${req.to.env}: ${p.copy.reason}`, 'blocked');
    const result = await d.rollout.setState({
      ...base,
      action: 'promote',
      target: { enabled: src.enabled, exposure: src.exposure },
      expected: req.expected?.to ?? point,
      override: req.override === true,
      detail: {
        from: { ...req.from, enabled: src.enabled, exposure: src.exposure },
        blastRadius: p.blastRadius.summary,
      },
    });
    return { mode: 'state', result };
  }

  return { preview, promote };
}

export type Promote = ReturnType<typeof createPromote>;
