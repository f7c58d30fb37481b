import type { Handlers } from '../handler-types';
import type { Core } from '../core';
import { appHandlers } from './app';
import { connectionHandlers } from './connections';
import { connectionTestHandlers } from './connection-test';
import { incidentHandlers } from './incident';
import { flagHandlers } from './flags';
import { metricsHandlers } from './metrics';
import { planHandlers } from './plans';
import { lifecycleHandlers } from './lifecycle';
import { verdictHandlers } from './verdict';
import { watchHandlers } from './watches';

/**
 * Maps every contract channel to the core's services, one file per domain. Inputs arrive already validated by the
 * registrar. `satisfies Handlers` makes a channel without a handler a compile error (the registrar also refuses it).
 */
export function createHandlers(core: Core): Handlers {
  return {
    ...appHandlers(core),
    ...connectionHandlers(core),
    ...connectionTestHandlers(core),
    ...flagHandlers(core),
    ...watchHandlers(core),
    ...metricsHandlers(core),
    ...verdictHandlers(core),
    ...incidentHandlers(core),
    ...planHandlers(core),
    ...lifecycleHandlers(core),
  } satisfies Handlers;
}
