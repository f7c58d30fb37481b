import type { UnleashConnection } from '../../../shared/kinds/unleash';
import { requireSecret } from '../../kinds/secrets';
import type { FlagKind } from '../../kinds/types';
import { createUnleashStore } from './unleash-store';

export const unleashMain: FlagKind<UnleashConnection> = {
  createStore: (c, deps) => createUnleashStore({ connection: c, token: requireSecret(c, deps, 'token') }),
  // unleash-client reports a disabled environment's evaluations as the variant `disabled`: the control arm.
  controlLabels: ['disabled'],
};
