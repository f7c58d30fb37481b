import { isRampartError, RampartError } from '../../../shared/errors';
import type { WriteReport } from '../flag-store';
import type { LdClient } from './ld-client';
import { actorOf, changesFromEntry, parseSpec } from './ld-history';
import { LdAuditDetail, LdAuditPage, LdFlag } from './ld-schemas';

/**
 * Concurrent edits detected after a LaunchDarkly write (issue 9, "No silent lost update"; docs/integrations.md 3.7).
 *
 * LaunchDarkly increments a flag's `_version` on every change and answers a PATCH with the flag as it now is
 * (https://launchdarkly.com/docs/api/feature-flags/patch-feature-flag). A semantic patch carries no version
 * precondition (3.4), so when the answer's `_version` is more than the version Rampart read plus its own one, other
 * changes landed between the read and the write. Which ones: the audit log's detailed entries carry the flag as it
 * was after each change (`currentVersion`, https://launchdarkly.com/docs/api/audit-log/get-audit-log-entry), so an
 * entry belongs to the gap exactly when its `currentVersion._version` lies in it — no clock comparison decides it.
 * Time only bounds the search (LaunchDarkly's clock and ours may differ: a wide margin).
 */

/** How far LaunchDarkly's clock may be from ours when bounding the audit search. */
const CLOCK_MARGIN_MS = 5 * 60_000;
/** Detailed entries read at most (one request each): beyond that, say how many changes stay unidentified. */
const MAX_DETAILS = 20;

export interface VersionGap {
  flagKey: string;
  env: string;
  /** The flag's `_version` in the read the write was based on. */
  readVersion: number;
  /** When that read was answered (local clock). */
  readAt: number;
  /** The flag as LaunchDarkly answered the write, or as re-read when Rampart sent nothing more. */
  answer: LdFlag;
  /** The versions Rampart's own writes made (none when it sent nothing more: the wanted state was there). */
  ownVersions: number[];
  /** What Rampart's write did, for the sentence saying what became of the other change. */
  write: 'ramp' | 'rollback';
  /** What of the other change Rampart's rollback had to undo (its off variation moved to the treatment). */
  undid?: string;
}

interface FoundEdit {
  version: number;
  at: number;
  actor?: string;
  env?: string;
  what: string;
}

function consequence(gap: VersionGap): string {
  if (gap.ownVersions.length === 0) return 'Rampart sent nothing more: the flag was already in the state it wanted.';
  return gap.write === 'rollback'
    ? `Rampart's rollback was applied on top of it: the flag is off in ${gap.env} whatever it changed${gap.undid ? `, Rampart ${gap.undid}` : ''}, and the rest of it stands.`
    : `Rampart's rollout was applied on top of it: a change to the default rule's rollout was replaced, the rest of it stands.`;
}

/**
 * The audit log is read after a write that has landed, to say who edited in between: a best effort with one overall
 * deadline (a listing plus up to MAX_DETAILS entry reads could otherwise hold a rollback's answer for minutes).
 */
const AUDIT_BUDGET_MS = 5_000;

function withinBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RampartError('timeout', `no answer within ${ms / 1000} s`)), ms);
  });
  work.catch(() => undefined); // abandoned after the deadline: its failure is nobody's to report
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Entries of the gap, read from the audit log, newest first; stops once every missing version is accounted for. */
async function editsInGap(client: LdClient, project: string, gap: VersionGap, missing: Set<number>) {
  const q = new URLSearchParams({
    spec: `proj/${project}:env/*:flag/${gap.flagKey}`,
    after: String(gap.readAt - CLOCK_MARGIN_MS),
    before: String(Date.now() + CLOCK_MARGIN_MS),
    limit: '20',
  });
  const entries = await client.allPages(`/api/v2/auditlog?${q}`, LdAuditPage);
  const found: FoundEdit[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (found.length >= missing.size || seen.size >= MAX_DETAILS) break;
    if (seen.has(entry._id) || (entry.kind && entry.kind !== 'flag')) continue;
    seen.add(entry._id);
    const detail = await client.get(`/api/v2/auditlog/${encodeURIComponent(entry._id)}`, LdAuditDetail);
    const after = LdFlag.safeParse(detail.currentVersion);
    if (!after.success || !missing.has(after.data._version)) continue;
    const resources = detail.target?.resources ?? detail.accesses?.map((a) => a.resource ?? '') ?? [];
    const env = resources.map((r) => parseSpec(r).env).find((e) => e && e !== '*');
    const labels = env ? changesFromEntry('', detail, gap.flagKey, env).map((c) => c.label) : [];
    found.push({
      version: after.data._version,
      at: detail.date,
      actor: actorOf(detail),
      env,
      what: labels.join(', ') || detail.shortDescription || detail.titleVerb || 'changed the flag',
    });
  }
  return found;
}

function editText(e: FoundEdit): string {
  const when = new Date(e.at).toISOString().slice(11, 19);
  return `${e.actor ?? 'someone (the audit log does not say who)'} ${e.what}${e.env ? ` in ${e.env}` : ''} at ${when} UTC (version ${e.version})`;
}

/** Nothing when the versions add up; otherwise who changed what in between, as far as the audit log tells. */
export async function checkVersionGap(client: LdClient, project: string, gap: VersionGap): Promise<WriteReport> {
  const last = gap.answer._version;
  const missing = new Set<number>();
  for (let v = gap.readVersion + 1; v <= last; v++) if (!gap.ownVersions.includes(v)) missing.add(v);
  if (missing.size === 0) return {};
  const moved = `LaunchDarkly's flag version moved from ${gap.readVersion} to ${last}`;
  let found: FoundEdit[] = [];
  let unread = '';
  try {
    found = await withinBudget(editsInGap(client, project, gap, missing), AUDIT_BUDGET_MS);
  } catch (e) {
    unread = ` (Rampart could not read LaunchDarkly's audit log: ${isRampartError(e) ? e.message : String(e)})`;
  }
  const here = found.filter((e) => e.env === undefined || e.env === gap.env);
  const elsewhere = found.filter((e) => e.env !== undefined && e.env !== gap.env);
  const unknown = missing.size - found.length;
  if (here.length === 0 && unknown === 0) {
    return {
      note: `${moved}: ${elsewhere.map(editText).join('; ')} — another environment, so Rampart's write in ${gap.env} did not touch it.`,
    };
  }
  const parts = here.map(editText);
  if (unknown > 0)
    parts.push(
      `${unknown === missing.size ? 'another change' : `${unknown} more change${unknown === 1 ? '' : 's'}`} landed between Rampart's read and its write${unread || (found.length ? '' : ' and the audit log does not show which')}`,
    );
  if (elsewhere.length) parts.push(`in other environments: ${elsewhere.map(editText).join('; ')}`);
  return {
    concurrentEdit: {
      at: here[0]?.at ?? Date.now(),
      ...(here[0]?.actor ? { actor: here[0].actor } : {}),
      summary: `${moved}: ${parts.join('; ')}. ${consequence(gap)}${unknown > 0 ? " Check the flag's change history in LaunchDarkly." : ''}`,
    },
  };
}
