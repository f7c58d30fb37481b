import { isRampartError } from '../../../shared/errors';
import type { WriteReport } from '../flag-store';
import type { FsClient } from './fs-client';
import { classifyLog, fsActorOf } from './fs-history';
import { FsAuditEntry, paged, type FsEnvironment } from './fs-schemas';
import { pureSplit, valueText, type LiveFeature } from './fs-state';

/**
 * Concurrent edits detected after a Flagsmith write (issue 9, "No silent lost update"; docs/integrations.md 2.8).
 * Flagsmith has no version check or If-Match (2.7), so Rampart looks afterwards, with two documented sources:
 * - a second read right after the write: a part of the configuration Rampart did not write that differs from the
 *   read the write was based on was changed by someone else meanwhile;
 * - the audit log (`GET /api/v1/projects/{id}/audit/`, newest first, no time filter, 2.6): the entries about this
 *   flag in this environment (and about the segments it is served through) that are not Rampart's own. Rampart's
 *   own are matched by the object they name (`related_object_type` + id, or a v2 version's uuid). Their
 *   `created_date` is in Flagsmith's clock; Rampart's own entry anchors the window there: the read began at most
 *   (that write's answer − read started) before it. With an Admin API key the author is null: then no author is named.
 */

/** What one of Rampart's writes changed, to tell its audit entry and its fields from everybody else's. */
export interface FsWritten {
  type: 'FEATURE_STATE' | 'SEGMENT' | 'EF_VERSION';
  id?: number;
  uuid?: string;
  /** Fingerprint keys (below) this write set: `def.enabled`, `seg:12.rules`, `seg:12` (a new override), … */
  keys: string[];
  /** Local clock: when this write's answer arrived (its audit entry was created before, in Flagsmith's clock). */
  answeredAt: number;
}

export interface FsWriteFacts {
  client: FsClient;
  projectId: number;
  env: FsEnvironment;
  before: LiveFeature;
  after: LiveFeature | undefined;
  written: FsWritten[];
  /** Local clock: when the read the write was based on began. */
  readStartedAt: number;
}

const AuditPage = paged(FsAuditEntry);
/** Without Rampart's own entry to anchor the window: assume the clocks agree within a minute. */
const UNKNOWN_SKEW_MS = 60_000;
const ROUNDING_MS = 2;

/** The parts of a flag's configuration in one environment, each under a key, as comparable text. */
function fingerprint(live: LiveFeature): Map<string, string> {
  const out = new Map<string, string>();
  const put = (scope: string, s: LiveFeature['def']) => {
    if (!s) return;
    out.set(`${scope}.enabled`, s.enabled ? 'on' : 'off');
    out.set(`${scope}.value`, valueText(s.feature_state_value));
    const mv = s.multivariate_feature_state_values ?? [];
    out.set(`${scope}.mv`, mv.map((m) => `${m.multivariate_feature_option}:${m.percentage_allocation}`).join(','));
  };
  put('def', live.def);
  for (const o of live.overrides) {
    put(`seg:${o.segmentId}`, o.state);
    const rules = o.segment?.rules ?? [];
    const split = pureSplit(rules);
    out.set(`seg:${o.segmentId}.rules`, split !== undefined ? `a ${split}% split` : JSON.stringify(rules));
  }
  return out;
}

function keyText(key: string, live: LiveFeature): string {
  const [scope, field] = key.split('.');
  const segment = live.overrides.find((o) => `seg:${o.segmentId}` === scope)?.segment?.name ?? scope.slice(4);
  if (field === 'rules') return `the rules of segment '${segment}'`;
  const where = scope === 'def' ? 'the environment default' : `the override on segment '${segment}'`;
  const what = { enabled: 'the on/off', value: 'the value', mv: 'the allocations' }[field];
  return what ? `${what} of ${where}` : where;
}

/** Keys whose value differs between the two reads and that none of Rampart's writes set. */
export function changedByOthers(f: Pick<FsWriteFacts, 'before' | 'after' | 'written'>): string[] {
  if (!f.after) return [];
  const mine = f.written.flatMap((w) => w.keys);
  const touched = (k: string) => mine.some((m) => k === m || k.startsWith(`${m}.`));
  const a = fingerprint(f.before);
  const b = fingerprint(f.after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => !touched(k) && a.get(k) !== b.get(k)).map((k) => keyText(k, f.after ?? f.before));
}

const ownEntry = (e: FsAuditEntry, w: FsWritten) =>
  e.related_object_type === w.type &&
  (w.uuid ? e.related_object_uuid === w.uuid : w.id !== undefined && e.related_object_id === w.id);

const AUDIT_TIMEOUT_MS = 3_000;

/** The audit entries about this flag (or its segments) since the read that are not Rampart's own. */
async function othersInAudit(f: FsWriteFacts) {
  const segments = new Set([...f.before.overrides, ...(f.after?.overrides ?? [])].map((o) => o.segmentId));
  const relevant = (e: FsAuditEntry) => {
    if (e.related_object_type === 'SEGMENT') return e.related_object_id != null && segments.has(e.related_object_id);
    return e.environment?.id === f.env.id && classifyLog(e.log).feature === f.before.feature.name;
  };
  const since = (items: FsAuditEntry[], start: number) => items.filter((e) => Date.parse(e.created_date) >= start);
  const rough = f.readStartedAt - UNKNOWN_SKEW_MS;
  // Best effort after a write that has landed: one attempt per page with a short deadline, so a slow audit log
  // delays the answer by seconds, not by the read budget × retries (a rollback waited 40 s on it).
  const entries = await f.client.all(
    `/api/v1/projects/${f.projectId}/audit/`,
    AuditPage,
    (items) => items.some((e) => Date.parse(e.created_date) < rough - UNKNOWN_SKEW_MS),
    { attempts: 1, timeoutMs: Math.min(AUDIT_TIMEOUT_MS, f.client.timeouts.readMs) },
  );
  const mine = new Set<number>();
  // Each own entry was created after the read began and before its answer arrived, so the read began no later than
  // (entry's time − (answer − read start)) in Flagsmith's clock. Measured to each write's own answer — not to the
  // end of the whole write with its read-back — so the window does not reach back over Rampart's previous write.
  let start = Infinity;
  for (const w of f.written) {
    const own = entries.find((e) => !mine.has(e.id) && ownEntry(e, w));
    if (!own) continue;
    mine.add(own.id);
    start = Math.min(start, Date.parse(own.created_date) - (w.answeredAt - f.readStartedAt) - ROUNDING_MS);
  }
  const anchored = Number.isFinite(start);
  if (!anchored) start = rough;
  return { others: since(entries, start).filter((e) => relevant(e) && !mine.has(e.id)), anchored };
}

function entryText(e: FsAuditEntry): string {
  const who = fsActorOf(e) ?? 'someone (the audit log names no author: an API key)';
  return `${who}: "${e.log}" at ${new Date(Date.parse(e.created_date)).toISOString().slice(11, 19)} UTC`;
}

export async function checkFlagsmithWrite(f: FsWriteFacts): Promise<WriteReport> {
  const name = `'${f.before.feature.name}' in ${f.env.name}`;
  const changed = changedByOthers(f);
  let audit: Awaited<ReturnType<typeof othersInAudit>> | undefined;
  let unread = '';
  try {
    audit = await othersInAudit(f);
  } catch (e) {
    unread = ` (Rampart could not read Flagsmith's audit log: ${isRampartError(e) ? e.message : String(e)})`;
  }
  const others = audit?.others ?? [];
  if (others.length === 0 && changed.length === 0)
    return unread
      ? { note: `The write landed; whether someone else edited ${name} meanwhile is unknown${unread}.` }
      : {};
  // The same object as one Rampart wrote (a v2 version replaces the feature's states: any other version overlaps).
  const overlap = others.some((e) =>
    f.written.some(
      (w) => e.related_object_type === w.type && (w.type === 'EF_VERSION' || e.related_object_id === w.id),
    ),
  );
  const parts = [
    others.length
      ? `Flagsmith's audit log shows ${others.length === 1 ? 'a change' : `${others.length} changes`} to ${name} by others while Rampart read and wrote it: ${others.map(entryText).join('; ')}`
      : `Something else changed ${name} while Rampart read and wrote it, and Flagsmith's audit log does not show who${unread}`,
    changed.length ? `the read after the write shows ${changed.join(', ')} changed` : '',
    overlap
      ? 'Flagsmith has no version check: where it changed what Rampart wrote, Rampart replaced it'
      : "Rampart's write did not set what it changed",
  ];
  return {
    concurrentEdit: {
      at: others[0] ? Date.parse(others[0].created_date) : Date.now(),
      ...(others[0] && fsActorOf(others[0]) ? { actor: fsActorOf(others[0]) } : {}),
      summary: `${parts.filter(Boolean).join('; ')}.${audit && !audit.anchored ? " (Rampart's own audit entry was not found: the window is approximate.)" : ''}`,
    },
  };
}
