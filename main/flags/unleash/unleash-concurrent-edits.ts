import { formatPercent } from '../../../shared/domain/flags';
import type { WriteReport } from '../flag-store';
import { UnleashStrategy, type UnleashEvent, type UnleashStoredStrategy } from './unleash-schemas';
import type { EnvSnapshot } from './unleash-snapshots';
import { canonical, changedStrategyFields, sameField, sameStrategy, type StrategyField } from './unleash-strategy-diff';

/**
 * Which edits by someone else landed between Rampart's read and its write, or right after its write, judged from
 * Unleash's event log (docs/integrations.md §1.7–1.8: no compare-and-set in the OSS admin API, so detect afterwards).
 *
 * Events are ordered by id: Unleash inserts each inside the write's own transaction, after updating the row, so
 * for one strategy (one row lock) id order is commit order. Rampart's own event splits them into before and after.
 * Their `createdAt` is their transaction's START (Postgres now()), not its commit: a slow write that began before
 * Rampart's read can commit after Rampart's write. So time only bounds the search loosely; an event before ours
 * counts when the read did not show its result: per subject (a strategy, the environment's on/off, its variants)
 * the latest event whose result equals what the snapshot shows, and every event before it, were seen by the read;
 * the ones after it were not. Every event after ours counts, whatever its createdAt.
 */

export interface WriteFacts {
  env: string;
  snapshot: EnvSnapshot;
  /** The strategy as Unleash answered Rampart's PATCH (update) or POST (add). */
  written: UnleashStoredStrategy;
  kind: 'update' | 'add';
  target: number;
  /** Local clock when the write was sent, and when its answer arrived. */
  writeSentAt: number;
  wroteAt: number;
}

/**
 * In the server's clock: writes whose transaction started before `start` committed before the read; those that
 * started after `surelyAfter` came after it; in between, the snapshot decides (see unseenByRead).
 */
export interface EditWindow {
  start: number;
  surelyAfter: number;
}

export interface ConcurrentEdit {
  event: UnleashEvent;
  at: number;
  actor: string;
  /** "set rollout 30%", "turned production off", … */
  what: string;
  relation: 'before' | 'after' | 'unordered';
  /** Whether someone's change is gone: theirs replaced by Rampart's write, or Rampart's by theirs. */
  lost: boolean;
  consequence: string;
}

const TRACKED = new Set([
  'feature-strategy-add',
  'feature-strategy-update',
  'feature-strategy-remove',
  'feature-environment-enabled',
  'feature-environment-disabled',
  'feature-environment-variants-updated',
]);

function strategyIn(e: UnleashEvent, field: 'data' | 'preData'): UnleashStrategy | undefined {
  const parsed = UnleashStrategy.safeParse(e[field]);
  return parsed.success ? parsed.data : undefined;
}

/** The strategy an event is about, when it is a strategy event. */
function strategyIdOf(e: UnleashEvent): string | undefined {
  return (strategyIn(e, 'data') ?? strategyIn(e, 'preData'))?.id;
}

function subjectOf(e: UnleashEvent): string {
  if (e.type.startsWith('feature-strategy-')) return `strategy:${strategyIdOf(e) ?? `event-${e.id}`}`;
  return e.type.startsWith('feature-environment-variants') ? 'variants' : 'enabled';
}

/** The subject's state after an event, for the environment's on/off and its variants. */
function stateAfter(e: UnleashEvent): string {
  if (e.type === 'feature-environment-enabled') return 'true';
  if (e.type === 'feature-environment-disabled') return 'false';
  return canonical(e.data ?? []);
}

function snapshotMatches(snapshot: EnvSnapshot, e: UnleashEvent): boolean {
  const subject = subjectOf(e);
  if (subject === 'enabled') return stateAfter(e) === String(snapshot.env.enabled);
  if (subject === 'variants') return stateAfter(e) === canonical(snapshot.env.variants ?? []);
  const seen = (snapshot.env.strategies ?? []).find((s) => `strategy:${s.id}` === subject);
  if (e.type === 'feature-strategy-remove') return !seen;
  const after = strategyIn(e, 'data');
  return Boolean(seen && after && sameStrategy(seen, after));
}

/** An update that changed nothing (Unleash does not store one, but older servers might). */
function isNoop(e: UnleashEvent): boolean {
  if (e.type !== 'feature-strategy-update') return false;
  const before = strategyIn(e, 'preData');
  const after = strategyIn(e, 'data');
  return Boolean(before && after && sameStrategy(before, after));
}

/** Rampart's own event: the latest one whose result is exactly what Unleash answered the write with. */
export function findOwnEvent(facts: WriteFacts, events: readonly UnleashEvent[]): UnleashEvent | undefined {
  const type = facts.kind === 'update' ? 'feature-strategy-update' : 'feature-strategy-add';
  let own: UnleashEvent | undefined;
  for (const e of events) {
    if (e.type !== type || e.environment !== facts.env || isNoop(e)) continue;
    const after = strategyIn(e, 'data');
    if (after?.id === facts.written.id && sameStrategy(after, facts.written) && (!own || e.id > own.id)) own = e;
  }
  return own;
}

/**
 * Events before ours that the read did not see. Those created after `surelyAfter` certainly not; for the others,
 * per subject, those after the latest one whose result the snapshot shows (an off-then-on inside the uncertain
 * margin looks seen: it changed nothing in the end).
 */
function unseenByRead(snapshot: EnvSnapshot, events: readonly UnleashEvent[], surelyAfter: number): UnleashEvent[] {
  const bySubject = new Map<string, UnleashEvent[]>();
  for (const e of events) bySubject.set(subjectOf(e), [...(bySubject.get(subjectOf(e)) ?? []), e]);
  const out: UnleashEvent[] = [];
  for (const chain of bySubject.values()) {
    let seenThrough = -1;
    chain.forEach((e, i) => {
      if (Date.parse(e.createdAt) <= surelyAfter && snapshotMatches(snapshot, e)) seenThrough = i;
    });
    out.push(...chain.slice(seenThrough + 1));
  }
  return out.sort((a, b) => a.id - b.id);
}

const NOUNS: Partial<Record<StrategyField, string>> = {
  constraints: 'constraints',
  segments: 'segments',
  variants: 'variants',
  parameters: 'other parameters',
  name: 'type',
};

function rolloutText(s: UnleashStrategy | undefined): string {
  return formatPercent(Number(s?.parameters?.rollout ?? NaN));
}

/** "set rollout 30%", "changed the constraints of the flexibleRollout strategy", "turned production off". */
function describe(e: UnleashEvent, env: string): string {
  const before = strategyIn(e, 'preData');
  const after = strategyIn(e, 'data');
  switch (e.type) {
    case 'feature-environment-enabled':
      return `turned ${env} on`;
    case 'feature-environment-disabled':
      return `turned ${env} off`;
    case 'feature-environment-variants-updated':
      return `changed the variants of ${env}`;
    case 'feature-strategy-add':
      return `added a ${after?.name ?? 'new'} strategy${after?.parameters?.rollout !== undefined ? ` at ${rolloutText(after)}` : ''}`;
    case 'feature-strategy-remove':
      return before ? `removed the ${before.name} strategy` : 'removed a strategy';
  }
  if (!before || !after) return 'changed a strategy';
  const fields = changedStrategyFields(before, after);
  const parts: string[] = [];
  if (fields.includes('rollout')) parts.push(`set rollout ${rolloutText(after)}`);
  if (fields.includes('disabled')) parts.push(`${after.disabled ? 'paused' : 'resumed'} the ${after.name} strategy`);
  const nouns = fields.map((f) => NOUNS[f]).filter((n): n is string => Boolean(n));
  if (nouns.length) parts.push(`changed the ${nouns.join(' and ')} of the ${after.name} strategy`);
  return parts.join(' and ') || `updated the ${after.name} strategy`;
}

const ALL_FIELDS: readonly StrategyField[] = [
  'rollout',
  'name',
  'disabled',
  'constraints',
  'segments',
  'variants',
  'parameters',
];

/**
 * For edits of Rampart's strategy before Rampart's write: which of their values Unleash's answer to that write no
 * longer has. Judged from results, not from the events' preData: Unleash reads a strategy, then writes it whole,
 * without a lock (the PATCH controller, and the update inside its transaction), so an event's preData can predate
 * an edit its own write then overwrote. A value counts when the edit set it (it differs from the result of the edit
 * before it, or from what the read saw) and no later edit before Rampart's set that field again.
 */
function goneFields(before: readonly UnleashEvent[], facts: WriteFacts): Map<UnleashEvent, StrategyField[]> {
  const seen = (facts.snapshot.env.strategies ?? []).find((s) => s.id === facts.written.id);
  const ofOurs = before.filter((e) => e.type === 'feature-strategy-update' && strategyIdOf(e) === facts.written.id);
  const out = new Map<UnleashEvent, StrategyField[]>();
  const results = ofOurs.map((e) => strategyIn(e, 'data'));
  ofOurs.forEach((e, i) => {
    const after = results[i];
    if (!after) return;
    const previous = i === 0 ? seen : results[i - 1];
    const later = results.slice(i + 1);
    const gone = ALL_FIELDS.filter(
      (f) =>
        (!previous || !sameField(after, previous, f)) &&
        later.every((l) => !l || sameField(l, after, f)) &&
        !sameField(after, facts.written, f),
    );
    out.set(e, gone);
  });
  return out;
}

function judge(
  e: UnleashEvent,
  relation: ConcurrentEdit['relation'],
  facts: WriteFacts,
  gone: readonly StrategyField[],
): { lost: boolean; consequence: string } {
  const ours = strategyIdOf(e) === facts.written.id;
  const after = strategyIn(e, 'data');
  if (!ours)
    return { lost: false, consequence: relation === 'after' ? "Rampart's write stays" : "Rampart's write kept it" };
  if (relation === 'after') {
    if (e.type === 'feature-strategy-remove')
      return { lost: true, consequence: 'it removed the strategy Rampart had just written' };
    // Whatever its preData says: a write after Rampart's whose rollout is not Rampart's replaced Rampart's.
    if (after && !sameField(after, facts.written, 'rollout'))
      return { lost: true, consequence: `it replaced Rampart's write (the rollout is now ${rolloutText(after)})` };
    return { lost: false, consequence: "Rampart's rollout stays" };
  }
  if (relation === 'unordered')
    return {
      lost: true,
      consequence: "Unleash's event log does not show which write came last: check the strategy in Unleash",
    };
  const undone = gone.filter((f) => f !== 'rollout');
  if (undone.length) {
    return {
      lost: true,
      consequence: `Rampart's write undid it (its ${undone.map((f) => NOUNS[f] ?? f).join(' and ')} ${undone.length === 1 && undone[0] === 'disabled' ? 'change is' : 'are'} gone: Unleash writes back the whole strategy it read a moment before)`,
    };
  }
  if (gone.includes('rollout')) return { lost: true, consequence: "Rampart's write replaced it" };
  return { lost: false, consequence: "Rampart's write kept it" };
}

/** Every edit by someone else in the window, most consequential first. */
export function findConcurrentEdits(
  facts: WriteFacts,
  events: readonly UnleashEvent[],
  window: EditWindow,
): ConcurrentEdit[] {
  const own = findOwnEvent(facts, events);
  const inWindow = [...new Map(events.map((e) => [e.id, e])).values()]
    .filter((e) => TRACKED.has(e.type) && e.environment === facts.env && e !== own && !isNoop(e))
    .filter((e) => (own && e.id > own.id) || Date.parse(e.createdAt) >= window.start)
    .sort((a, b) => a.id - b.id);
  const before = unseenByRead(
    facts.snapshot,
    own ? inWindow.filter((e) => e.id < own.id) : inWindow,
    window.surelyAfter,
  );
  const after = own ? inWindow.filter((e) => e.id > own.id) : [];
  const relationOf = (e: UnleashEvent): ConcurrentEdit['relation'] =>
    !own ? 'unordered' : e.id < own.id ? 'before' : 'after';
  const gone = goneFields(before, facts);
  return [...before, ...after]
    .map((event) => {
      const relation = relationOf(event);
      return {
        event,
        at: Date.parse(event.createdAt),
        actor: event.createdBy || 'someone',
        what: describe(event, facts.env),
        relation,
        ...judge(event, relation, facts, gone.get(event) ?? []),
      };
    })
    .sort((a, b) => Number(b.lost) - Number(a.lost) || a.event.id - b.event.id);
}

function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 23)} UTC`;
}

/**
 * "alice set rollout 30% at 14:02:03.120 UTC, 40 ms before Rampart wrote 50%: Rampart's write replaced it". Times
 * are when each write's transaction started; when those disagree with the order the writes were saved in, say so.
 */
export function sentence(edit: ConcurrentEdit, target: number, ownAt: number | undefined): string {
  const wrote = `Rampart wrote ${formatPercent(target)}`;
  let when = `while ${wrote}`;
  if (edit.relation !== 'unordered' && ownAt !== undefined) {
    const inOrder = edit.relation === 'before' ? edit.at <= ownAt : edit.at >= ownAt;
    when = inOrder
      ? `${Math.abs(edit.at - ownAt)} ms ${edit.relation} ${wrote}`
      : `while ${wrote} (saved just ${edit.relation} it)`;
  }
  return `${edit.actor} ${edit.what} at ${clock(edit.at)}, ${when}: ${edit.consequence}`;
}

const SHOWN = 3;

export function concurrentEditReport(
  facts: WriteFacts,
  edits: readonly ConcurrentEdit[],
  events: readonly UnleashEvent[],
): WriteReport {
  if (!edits.length) return {};
  const own = findOwnEvent(facts, events);
  const ownAt = own ? Date.parse(own.createdAt) : undefined;
  const shown = edits.slice(0, SHOWN).map((e) => sentence(e, facts.target, ownAt));
  const more = edits.length - shown.length;
  const summary = `${shown.join('; ')}${more > 0 ? `; and ${more} more edit${more === 1 ? '' : 's'} by others meanwhile` : ''}.`;
  return {
    concurrentEdit: { at: edits[0].at, actor: edits[0].actor, summary: `Concurrent edit in Unleash: ${summary}` },
  };
}
