import { RampartError } from '../../../shared/errors';
import { pathOf, type VendorClient } from '../../net/vendor-client';
import { VENDOR } from './gb-client';
import type { RuleEdit } from './gb-drafts';
import { GbFeatureAnswer, type GbFeature, type GbRule } from './gb-schemas';

/**
 * Rule edits on a GrowthBook server older than the drafts endpoints (docs/growthbook.md "Writes"): one legacy
 * `POST /api/v1/features/{id}` carrying each touched environment's whole rule list, which the server publishes at
 * once as a new revision. It is all or nothing, but it has no comment field (GrowthBook records "Created via REST
 * API") and no version check: it applies to whatever is live, so it acts on the very rules Rampart read.
 */

/** Fields of a rule as READ that the update refuses (`additionalProperties: false` in its request schema). */
const READ_ONLY = ['scheduleType', 'rampScheduleId', 'vendorType'];

function asWritten(r: GbRule): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  if (r.type === 'unknown') out.type = r.vendorType;
  for (const k of READ_ONLY) delete out[k];
  return out;
}

/** A patch applied as the server applies it: a coverage below 1 makes a force rule a rollout. */
function patched(rule: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...rule, ...patch };
  if (out.type === 'force' && typeof out.coverage === 'number' && out.coverage < 1) out.type = 'rollout';
  return out;
}

export function rulesAfter(feature: GbFeature, env: string, edits: RuleEdit[]): Record<string, unknown>[] {
  const current = feature.environments[env]?.rules ?? [];
  if (current.some((r) => r.type === 'safe-rollout' || r.type === 'unknown')) {
    const kind = current.find((r) => r.type === 'safe-rollout')
      ? 'a safe-rollout rule'
      : 'a rule of a type Rampart does not know';
    throw new RampartError(
      'blocked',
      `${VENDOR}: this server has no drafts API, and its legacy feature update cannot carry ${kind} (in ${env}); make the change in GrowthBook, or upgrade it`,
    );
  }
  const rules = current.map(asWritten);
  for (const e of edits.filter((x) => x.env === env)) {
    if (!e.ruleId) {
      rules.push(e.rule);
      continue;
    }
    const i = rules.findIndex((r) => r.id === e.ruleId);
    if (i < 0) throw new RampartError('not_found', `${VENDOR}: rule '${e.ruleId}' is not in ${env} any more`);
    rules[i] = patched(rules[i], e.rule);
  }
  return rules;
}

export async function updateDirectly(client: VendorClient, feature: GbFeature, edits: RuleEdit[]): Promise<void> {
  const envs = [...new Set(edits.map((e) => e.env))];
  const environments = Object.fromEntries(envs.map((env) => [env, { rules: rulesAfter(feature, env, edits) }]));
  await client.write('POST', pathOf`/api/v1/features/${feature.id}`, { environments }, GbFeatureAnswer);
}
