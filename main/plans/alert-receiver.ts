import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Connection } from '../../shared/domain/connections';
import { isRampartError } from '../../shared/errors';
import type { PlansService } from './plans-service';

const MAX_BODY = 1 << 20;

/** Alertmanager's webhook body (docs/integrations.md: version "4"); unknown fields are allowed and ignored. */
const AlertmanagerBody = z.object({
  version: z.string().optional(),
  status: z.string(),
  alerts: z
    .array(
      z.object({
        status: z.string(),
        labels: z.record(z.string(), z.string()).default({}),
        annotations: z.record(z.string(), z.string()).default({}),
        startsAt: z.string().optional(),
        fingerprint: z.string().optional(),
      }),
    )
    .max(1000),
  commonLabels: z.record(z.string(), z.string()).optional(),
  externalURL: z.string().optional(),
});

type Trigger = Extract<Connection, { kind: 'alertmanager' }>;

export interface AlertReceiverDeps {
  trigger: (id: string) => Trigger | undefined;
  /** The trigger's own secret: each trigger is authenticated separately. */
  secret: (id: string) => string | undefined;
  plans: PlansService;
  /** Where an alert that matched no plan is logged (stderr of `rampart autopilot` by default): labels, no secrets. */
  log?: (line: string) => void;
}

type Unmatched = { alertname: string; labels: Record<string, string>; reason: string };

/** The labels that chose (or failed to choose) a plan: `rampart_*` and the alert's name, nothing else. */
const routingLabels = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).filter(([k]) => k === 'alertname' || k.startsWith('rampart_')));

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: Bearer <token>`, or Basic with the token as the password (Alertmanager's http_config). */
function authorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization ?? '';
  if (h.startsWith('Bearer ')) return equal(h.slice(7).trim(), token);
  if (h.startsWith('Basic ')) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    return equal(decoded.slice(decoded.indexOf(':') + 1), token);
  }
  return false;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why an alert's labels chose no plan: no plan at all for the flag, or none active where the labels point. */
function noPlanReason(plans: PlansService, flagKey: string, env?: string, connectionId?: string): string {
  const where = `'${flagKey}'${env ? ` in ${env}` : ''}${connectionId ? ` on ${connectionId}` : ''}`;
  const all = plans.list({ flagKey });
  if (all.length === 0) return `no plan for ${where}: unknown flag, or no plan was ever started for it`;
  const live = all.filter((p) => ['running', 'holding', 'paused', 'awaiting-approval'].includes(p.state));
  if (live.length === 0) return `no active plan for ${where}: its plans are finished`;
  const places = [...new Set(live.map((p) => `${p.env} on ${p.connectionId}`))].join(', ');
  return `no active plan for ${where}; active plans of this flag: ${places}`;
}

/**
 * The kill switch from an existing alert (issue 12): Alertmanager's webhook receiver on `rampart autopilot --listen`.
 * `POST /alertmanager/<trigger id>`, authenticated with that trigger's own token. A firing alert pauses or rolls
 * back (aborts) the active plans of the flag the trigger names, or that the alert names in its `rampart_flag`
 * (+ `rampart_env`, `rampart_connection`) labels. Resolved alerts change nothing: a person resumes a paused plan.
 * Answers 2xx only when done, so Alertmanager resends on a failed rollback. An alert that matches no plan (a typo in
 * `rampart_env`, a finished plan) is answered 200 with `unmatched` and the reason, and logged with its routing labels.
 */
export async function startAlertReceiver(
  deps: AlertReceiverDeps,
  listen: { host: string; port: number },
): Promise<{ url: string; port: number; close(): Promise<void>; server: Server }> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/alertmanager\/([a-z0-9][a-z0-9-]{0,62})$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m) return reply(res, 404, { error: 'POST /alertmanager/<trigger id>' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
    const trigger = deps.trigger(m[1]);
    // Unknown trigger and bad token answer alike, so the receiver does not reveal which triggers exist.
    const token = trigger ? deps.secret(trigger.id) : undefined;
    if (!trigger || !token || !authorized(req, token)) return reply(res, 401, { error: 'unauthorized' });
    const text = await readBody(req);
    if (text === null) return reply(res, 413, { error: 'body over 1 MiB' });
    let parsed;
    try {
      parsed = AlertmanagerBody.safeParse(JSON.parse(text));
    } catch {
      return reply(res, 400, { error: 'not JSON' });
    }
    if (!parsed.success)
      return reply(res, 400, {
        error: `not an Alertmanager webhook body: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      });

    const acted: { planId: string; flagKey: string; env: string; action: string; state: string }[] = [];
    const failed: string[] = [];
    const unmatched: Unmatched[] = [];
    const miss = (labels: Record<string, string>, reason: string) =>
      unmatched.push({ alertname: labels.alertname ?? 'unnamed', labels: routingLabels(labels), reason });
    const firing = parsed.data.alerts.filter((a) => a.status === 'firing');
    for (const alert of firing) {
      const labels = { ...parsed.data.commonLabels, ...alert.labels };
      const flagKey = trigger.flagKey ?? labels.rampart_flag;
      if (!flagKey) {
        miss(labels, `the trigger names no flag and the alert has no rampart_flag label`);
        continue;
      }
      const env = trigger.env ?? labels.rampart_env;
      const connectionId = trigger.flagConnectionId ?? labels.rampart_connection;
      const plans = deps.plans
        .list({ active: true, flagKey, env, connectionId })
        .filter((p) => ['running', 'holding', 'paused', 'awaiting-approval'].includes(p.state));
      const why =
        `Alertmanager alert ${labels.alertname ?? 'unnamed'}${alert.fingerprint ? ` (${alert.fingerprint})` : ''} firing${alert.annotations.summary ? `: ${alert.annotations.summary}` : ''}`.slice(
          0,
          900,
        );
      if (plans.length === 0) miss(labels, noPlanReason(deps.plans, flagKey, env, connectionId));
      for (const p of plans) {
        if (acted.some((a) => a.planId === p.id)) continue;
        try {
          const actor = { user: `alertmanager:${trigger.name}`, door: 'alertmanager' };
          const out =
            trigger.action === 'rollback'
              ? await deps.plans.abort(p.id, why, actor)
              : await deps.plans.pause(p.id, why, actor, 'alert');
          acted.push({ planId: p.id, flagKey: p.flagKey, env: p.env, action: trigger.action, state: out.state });
        } catch (e) {
          failed.push(`${p.id}: ${isRampartError(e) ? e.message : String(e)}`);
        }
      }
    }
    const log = deps.log ?? ((line: string) => console.warn(line));
    for (const u of unmatched)
      log(
        `rampart alertmanager: alert ${u.alertname} on trigger ${trigger.id} matched no plan: ${u.reason} (labels ${JSON.stringify(u.labels)})`,
      );
    if (failed.length > 0) return reply(res, 502, { acted, failed, ...(unmatched.length ? { unmatched } : {}) });
    // 200 even when nothing matched: Alertmanager would resend a 4xx/5xx forever for a label that will never match;
    // the body and the log line say why nothing was done.
    return reply(res, 200, { acted, firing: firing.length, ...(unmatched.length ? { unmatched } : {}) });
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${listen.host}:${listen.port}: ${e.code ?? e.message}`)),
    );
    server.listen(listen.port, listen.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
