import { postChangeEvent, type EventTargets } from '../kinds/change-events';

/**
 * Plan transitions as change events (Datadog events), through the same path the rollout service's writes use
 * (main/kinds/change-events.ts), on every metrics connection that wants them.
 */
export function datadogPlanEvents(connections: EventTargets) {
  return async (e: { flagKey: string; env: string; title: string; text: string }): Promise<void> => {
    const { targets, failed } = await postChangeEvent(connections, e);
    if (failed > 0) throw new Error(`${failed} of ${targets} Datadog connection(s) refused the event`);
  };
}
