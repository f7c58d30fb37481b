import type { Core } from '../core';
import type { DomainHandlers } from './types';

export function flagHandlers(core: Core): DomainHandlers<'flags'> {
  const { flags, rollout } = core;
  return {
    // One connection named: its own error, not an empty list (a file Rampart cannot read, a metrics connection).
    // The list keeps the last known rows of an unreachable store (marked stale); with none, the store's error is
    // the answer. All connections: every readable one is listed (the CLI and the Connections view name the rest).
    'flags:list': async (q) => {
      if (!q.connectionId) return flags.list(q);
      const store = core.connections.flagStore(q.connectionId);
      const rows = await flags.list(q);
      if (rows.length === 0) await store.listFlags();
      return rows;
    },
    'flags:get': ({ connectionId, flagKey }) => flags.get(connectionId, flagKey),
    'flags:history': (q) => flags.history(q),
    // The door a person used is audited with the action (plans and alerts pass their own).
    'flags:ramp': (req, ctx) => rollout.ramp({ ...req, door: ctx.door }),
    'flags:rollback': (req, ctx) => rollout.rollback({ ...req, door: ctx.door }),
  };
}
