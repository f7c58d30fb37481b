import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RampartError, isRampartError } from '../../../shared/errors';
import { pathOf, type VendorClient } from '../../net/vendor-client';
import { isUnknownEndpoint, VENDOR } from './gb-client';
import { GbRevisionAnswer, GbRevisionsPage, type GbFeature, type GbRevision } from './gb-schemas';

/**
 * Rule edits land as ONE published revision (docs/growthbook.md "Writes"): create a draft branched from the live
 * revision (`POST /api/v1/features/{id}/revisions`), check that it branched from the revision Rampart decided on
 * (the vendor-level version check), apply each edit to it, publish it with the comment — all or nothing. A draft
 * is never left half-applied: any failure before the publish discards it, a publish whose outcome is unknown is
 * settled by reading the draft back, and what could not be cleaned up is said in the error.
 */

export interface RuleEdit {
  env: string;
  /** The rule to patch; absent: `rule` is a new rule appended to the environment's list. */
  ruleId?: string;
  rule: Record<string, unknown>;
}

export interface DraftCtx {
  client: VendorClient;
  feature: GbFeature;
  comment: string;
  /** The live revision the decision was made on. */
  basisVersion: number;
}

const Discarded = z.looseObject({});
const DRAFT_STATUSES = new Set(['draft', 'approved', 'changes-requested', 'pending-review']);

/** Thrown when the server has no drafts API: the caller publishes directly (gb-direct.ts). */
export class NoDraftsApi extends Error {}

function revPath(ctx: DraftCtx, version: number, tail = ''): string {
  return `${pathOf`/api/v1/features/${ctx.feature.id}/revisions/${version}`}${tail}`;
}

/** The error, with a sentence appended about what happened to the draft. */
function withNote(e: unknown, note: string): unknown {
  return isRampartError(e) ? new RampartError(e.code, `${e.message} (${note})`, e.details) : e;
}

async function discard(ctx: DraftCtx, version: number): Promise<string> {
  try {
    await ctx.client.write('POST', revPath(ctx, version, '/discard'), {}, Discarded);
    return `nothing was published; Rampart discarded its draft v${version}`;
  } catch (e) {
    return `Rampart could not discard its draft v${version} (${isRampartError(e) ? e.code : 'error'}): discard it in GrowthBook`;
  }
}

/** After a create whose outcome is unknown: find the draft by Rampart's title and discard it. */
async function discardByTitle(ctx: DraftCtx, title: string): Promise<string> {
  try {
    const drafts = await ctx.client.all(
      pathOf`/api/v1/features/${ctx.feature.id}/revisions`,
      GbRevisionsPage,
      { kind: 'offset', limit: 100, items: (p) => p.revisions, nextOffset: (p) => (p.hasMore ? p.nextOffset : null) },
      { query: { status: 'draft' } },
    );
    const ours = drafts.filter((d) => d.title === title);
    const notes = await Promise.all(ours.map((d) => discard(ctx, d.version)));
    return ours.length ? notes.join('; ') : 'no draft of Rampart was left';
  } catch {
    return `Rampart could not check for a draft titled '${title}': look for it in GrowthBook`;
  }
}

/** A publish that failed: did it land anyway (a slow server), or is the draft still a draft to discard? */
async function settlePublish(ctx: DraftCtx, version: number, cause: unknown): Promise<void> {
  let now: GbRevision;
  try {
    now = (await ctx.client.read(revPath(ctx, version), GbRevisionAnswer)).revision;
  } catch {
    throw withNote(cause, `draft v${version} may be left unpublished or published; Rampart could not read it back`);
  }
  if (now.status === 'published') return; // it landed: the read-back of the caller confirms the state
  if (DRAFT_STATUSES.has(now.status)) throw withNote(cause, await discard(ctx, version));
  throw withNote(cause, `draft v${version} is now '${now.status}'`);
}

async function applyOne(ctx: DraftCtx, version: number, edit: RuleEdit): Promise<void> {
  const body = { environment: edit.env, rule: edit.rule, revisionComment: ctx.comment };
  if (edit.ruleId)
    await ctx.client.write('PUT', revPath(ctx, version, pathOf`/rules/${edit.ruleId}`), body, GbRevisionAnswer);
  else await ctx.client.write('POST', revPath(ctx, version, '/rules'), body, GbRevisionAnswer);
}

/** Create → check → apply → publish; returns the published version. Throws NoDraftsApi on servers without drafts. */
export async function publishEdits(ctx: DraftCtx, edits: RuleEdit[]): Promise<number> {
  const title = `Rampart ${randomUUID().slice(0, 8)}`;
  let draft: GbRevision;
  try {
    const created = await ctx.client.write(
      'POST',
      pathOf`/api/v1/features/${ctx.feature.id}/revisions`,
      { comment: ctx.comment, title },
      GbRevisionAnswer,
      { query: { overrideDraftLimit: 'true' } },
    );
    draft = created.revision;
  } catch (e) {
    if (isUnknownEndpoint(e)) throw new NoDraftsApi();
    // Refused outright (4xx): nothing was created. Otherwise it may exist: find it by its title.
    const refused =
      isRampartError(e) &&
      ['bad_request', 'unauthorized', 'not_found', 'conflict', 'approval_required', 'rate_limited'].includes(e.code);
    throw refused ? e : withNote(e, await discardByTitle(ctx, title));
  }
  try {
    if (draft.baseVersion !== ctx.basisVersion) {
      throw new RampartError(
        'conflict',
        `${VENDOR}: '${ctx.feature.id}' changed since Rampart read it (live revision ${ctx.basisVersion} → ${draft.baseVersion})`,
        {
          flagKey: ctx.feature.id,
          basisVersion: ctx.basisVersion,
          liveVersion: draft.baseVersion,
        },
      );
    }
    for (const edit of edits) await applyOne(ctx, draft.version, edit);
  } catch (e) {
    throw withNote(e, await discard(ctx, draft.version));
  }
  try {
    const published = await ctx.client.write(
      'POST',
      revPath(ctx, draft.version, '/publish'),
      { comment: ctx.comment },
      GbRevisionAnswer,
    );
    if (published.revision.status !== 'published') {
      throw new RampartError(
        'vendor_error',
        `${VENDOR}: publishing draft v${draft.version} left it '${published.revision.status}'`,
      );
    }
  } catch (e) {
    await settlePublish(ctx, draft.version, e);
  }
  return draft.version;
}
