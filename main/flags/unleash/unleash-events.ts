import { z } from 'zod';
import { changeLabel, type ChangeState, type FlagChange } from '../../../shared/domain/flags';
import { RampartError } from '../../../shared/errors';
import { UnleashStrategy, UnleashVariant, describeIssues, type UnleashEvent } from './unleash-schemas';
import { UNLEASH_ROLLOUT_STRATEGY, parseRollout } from './unleash-state';
import { changedStrategyFields } from './unleash-strategy-diff';

/**
 * Unleash event log → Rampart FlagChange (chart markers). Event shapes: `src/lib/types/events.ts` at v6.10.1 and a
 * running 6.10.1: strategy events carry the strategy in `data` (add, update) and `preData` (update, remove);
 * environment on/off events carry neither; `feature-created` / `feature-archived` have no environment.
 */

/** Flag-level events (created, archived) apply to every environment of the flag. */
export const ALL_ENVIRONMENTS = '*';

export const UNLEASH_FLAG_EVENT_TYPES = [
  'feature-created',
  'feature-archived',
  'feature-environment-enabled',
  'feature-environment-disabled',
  'feature-strategy-add',
  'feature-strategy-update',
  'feature-strategy-remove',
  'feature-environment-variants-updated',
] as const;

type Normalized = Pick<FlagChange, 'kind' | 'from' | 'to'> & { env: string };

function strategyOf(event: UnleashEvent, field: 'data' | 'preData'): UnleashStrategy {
  const parsed = UnleashStrategy.safeParse(event[field]);
  if (!parsed.success) {
    throw new RampartError(
      'vendor_error',
      `Unleash: unexpected ${field} in event ${event.id} (${event.type}): ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

function envOf(event: UnleashEvent): string {
  if (!event.environment)
    throw new RampartError('vendor_error', `Unleash: event ${event.id} (${event.type}) has no environment`);
  return event.environment;
}

function isRollout(s: UnleashStrategy): boolean {
  return s.name === UNLEASH_ROLLOUT_STRATEGY && s.disabled !== true;
}

/** What besides the rollout changed in a strategy update, in a few words. */
function strategyDiff(before: UnleashStrategy, after: UnleashStrategy): string {
  const what = changedStrategyFields(before, after)
    .filter((f) => f !== 'rollout')
    .map((f) => {
      if (f === 'name') return `${before.name} → ${after.name}`;
      if (f === 'disabled') return after.disabled ? 'strategy paused' : 'strategy resumed';
      return `${f} changed`;
    });
  return what.length ? `${after.name}: ${what.join(', ')}` : `${after.name} updated`;
}

function normalizeStrategyEvent(event: UnleashEvent, where: string): Normalized {
  const env = envOf(event);
  if (event.type === 'feature-strategy-add') {
    const added = strategyOf(event, 'data');
    if (isRollout(added)) return { env, kind: 'exposure', from: null, to: { exposure: parseRollout(added, where) } };
    return { env, kind: 'targeting', from: null, to: { targeting: `added ${added.name} strategy` } };
  }
  if (event.type === 'feature-strategy-remove') {
    const removed = strategyOf(event, 'preData');
    if (isRollout(removed))
      return { env, kind: 'exposure', from: { exposure: parseRollout(removed, where) }, to: null };
    return { env, kind: 'targeting', from: null, to: { targeting: `removed ${removed.name} strategy` } };
  }
  const before = strategyOf(event, 'preData');
  const after = strategyOf(event, 'data');
  if (isRollout(before) && isRollout(after)) {
    const from = parseRollout(before, where);
    const to = parseRollout(after, where);
    if (from !== to) {
      const other = strategyDiff(before, after);
      const targeting = other.endsWith(' updated') ? {} : { targeting: other };
      return { env, kind: 'exposure', from: { exposure: from }, to: { exposure: to, ...targeting } };
    }
  } else if (isRollout(before) !== isRollout(after)) {
    // A rollout strategy paused/resumed or renamed: the exposure it gave appears or disappears.
    const from: ChangeState = isRollout(before) ? { exposure: parseRollout(before, where) } : {};
    const to: ChangeState = isRollout(after) ? { exposure: parseRollout(after, where) } : { exposure: 0 };
    return { env, kind: 'exposure', from, to: { ...to, targeting: strategyDiff(before, after) } };
  }
  return { env, kind: 'targeting', from: null, to: { targeting: strategyDiff(before, after) } };
}

function normalizeKind(event: UnleashEvent, where: string): Normalized | null {
  switch (event.type) {
    case 'feature-environment-enabled':
      return { env: envOf(event), kind: 'enabled', from: { enabled: false }, to: { enabled: true } };
    case 'feature-environment-disabled':
      return { env: envOf(event), kind: 'enabled', from: { enabled: true }, to: { enabled: false } };
    case 'feature-strategy-add':
    case 'feature-strategy-update':
    case 'feature-strategy-remove':
      return normalizeStrategyEvent(event, where);
    case 'feature-environment-variants-updated': {
      const names = z.array(UnleashVariant).safeParse(event.data);
      const list = names.success ? names.data.map((v) => v.name).join(', ') : '';
      return {
        env: envOf(event),
        kind: 'targeting',
        from: null,
        to: { targeting: list ? `variants: ${list}` : 'variants changed' },
      };
    }
    case 'feature-created':
      return { env: event.environment ?? ALL_ENVIRONMENTS, kind: 'created', from: null, to: null };
    case 'feature-archived':
      return { env: event.environment ?? ALL_ENVIRONMENTS, kind: 'archived', from: null, to: null };
    default:
      return null; // tags, favourites, stale marks, … are not changes to who gets the flag
  }
}

/** One Unleash event → one FlagChange, or null when the event is not a flag change Rampart draws. */
export function normalizeUnleashEvent(connectionId: string, event: UnleashEvent): FlagChange | null {
  if (!event.featureName) return null;
  const normalized = normalizeKind(event, `event ${event.id} of '${event.featureName}'`);
  if (!normalized) return null;
  const { env, kind, from, to } = normalized;
  return {
    id: `${connectionId}:${event.id}`,
    connectionId,
    flagKey: event.featureName,
    env,
    at: Date.parse(event.createdAt),
    kind,
    from,
    to,
    label: changeLabel(kind, from, to),
    ...(event.createdBy ? { actor: event.createdBy } : {}),
    source: 'vendor',
  };
}

/** Normalizes, drops duplicates (offset paging over equal timestamps can repeat a row) and sorts oldest first. */
export function normalizeUnleashEvents(connectionId: string, events: readonly UnleashEvent[]): FlagChange[] {
  const byId = new Map<number, FlagChange>();
  for (const e of events) {
    if (byId.has(e.id)) continue;
    const change = normalizeUnleashEvent(connectionId, e);
    if (change) byId.set(e.id, change);
  }
  return [...byId.entries()].sort(([idA, a], [idB, b]) => a.at - b.at || idA - idB).map(([, c]) => c);
}
