import type { FlagsmithConnection } from '../../../shared/kinds/flagsmith';
import { requireSecret } from '../../kinds/secrets';
import type { FlagKind } from '../../kinds/types';
import { createFlagsmithStore } from './flagsmith-store';

export const flagsmithMain: FlagKind<FlagsmithConnection> = {
  createStore: (c, deps) => createFlagsmithStore({ connection: c, token: requireSecret(c, deps, 'token') }),
};
