import type { FlagdConnection } from '../../../shared/kinds/flagd';
import type { FlagKind } from '../../kinds/types';
import { assertAbsoluteFlagdPath, checkFlagdConnection } from './flagd-connection-check';
import { createFlagdStore } from './flagd-store';

/**
 * flagd files: no secret; the adapter is built at start so its file watch reports edits made outside Rampart. A
 * connection is saved only with an absolute path to a regular file within the size limit (flagd-connection-check.ts).
 */
export const flagdMain: FlagKind<FlagdConnection> = {
  createStore: (c, deps) => {
    assertAbsoluteFlagdPath(c.file, true); // a record saved before the rule: its error, not another file's flags
    return createFlagdStore({ connection: c, now: deps.now });
  },
  watchOnStart: true,
  checkConnection: (c) => checkFlagdConnection(c.file),
};
