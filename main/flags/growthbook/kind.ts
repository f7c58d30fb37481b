import type { GrowthBookConnection } from '../../../shared/kinds/growthbook';
import { requireSecret } from '../../kinds/secrets';
import type { FlagKind } from '../../kinds/types';
import { createGrowthBookStore } from './growthbook-store';

export const growthBookMain: FlagKind<GrowthBookConnection> = {
  createStore: (c, deps) => createGrowthBookStore({ connection: c, token: requireSecret(c, deps, 'token') }),
};
