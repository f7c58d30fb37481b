import type { Watch } from '../../../shared/domain/metrics';
import { RampartError } from '../../../shared/errors';
import type { Core } from '../core';
import type { DomainHandlers } from './types';

/** The watch a request names, or not_found (main/core/watches-service.ts). */
export function watchOrThrow(core: Core, id: string): Watch {
  return core.watches.get(id);
}

export function watchHandlers(core: Core): DomainHandlers<'watches' | 'series'> {
  const { watches, series } = core;
  return {
    'watches:list': () => watches.list(),
    'watches:forFlag': ({ connectionId, flagKey, env }) => watches.forFlagOrProposal(connectionId, flagKey, env),
    'watches:save': ({ watch }) => watches.save(watch),
    'watches:remove': ({ id }) => ({ removed: watches.remove(id) }),
    'watches:preview': ({ watch }) => watches.preview(watch),
    'series:range': ({ watchId, ...q }) => {
      if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
      return series.range(watches.get(watchId), q);
    },
    'series:view': ({ watchId, ...q }) => {
      if (q.to <= q.from) throw new RampartError('bad_request', "'to' must be after 'from'");
      return core.seriesViews.view(watches.get(watchId), q);
    },
  };
}
