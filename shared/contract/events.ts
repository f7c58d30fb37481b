import { z } from 'zod';
import { FlagChange } from '../domain/flags';
import { AuditEntry } from '../domain/audit';
import { WatchDecision } from '../domain/decision';
import { planEvents } from './domains/plans';
import { lifecycleEvents } from './domains/lifecycle';
import { seriesEvents } from './domains/watches';
import { PartialFailure } from '../errors';

/** Push events from the core to every connected renderer. */
export const events = {
  /** Flag changes seen anywhere: made by Rampart, read from vendor history, or found by watching a file. */
  'flags:changed': z.object({ changes: z.array(FlagChange) }),
  /** New metric data may be available (live refresh tick); renderers refetch the visible range, throttled. */
  'series:tick': z.object({ at: z.number() }),
  /** An audit row was written (intent or result). */
  'audit:appended': z.object({ entry: AuditEntry }),
  /** A metrics provider failed repeatedly; after 4 in a row the UI proposes rollback (docs/security.md). */
  'provider:health': z.object({
    connectionId: z.string(),
    consecutiveErrors: z.number(),
    lastError: PartialFailure.nullable(),
  }),
  /** A watch's decision changed or a new data step was evaluated (shared/domain/decision.ts). */
  'decision:updated': z.object({ decision: WatchDecision }),
  ...planEvents,
  ...lifecycleEvents,
  ...seriesEvents,
} as const;

export type EventMap = typeof events;
export type EventName = keyof EventMap;
export type EventPayload<E extends EventName> = z.infer<EventMap[E]>;
