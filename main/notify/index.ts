import { isNotifyConnection, type Connection, type NotifyConnection } from '../../shared/domain/connections';
import { DEFAULT_NOTICE_KINDS, type NoticeKind, type Plan, type PlanNotice } from '../../shared/domain/plans';
import type { NotifyOutcome } from '../plans/plan-deps';
import { SEVERITY } from './payloads';
import { notifyKind } from '../kinds';
import { defaultHttp, failureLine, type Http } from './sinks';

export interface NotifierDeps {
  connections: () => Connection[];
  secret: (connectionId: string) => string | undefined;
  /** Desktop notifications: the doors show `plans:notice` (Electron Notification, the browser Notification API). */
  desktop: (notice: PlanNotice) => void;
  /** The existing Datadog events (rollout-effects.ts), for transitions that are not writes. */
  datadogEvent?: (e: { flagKey: string; env: string; title: string; text: string }) => Promise<void>;
  http?: Http;
  now: () => number;
}

/** Writes already post a Datadog event through the rollout service; these transitions are not writes. */
const DATADOG_KINDS = new Set<NoticeKind>([
  'started',
  'paused',
  'resumed',
  'approval-needed',
  'recovered',
  'not-recovered',
  'completed',
]);

export function noticeOf(plan: Plan, kind: NoticeKind, text: { title: string; body: string }, at: number): PlanNotice {
  return {
    planId: plan.id,
    kind,
    severity: SEVERITY[kind],
    title: text.title,
    body: text.body,
    at,
    flagKey: plan.flagKey,
    env: plan.env,
    connectionId: plan.connectionId,
    exposure: plan.expected.enabled ? plan.expected.exposure : 0,
  };
}

/**
 * Tells people and change-event targets about a plan's transition: desktop notifications, Slack-compatible and
 * generic webhooks, PagerDuty Events v2 (docs/integrations.md), Grafana region annotations per step, Datadog events.
 * Targets run in parallel, each with its own timeout; a failing target never fails the plan — it comes back as a
 * failure line (without its secret) for the decision record.
 */
export function createNotifier(deps: NotifierDeps) {
  const http = deps.http ?? defaultHttp;
  return async function notify(
    plan: Plan,
    kind: NoticeKind,
    text: { title: string; body: string },
  ): Promise<NotifyOutcome> {
    const notice = noticeOf(plan, kind, text, deps.now());
    const failures: string[] = [];
    if (DEFAULT_NOTICE_KINDS.includes(kind)) {
      try {
        deps.desktop(notice);
      } catch (e) {
        failures.push(`desktop: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const targets = deps
      .connections()
      .filter(isNotifyConnection)
      .filter((c) => notifyKind(c).wants(c, kind));
    let annotations: Plan['annotations'] | undefined;
    await Promise.all(
      targets.map(async (c) => {
        let secret: string | undefined;
        try {
          secret = deps.secret(c.id);
          const regions = await notifyKind(c).deliver(
            c,
            notice,
            { ...plan, annotations: annotations ?? plan.annotations },
            { http, secret },
          );
          if (regions)
            annotations = [
              ...(annotations ?? plan.annotations).filter((a) => a.connectionId !== c.id),
              ...regions.filter((a) => a.connectionId === c.id),
            ];
        } catch (e) {
          failures.push(failureLine(c, e, secret));
        }
      }),
    );
    if (deps.datadogEvent && DATADOG_KINDS.has(kind)) {
      await deps
        .datadogEvent({ flagKey: plan.flagKey, env: plan.env, title: `Rampart plan: ${text.title}`, text: text.body })
        .catch((e: unknown) => {
          failures.push(`datadog events: ${e instanceof Error ? e.message : String(e)}`);
        });
    }
    return { annotations, failures };
  };
}

export { testSink } from './test-sink';
