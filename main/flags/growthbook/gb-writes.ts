import { formatPercent } from '../../../shared/domain/flags';
import { RampartError } from '../../../shared/errors';
import { pathOf, type VendorClient } from '../../net/vendor-client';
import type { WriteReport } from '../flag-store';
import { VENDOR } from './gb-client';
import { updateDirectly } from './gb-direct';
import { NoDraftsApi, publishEdits, type RuleEdit } from './gb-drafts';
import { offServesControl, pathsToOther } from './gb-reach';
import { Toggled, type GbFeature, type GbFeatureEnv } from './gb-schemas';
import { controlOf, coverageOf, DEFAULT_HASH_ATTRIBUTE, exposureOf, rampOf, treatmentOf } from './gb-state';

/**
 * GrowthBook writes (docs/growthbook.md "Writes"): rule edits as one published draft (or, on servers without the
 * drafts API, one legacy update), on/off through `POST /features/{id}/toggle` with the comment as its `reason`.
 * Range, rounding and the compare with what the user saw are the rollout service's (issue 13); here only the
 * vendor-level check: the draft must branch from the live revision the decision was made on.
 */

export interface WriteCtx {
  client: VendorClient;
  feature: GbFeature;
  env: string;
  comment: string;
  /** `feature.revision.version` of the read the decision was made on. */
  basisVersion: number;
  /** 'auto' until a write finds out; 'direct' once the server proved to have no drafts API. */
  mode: { writes: 'auto' | 'drafts' | 'direct' };
}

const DIRECT_NOTE =
  'this GrowthBook server has no drafts API: the change was published by its legacy feature update, which records no comment and checks no version';

function envOf(ctx: WriteCtx): GbFeatureEnv {
  const env = ctx.feature.environments[ctx.env];
  if (!env)
    throw new RampartError('not_found', `${VENDOR}: feature '${ctx.feature.id}' has no environment '${ctx.env}'`, {
      flagKey: ctx.feature.id,
      env: ctx.env,
    });
  return env;
}

/** The edits, as one revision; a note when they went the legacy way. */
async function land(ctx: WriteCtx, edits: RuleEdit[]): Promise<WriteReport> {
  if (edits.length === 0) return {};
  if (ctx.mode.writes !== 'direct') {
    try {
      await publishEdits(
        { client: ctx.client, feature: ctx.feature, comment: ctx.comment, basisVersion: ctx.basisVersion },
        edits,
      );
      ctx.mode.writes = 'drafts';
      return {};
    } catch (e) {
      if (!(e instanceof NoDraftsApi)) throw e;
      ctx.mode.writes = 'direct';
    }
  }
  await updateDirectly(ctx.client, ctx.feature, edits);
  return { note: DIRECT_NOTE };
}

/** The ramp rule's coverage to `percent` (already rounded by the rollout service); a first ramp adds the rule. */
export async function setExposure(ctx: WriteCtx, percent: number): Promise<WriteReport> {
  const env = envOf(ctx);
  const ramp = rampOf(ctx.feature, env);
  const coverage = coverageOf(percent);
  if (ramp) {
    if (exposureOf(ramp) === percent) return {};
    // A rollout ramped to 100 % comes back as `force`, whose view may lack the hash attribute a rollout needs again.
    const hash =
      ramp.type === 'force' && !ramp.hashAttribute && coverage < 1 ? { hashAttribute: DEFAULT_HASH_ATTRIBUTE } : {};
    return land(ctx, [{ env: ctx.env, ruleId: ramp.id, rule: { coverage, ...hash } }]);
  }
  if (percent === 0) return {};
  const treatment = treatmentOf(ctx.feature, env);
  if (treatment === undefined) {
    throw new RampartError(
      'blocked',
      `${VENDOR}: '${ctx.feature.id}' is a ${ctx.feature.valueType} feature with no rollout rule in ${ctx.env}, so Rampart does not know which value is the treatment; add a rollout rule serving it in GrowthBook (any coverage), then ramp it here`,
    );
  }
  const rule = {
    type: 'rollout',
    value: treatment,
    coverage,
    hashAttribute: DEFAULT_HASH_ATTRIBUTE,
    description: 'Ramp (Rampart)',
    enabled: true,
  };
  return land(ctx, [{ env: ctx.env, rule }]);
}

/** On/off of one environment: GrowthBook's own toggle, the comment as its `reason` (kept in its audit log). */
export async function setEnabled(ctx: WriteCtx, on: boolean): Promise<WriteReport> {
  envOf(ctx);
  await ctx.client.write(
    'POST',
    pathOf`/api/v1/features/${ctx.feature.id}/toggle`,
    { reason: ctx.comment, environments: { [ctx.env]: on } },
    Toggled,
  );
  return {};
}

/**
 * The kill switch (gb-reach.ts): off when off serves the control; otherwise every rule that can serve another value
 * stops doing so in one revision — the ramp to 0 % (it stays the ramp), every other such rule disabled. What no
 * edit can close is said in the report; when nothing can be done at all, the rollback is refused before writing.
 */
export async function rollBack(ctx: WriteCtx): Promise<WriteReport> {
  const env = envOf(ctx);
  if (offServesControl(ctx.feature, env)) {
    await setEnabled(ctx, false);
    return {};
  }
  const ramp = rampOf(ctx.feature, env);
  const paths = pathsToOther(ctx.feature, env);
  const edits: RuleEdit[] = [];
  for (const p of paths) {
    if (!p.rule || p.rule.type === 'unknown') continue;
    if (p.rule === ramp)
      edits.push({
        env: ctx.env,
        ruleId: ramp.id,
        rule: {
          coverage: 0,
          ...(ramp.type === 'force' && !ramp.hashAttribute ? { hashAttribute: DEFAULT_HASH_ATTRIBUTE } : {}),
        },
      });
    else edits.push({ env: ctx.env, ruleId: p.rule.id, rule: { enabled: false } });
  }
  const left = paths.filter((p) => !p.rule || p.rule.type === 'unknown').map((p) => p.what);
  const control = controlOf(ctx.feature, env);
  if (edits.length === 0 && left.length > 0) {
    throw new RampartError(
      'blocked',
      `${VENDOR}: no rule edit can serve the control '${control}' to ${left.join(', ')} in ${ctx.env}; turning the flag off would serve the SDKs' in-code fallback instead. Change it in GrowthBook.`,
    );
  }
  const report = await land(ctx, edits);
  const why = `${ctx.feature.valueType === 'boolean' ? `its control is '${control}'` : `it is a ${ctx.feature.valueType} feature`}, so off (null) would not serve the control`;
  const rampEdited = edits.some((e) => ramp !== undefined && e.ruleId === ramp.id);
  const others = edits.length - (rampEdited ? 1 : 0);
  const did =
    [
      rampEdited ? `set the ramp to ${formatPercent(0)}` : '',
      others ? `disabled ${others} other rule${others === 1 ? '' : 's'} serving another value` : '',
    ]
      .filter(Boolean)
      .join(' and ') || 'found no rule serving another value';
  const note = `Rampart kept ${ctx.env} on and ${did}, since ${why}${left.length ? `; still not the control: ${left.join(', ')}` : ''}`;
  return { note: report.note ? `${note}; ${report.note}` : note };
}
