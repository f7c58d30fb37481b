/**
 * What a push event means for one cached call (issue 15: push what changed, poll nothing): the event may carry the
 * answer itself (a decision pushed is what decision:get would return — it is put in the cache, no call), may
 * concern another flag or watch than the call asked about (nothing to do), or may have changed what the call
 * returns (refetch, throttled). Pure, so the query client stays the only mechanism and this the only rule.
 */
import type { Channel, EventName, EventPayload } from '../../../shared/contract';

export type FeedOutcome = { data: unknown } | 'skip' | 'refetch';

interface FlagRef {
  connectionId?: string;
  flagKey: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The flag a call is about, when its payload names one. */
function flagOf(payload: unknown): FlagRef | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  const flagKey = str(p.flagKey);
  return flagKey ? { flagKey, connectionId: str(p.connectionId) } : null;
}

function concerns(call: FlagRef, flags: readonly FlagRef[]): boolean {
  return flags.some(
    (f) =>
      f.flagKey === call.flagKey &&
      (call.connectionId === undefined || f.connectionId === undefined || f.connectionId === call.connectionId),
  );
}

/** The flags an event is about; null when it is about none in particular (every listener refetches). */
function flagsOf(event: EventName, payload: unknown): FlagRef[] | null {
  switch (event) {
    case 'flags:changed':
      return (payload as EventPayload<'flags:changed'>).changes.map((c) => ({
        connectionId: c.connectionId,
        flagKey: c.flagKey,
      }));
    case 'decision:updated': {
      const d = (payload as EventPayload<'decision:updated'>).decision;
      return [{ connectionId: d.flagConnectionId, flagKey: d.flagKey }];
    }
    default:
      return null;
  }
}

export function feedOf(event: EventName, payload: unknown, channel: Channel, request: unknown): FeedOutcome {
  if (payload === undefined) return 'refetch';
  if (event === 'decision:updated' && channel === 'decision:get') {
    const d = (payload as EventPayload<'decision:updated'>).decision;
    return str((request as { watchId?: unknown } | null)?.watchId) === d.watchId ? { data: d } : 'skip';
  }
  const flags = flagsOf(event, payload);
  const call = flagOf(request);
  if (flags === null || call === null) return 'refetch';
  return concerns(call, flags) ? 'refetch' : 'skip';
}
