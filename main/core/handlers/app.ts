import type { Core } from '../core';
import type { DomainHandlers } from './types';

export function appHandlers(core: Core): DomainHandlers<'app' | 'audit'> {
  return {
    'app:info': (_input, ctx) => ({ ...core.info, door: ctx.door }),
    'app:setUser': ({ name }) => {
      core.store.records.settings.set('user.name', name ?? '');
      return { user: core.info.user };
    },
    // After the opening sweep, so a door that just started lists orphaned intents already settled.
    'audit:list': async (q) => {
      await core.reconciled;
      return core.store.audit.list(q);
    },
  };
}
