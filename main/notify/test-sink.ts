import type { NotifyConnection } from '../../shared/domain/connections';
import type { Plan, PlanNotice } from '../../shared/domain/plans';
import { notifyKind } from '../kinds';
import { defaultHttp, failureLine, type Http } from './sinks';

/**
 * `connections:test` for a notification target: send one real, clearly labelled test notice (that is what a user
 * testing a Slack webhook wants to see arrive). Grafana gets a point annotation. A kind with nothing to send to (an
 * inbound trigger) has its own `test` in its record (main/notify/kinds.ts).
 */
export async function testSink(
  c: NotifyConnection,
  secret: string | undefined,
  now: number,
  http: Http = defaultHttp,
): Promise<{ ok: boolean; message: string }> {
  const own = notifyKind(c).test;
  if (own) return own(c, secret);
  const notice: PlanNotice = {
    planId: 'test',
    kind: 'paused',
    severity: 'info',
    title: 'Rampart test notification',
    body: `If you can read this, plan notifications reach '${c.name}'.`,
    at: now,
    flagKey: 'rampart-test',
    env: 'test',
    connectionId: c.id,
    exposure: null,
  };
  const plan = { id: 'test', stepIndex: 0, annotations: [] } as unknown as Plan;
  try {
    await notifyKind(c).deliver(c, notice, plan, { http, secret });
    return { ok: true, message: `${c.name}: test notification sent` };
  } catch (e) {
    return { ok: false, message: failureLine(c, e, secret) };
  }
}
