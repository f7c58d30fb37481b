import type { LaunchDarklyConnection } from '../../../shared/kinds/launchdarkly';
import { requireSecret } from '../../kinds/secrets';
import type { FlagKind } from '../../kinds/types';
import { createLaunchDarklyStore } from './launchdarkly-store';

export const launchDarklyMain: FlagKind<LaunchDarklyConnection> = {
  createStore: (c, deps) => createLaunchDarklyStore({ connection: c, token: requireSecret(c, deps, 'token') }),
};
