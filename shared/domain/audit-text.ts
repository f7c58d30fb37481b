import type { AuditEntry } from './audit';
import { formatPercent } from './flags';

/**
 * The words every door uses for an audit row and a write's result (issue 9, F3/F5): the CLI's `audit list` and
 * write lines and the renderer's Audit view and toasts read them from here, so they say the same thing.
 */

type Point = AuditEntry['from'];

/** A flag state in a row: "on 30%", "off (code default)" — off means the application's own default is served. */
export function pointText(p: Point): string {
  if (p.enabled === false) return 'off (code default)';
  if (p.enabled === null) return formatPercent(p.exposure);
  return p.exposure === null ? 'on' : `on ${formatPercent(p.exposure)}`;
}

/** A FlagPoint taken from an untyped audit detail (`readBack`, `live`), or null when it is not one. */
function pointIn(v: unknown): Point | null {
  if (!v || typeof v !== 'object') return null;
  const { enabled, exposure } = v as Record<string, unknown>;
  if (typeof enabled !== 'boolean' && enabled !== null) return null;
  if (typeof exposure !== 'number' && exposure !== null) return null;
  return { enabled, exposure };
}

/**
 * FROM → TO as it happened: the TO of a confirmed action is its read-back (a rollback aims at "no unit served", which
 * the store may reach by turning the flag off, so its target alone reads "0% → 0%"), else what was asked.
 */
export function fromToText(e: Pick<AuditEntry, 'from' | 'to' | 'detail' | 'result'>): string {
  const confirmed = e.result === 'done' || e.result === 'reconciled-done';
  const to = (confirmed ? pointIn(e.detail?.readBack) : null) ?? e.to;
  return `${pointText(e.from)} → ${pointText(to)}`;
}

export interface ConcurrentEdit {
  at: number;
  actor?: string;
  summary: string;
}

/** The concurrent edit an adapter detected around the write (WriteReport.concurrentEdit), from a row's detail. */
export function concurrentEditOf(e: Pick<AuditEntry, 'detail'>): ConcurrentEdit | null {
  const c = e.detail?.concurrentEdit;
  if (!c || typeof c !== 'object' || typeof (c as ConcurrentEdit).summary !== 'string') return null;
  return c as ConcurrentEdit;
}

/** The one plain sentence for a detected concurrent edit: the write result, the audit row, every door. */
export function concurrentEditText(c: ConcurrentEdit): string {
  return `⚠ concurrent edit: ${c.summary}`;
}

/** The short marker for a table cell (the sentence goes beside or below it). */
export const CONCURRENT_EDIT_MARK = '⚠ concurrent edit';
