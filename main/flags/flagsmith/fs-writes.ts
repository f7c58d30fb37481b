import { z } from 'zod';
import { RampartError, isRampartError } from '../../../shared/errors';
import { isV2Refusal, VENDOR, type FsClient } from './fs-client';
import type { FsWritten } from './fs-concurrent-edits';
import { listFeatures, listSegments } from './fs-read';
import {
  FsAssociatedFeature,
  FsSegment,
  paged,
  type FsEnvironment,
  type FsFeatureState,
  type FsValue,
} from './fs-schemas';
import {
  formatSplit,
  isMultivariate,
  pureSplit,
  rampOf,
  round2,
  scaledAllocations,
  withSplit,
  type LiveFeature,
} from './fs-state';

/**
 * Writes to Flagsmith. It has no version check (docs/integrations.md 2.7), so every write acts on the read the
 * rollout service compared with what the user saw (or a fresh one), and touches only what it must. A v1 environment takes legacy feature-state PATCHes; a
 * v2-versioned one refuses them (400 `direct_feature_state_write_not_allowed`) and takes one new published version
 * instead — also used when an environment was switched to v2 after Rampart read it. Exposure writes per 2.4:
 * the ramp segment's PERCENTAGE_SPLIT, or multivariate allocations; a first ramp creates the segment and override.
 */

export interface WriteCtx {
  client: FsClient;
  projectId: number;
  env: FsEnvironment;
  live: LiveFeature;
  comment: string;
  /** Filled with what each write set, for the concurrent-edit check after it (fs-concurrent-edits.ts). */
  written?: FsWritten[];
}

interface StateChange {
  state: FsFeatureState;
  /** null: the environment default; otherwise the override's segment id. */
  segmentId: number | null;
  patch: {
    enabled?: boolean;
    mv?: { id?: number; multivariate_feature_option: number; percentage_allocation: number }[];
  };
}

/**
 * Write answers are parsed too. Should one be malformed after the write applied, the error says so and the caller's
 * read-back settles what happened.
 */
const WrittenState = z.looseObject({ id: z.number().int() });
const WrittenVersion = z.looseObject({ uuid: z.string().min(1) });

function valueObject(v: FsValue | null | undefined) {
  return {
    type: v?.type || 'unicode',
    string_value: v?.string_value ?? null,
    integer_value: v?.integer_value ?? null,
    boolean_value: v?.boolean_value ?? null,
  };
}

const blocked = (message: string) => new RampartError('blocked', `${VENDOR}: ${message}`);

/** The fingerprint keys a state change sets (fs-concurrent-edits.ts). */
function keysOf(c: StateChange): string[] {
  const scope = c.segmentId === null ? 'def' : `seg:${c.segmentId}`;
  return [...(c.patch.enabled !== undefined ? [`${scope}.enabled`] : []), ...(c.patch.mv ? [`${scope}.mv`] : [])];
}

async function patchSplit(ctx: WriteCtx, segment: FsSegment, percent: number): Promise<void> {
  await ctx.client.write(
    'PATCH',
    `/api/v1/projects/${ctx.projectId}/segments/${segment.id}/`,
    { rules: withSplit(segment.rules, percent) },
    FsSegment,
  );
  ctx.written?.push({ type: 'SEGMENT', id: segment.id, keys: [`seg:${segment.id}.rules`], answeredAt: Date.now() });
}

/** One new version, published now, carrying every change (all-or-nothing, and it records the comment). */
async function publish(
  ctx: WriteCtx,
  updates: StateChange[],
  creates: unknown[],
  createdKeys: string[] = [],
): Promise<void> {
  const body = {
    description: ctx.comment,
    publish_immediately: true,
    feature_states_to_update: updates.map((c) => ({
      feature_segment: c.segmentId === null ? null : { segment: c.segmentId },
      enabled: c.patch.enabled ?? c.state.enabled,
      feature_state_value: valueObject(c.state.feature_state_value),
      ...(c.patch.mv
        ? {
            multivariate_feature_state_values: c.patch.mv.map((m) => ({
              multivariate_feature_option: m.multivariate_feature_option,
              percentage_allocation: m.percentage_allocation,
            })),
          }
        : {}),
    })),
    feature_states_to_create: creates,
  };
  const version = await ctx.client.write(
    'POST',
    `/api/v1/environments/${ctx.env.id}/features/${ctx.live.feature.id}/versions/`,
    body,
    WrittenVersion,
  );
  ctx.written?.push({
    type: 'EF_VERSION',
    uuid: version.uuid,
    keys: [...updates.flatMap(keysOf), ...createdKeys],
    answeredAt: Date.now(),
  });
}

async function legacy(ctx: WriteCtx, c: StateChange): Promise<void> {
  const body = {
    ...(c.patch.enabled !== undefined ? { enabled: c.patch.enabled } : {}),
    ...(c.patch.mv ? { multivariate_feature_state_values: c.patch.mv } : {}),
  };
  const path =
    c.segmentId === null
      ? `/api/v1/environments/${encodeURIComponent(ctx.env.api_key)}/featurestates/${c.state.id}/`
      : `/api/v1/features/featurestates/${c.state.id}/`;
  await ctx.client.write('PATCH', path, body, WrittenState);
  ctx.written?.push({ type: 'FEATURE_STATE', id: c.state.id, keys: keysOf(c), answeredAt: Date.now() });
}

async function applyStateChanges(ctx: WriteCtx, changes: StateChange[]): Promise<void> {
  if (changes.length === 0) return;
  if (ctx.env.use_v2_feature_versioning) return publish(ctx, changes, []);
  for (let i = 0; i < changes.length; i++) {
    try {
      await legacy(ctx, changes[i]);
    } catch (e) {
      // Refused before anything was applied: the environment is v2-versioned now. Send the rest as one version.
      if (isV2Refusal(e)) return publish(ctx, changes.slice(i), []);
      if (i > 0 && isRampartError(e)) {
        throw new RampartError(
          e.code,
          `${e.message} (the earlier change${i > 1 ? 's' : ''} of this action did apply; read the flag back)`,
          e.details,
        );
      }
      throw e;
    }
  }
}

/** Refuses to move a split that other flags or environments also use: it would ramp them too. */
async function assertExclusive(ctx: WriteCtx, segment: FsSegment): Promise<void> {
  const rows = await ctx.client.all(
    `/api/v1/projects/${ctx.projectId}/segments/${segment.id}/associated-features/`,
    paged(FsAssociatedFeature),
  );
  const others = rows.filter((r) => !(r.feature === ctx.live.feature.id && r.environment === ctx.env.id));
  if (others.length === 0) return;
  const names = new Map((await listFeatures(ctx.client, ctx.projectId)).map((f) => [f.id, f.name]));
  const list = [
    ...new Set(others.map((r) => `'${names.get(r.feature) ?? `#${r.feature}`}' (environment ${r.environment})`)),
  ].join(', ');
  throw blocked(
    `segment '${segment.name}' is also used by ${list}; changing its split would ramp them too. Give '${ctx.live.feature.name}' its own % split segment.`,
  );
}

function rampSegmentName(ctx: WriteCtx): string {
  return `rampart-ramp/${ctx.live.feature.name}/${ctx.env.name}`;
}

/** A first ramp for a standard flag: a split segment of its own, then an override serving the flag on to it. */
async function createRamp(ctx: WriteCtx, percent: number): Promise<void> {
  const name = rampSegmentName(ctx);
  let segment = (await listSegments(ctx.client, ctx.projectId)).find((s) => s.name === name);
  if (segment) {
    if (pureSplit(segment.rules) === undefined)
      throw blocked(`segment '${name}' exists but is not a plain % split; fix or rename it in Flagsmith`);
    await assertExclusive(ctx, segment);
    if (round2(pureSplit(segment.rules) as number) !== round2(percent)) await patchSplit(ctx, segment, percent);
  } else {
    const rules = [
      {
        type: 'ALL',
        rules: [],
        conditions: [{ operator: 'PERCENTAGE_SPLIT', property: '$.identity.key', value: formatSplit(percent) }],
      },
    ];
    segment = await ctx.client.write(
      'POST',
      `/api/v1/projects/${ctx.projectId}/segments/`,
      { name, project: ctx.projectId, rules },
      FsSegment,
    );
    ctx.written?.push({ type: 'SEGMENT', id: segment.id, keys: [`seg:${segment.id}`], answeredAt: Date.now() });
  }
  const override = {
    enabled: true,
    feature_state_value: valueObject(ctx.live.def?.feature_state_value),
    feature_segment: { segment: segment.id },
  };
  const keys = [`seg:${segment.id}`];
  if (ctx.env.use_v2_feature_versioning) return publish(ctx, [], [override], keys);
  try {
    const state = await ctx.client.write(
      'POST',
      `/api/v1/environments/${encodeURIComponent(ctx.env.api_key)}/features/${ctx.live.feature.id}/create-segment-override/`,
      override,
      WrittenState,
    );
    ctx.written?.push({ type: 'FEATURE_STATE', id: state.id, keys, answeredAt: Date.now() });
  } catch (e) {
    if (!isV2Refusal(e)) throw e;
    await publish(ctx, [], [override], keys);
  }
}

/**
 * Moves the exposure to `percent` (already range-checked and rounded to EXPOSURE_STEP by the rollout service, which
 * also compared the live state with what the user saw). Flagsmith has no version check (docs/integrations.md 2.7).
 */
export async function setExposure(ctx: WriteCtx, percent: number): Promise<void> {
  const { live } = ctx;
  const ramp = rampOf(live);
  if ((ramp || !isMultivariate(live.feature)) && live.def?.enabled) {
    throw blocked(
      `the environment default of '${live.feature.name}' in ${ctx.env.name} is on, so everyone is served on whatever the split; turn the default off in Flagsmith before ramping`,
    );
  }
  if (ramp) {
    await assertExclusive(ctx, ramp.override.segment);
    if (round2(ramp.split) === round2(percent)) return;
    return patchSplit(ctx, ramp.override.segment, percent);
  }
  if (isMultivariate(live.feature)) {
    if (!live.def)
      throw new RampartError(
        'vendor_error',
        `${VENDOR}: '${live.feature.name}' has no environment default state in ${ctx.env.name}`,
      );
    if (live.feature.multivariate_options.length === 0)
      throw new RampartError('bad_request', `${VENDOR}: '${live.feature.name}' has no variant options to allocate`);
    const mv = scaledAllocations(
      live.feature.multivariate_options,
      live.def.multivariate_feature_state_values,
      percent,
    );
    return applyStateChanges(ctx, [{ state: live.def, segmentId: null, patch: { mv } }]);
  }
  return createRamp(ctx, percent);
}

/**
 * The kill switch: every feature state of this environment that can serve the flag on — the environment default and
 * EVERY segment override, not only the ramp's — is turned off, in one published version on a v2 environment (all or
 * nothing). Disabled in Flagsmith serves the control (the flag off, the control value) to everyone in those states.
 * Identity overrides are left as they are and reported by the read-back (fs-reach.ts).
 */
export async function rollBack(ctx: WriteCtx): Promise<void> {
  const { live } = ctx;
  const changes: StateChange[] = [];
  if (live.def?.enabled) changes.push({ state: live.def, segmentId: null, patch: { enabled: false } });
  for (const o of live.overrides)
    if (o.state?.enabled) changes.push({ state: o.state, segmentId: o.segmentId, patch: { enabled: false } });
  await applyStateChanges(ctx, changes);
}

/**
 * On/off. With a ramp segment, "off" turns off both the override and the environment default (nobody is served
 * the flag), and "on" turns the override back on (the split decides again). Without one, the default is toggled.
 */
export async function setEnabled(ctx: WriteCtx, on: boolean): Promise<void> {
  const { live } = ctx;
  const ramp = rampOf(live);
  const changes: StateChange[] = [];
  if (ramp) {
    const o = ramp.override;
    if (!on && o.state.enabled) changes.push({ state: o.state, segmentId: o.segmentId, patch: { enabled: false } });
    if (!on && live.def?.enabled) changes.push({ state: live.def, segmentId: null, patch: { enabled: false } });
    if (on && !o.state.enabled && !live.def?.enabled)
      changes.push({ state: o.state, segmentId: o.segmentId, patch: { enabled: true } });
  } else {
    if (!live.def)
      throw new RampartError(
        'vendor_error',
        `${VENDOR}: '${live.feature.name}' has no environment default state in ${ctx.env.name}`,
      );
    if (live.def.enabled !== on) changes.push({ state: live.def, segmentId: null, patch: { enabled: on } });
  }
  await applyStateChanges(ctx, changes);
}
