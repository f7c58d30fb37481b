import { appRequests } from './domains/app';
import { auditRequests } from './domains/audit';
import { connectionRequests } from './domains/connections';
import { decisionRequests } from './domains/decision';
import { flagRequests } from './domains/flags';
import { metricsRequests } from './domains/metrics';
import { planRequests } from './domains/plans';
import { lifecycleRequests } from './domains/lifecycle';
import { incidentRequests } from './domains/incident';
import { verdictRequests } from './domains/verdict';
import { watchRequests } from './domains/watches';

export { ConnectionInfo } from './domains/connections';
export { FlagRow, RolloutResult } from './domains/flags';
export { MIN_COMMENT_LENGTH } from './domains/common';

/**
 * Every request channel: `'<domain>:<verb>'` → { input schema, output schema }, composed from one file per domain
 * (shared/contract/domains/). Inputs are validated once, in the registrar, before any handler runs. Outputs are
 * typed, not re-validated.
 */
export const requests = {
  ...appRequests,
  ...connectionRequests,
  ...flagRequests,
  ...watchRequests,
  ...metricsRequests,
  ...verdictRequests,
  ...incidentRequests,
  ...decisionRequests,
  ...auditRequests,
  ...planRequests,
  ...lifecycleRequests,
} as const;

export type RequestMap = typeof requests;
export type Channel = keyof RequestMap;
export type RequestOf<C extends Channel> = import('zod').input<RequestMap[C]['input']>;
export type ParsedRequestOf<C extends Channel> = import('zod').output<RequestMap[C]['input']>;
export type ResponseOf<C extends Channel> = import('zod').output<RequestMap[C]['output']>;
