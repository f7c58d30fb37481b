import type { Core } from '../core';
import type { DomainHandlers } from './types';
import { watchOrThrow } from './watches';

export function incidentHandlers(core: Core): DomainHandlers<'incident'> {
  const { flags, incident } = core;
  // Pull every store's history for the window first, so suspects include changes made outside Rampart.
  const pullHistory = (q: { from: number; to: number }) =>
    flags.history({ from: q.from, to: q.to }).catch(() => undefined);
  return {
    'incident:analyze': async ({ watchId, ...q }) => {
      const watch = watchOrThrow(core, watchId);
      await pullHistory(q);
      return incident.analyze(watch, q);
    },
    'incident:scan': (q) => incident.scan(q),
  };
}
