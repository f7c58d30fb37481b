import type { NotifyConnection } from '../../shared/domain/connections';
import type { Plan, PlanNotice } from '../../shared/domain/plans';
import { RampartError, isRampartError } from '../../shared/errors';
import { httpJson, type HttpCall, type HttpResult } from '../net/http-client';
import { grafanaAnnotation, pagerDutyBody, slackBody, webhookBody } from './payloads';

/** ≤ 10 s per call (docs/security.md "Every outbound call has a timeout"); a notification never holds a plan longer. */
const TIMEOUT_MS = 10_000;

export type Http = <T>(call: HttpCall) => Promise<HttpResult<T>>;
export const defaultHttp: Http = (call) => httpJson(call);

export interface SinkContext {
  http: Http;
  /** The connection's secret (env var named by tokenEnv, or the keychain); undefined when not configured. */
  secret: string | undefined;
}

function needSecret(c: NotifyConnection, s: string | undefined, what: string): string {
  if (!s)
    throw new RampartError(
      'unauthorized',
      `${c.name}: no ${what} configured${c.tokenEnv ? ` (the variable ${c.tokenEnv} is not set)` : ' (name the environment variable that holds it)'}`,
    );
  return s;
}

const base = (url: string) => url.replace(/\/+$/, '');

/** Slack-compatible webhooks (Slack, Mattermost, Rocket.Chat): POST the secret URL with `{text, blocks}`. */
export async function slack(
  c: Extract<NotifyConnection, { kind: 'slack' }>,
  n: PlanNotice,
  ctx: SinkContext,
): Promise<void> {
  const url = needSecret(c, ctx.secret, 'webhook URL');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new RampartError(
      'bad_request',
      `${c.name}: the webhook URL in ${c.tokenEnv ?? 'its secret'} is not an http(s) URL`,
    );
  await ctx.http({
    vendor: 'Slack webhook',
    method: 'POST',
    url,
    body: slackBody(n),
    timeoutMs: TIMEOUT_MS,
    idempotent: false,
    redact: url,
  });
}

export async function webhook(
  c: Extract<NotifyConnection, { kind: 'webhook' }>,
  n: PlanNotice,
  ctx: SinkContext,
): Promise<void> {
  const headers: Record<string, string> = ctx.secret ? { authorization: `Bearer ${ctx.secret}` } : {};
  await ctx.http({
    vendor: 'Webhook',
    method: 'POST',
    url: c.url,
    headers,
    body: webhookBody(n),
    timeoutMs: TIMEOUT_MS,
    idempotent: false,
    redact: ctx.secret,
  });
}

/** PagerDuty Events v2: the dedup key makes a resend harmless, so it may be retried. */
export async function pagerDuty(
  c: Extract<NotifyConnection, { kind: 'pagerduty' }>,
  n: PlanNotice,
  ctx: SinkContext,
): Promise<void> {
  const key = needSecret(c, ctx.secret, 'routing key');
  await ctx.http({
    vendor: 'PagerDuty',
    method: 'POST',
    url: `${base(c.url)}/v2/enqueue`,
    body: pagerDutyBody(n, key),
    timeoutMs: TIMEOUT_MS,
    idempotent: true,
    maxAttempts: 2,
    redact: key,
  });
}

const STEP_STARTS = new Set<PlanNotice['kind']>(['started', 'advanced']);
const STEP_ENDS = new Set<PlanNotice['kind']>(['advanced', 'rollback', 'aborted', 'completed']);

/**
 * Grafana: each step is a region annotation, opened when the step starts (POST with time = timeEnd) and closed when
 * it ends (PATCH timeEnd); other transitions are point annotations. Returns the plan's open regions afterwards.
 */
export async function grafana(
  c: Extract<NotifyConnection, { kind: 'grafana' }>,
  n: PlanNotice,
  plan: Plan,
  ctx: SinkContext,
): Promise<Plan['annotations']> {
  const token = needSecret(c, ctx.secret, 'service account token');
  const call = (method: 'POST' | 'PATCH', path: string, body: unknown) =>
    ctx.http<{ id?: number }>({
      vendor: 'Grafana',
      method,
      url: `${base(c.url)}${path}`,
      headers: { authorization: `Bearer ${token}` },
      body,
      timeoutMs: TIMEOUT_MS,
      idempotent: method === 'PATCH',
      redact: token,
    });
  let open = plan.annotations.filter((a) => a.connectionId === c.id);
  const rest = plan.annotations.filter((a) => a.connectionId !== c.id);
  if (STEP_ENDS.has(n.kind)) {
    for (const a of open) await call('PATCH', `/api/annotations/${a.id}`, { timeEnd: n.at });
    open = [];
  }
  const opts = { tags: c.tags, dashboardUID: c.dashboardUID, panelId: c.panelId };
  if (STEP_STARTS.has(n.kind)) {
    const res = await call('POST', '/api/annotations', grafanaAnnotation(n, { ...opts, region: true }));
    if (typeof res.body?.id !== 'number')
      throw new RampartError('vendor_error', `${c.name}: Grafana answered without an annotation id`);
    open = [{ connectionId: c.id, id: res.body.id, stepIndex: plan.stepIndex }];
  } else {
    await call('POST', '/api/annotations', grafanaAnnotation(n, { ...opts, region: false }));
  }
  return [...rest, ...open];
}

/** One line for the decision record: which target failed and why, never its secret. */
export function failureLine(c: NotifyConnection, e: unknown, secret: string | undefined): string {
  const text = isRampartError(e) || e instanceof Error ? e.message : String(e);
  return `${c.name} (${c.kind}): ${secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text}`;
}
