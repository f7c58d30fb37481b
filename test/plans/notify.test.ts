import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Connection, type NotifyConnection } from '../../shared/domain/connections';
import { PlanPolicy, type Plan } from '../../shared/domain/plans';
import { createNotifier, testSink } from '../../main/notify';
import { pagerDutyBody } from '../../main/notify/payloads';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}
let server: Server;
let base = '';
const seen: Seen[] = [];
let failNext = 0;
let nextId = 100;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        body: text ? JSON.parse(text) : {},
      });
      if (failNext > 0) {
        failNext--;
        res.writeHead(500, { 'content-type': 'application/json' });
        // A server that echoes what it was sent, secrets included: the failure line must not carry them.
        return res.end(JSON.stringify({ message: `boom ${req.headers.authorization ?? ''} ${req.url}` }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        req.url === '/api/annotations' ? JSON.stringify({ id: nextId++, message: 'Annotation added' }) : '{"ok":true}',
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  failNext = 0;
});

const plan = (over: Partial<Plan> = {}): Plan =>
  ({
    id: 'plan-abc',
    connectionId: 'unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    stepIndex: 1,
    expected: { enabled: true, exposure: 5 },
    annotations: [],
    policy: PlanPolicy.parse({ steps: [{ exposure: 1 }, { exposure: 5 }, { exposure: 100 }] }),
    ...over,
  }) as Plan;

const SECRETS: Record<string, string> = {
  slack: `${'http'}://127.0.0.1:PORT/services/T000/B000/s3cr3t-slack-path`,
  pd: 'pd-routing-key-s3cr3t',
  graf: 'glsa_grafana_s3cr3t',
  hook: 'hook-bearer-s3cr3t',
};

function notifierWith(connections: Connection[], desktop: unknown[] = []) {
  return createNotifier({
    connections: () => connections,
    secret: (id) => SECRETS[id]?.replace('http://127.0.0.1:PORT', base),
    desktop: (n) => desktop.push(n),
    now: () => 1_760_000_000_000,
  });
}

const conn = (c: unknown) => Connection.parse(c);

describe('plan notifications', () => {
  it('posts the documented shapes: Slack {text, blocks}, generic JSON, PagerDuty Events v2 — and desktop', async () => {
    const desktop: unknown[] = [];
    const notify = notifierWith(
      [
        conn({ id: 'slack', name: 'Team channel', kind: 'slack', tokenEnv: 'RAMPART_SLACK' }),
        conn({ id: 'hook', name: 'Ops hook', kind: 'webhook', url: `${base}/hook`, tokenEnv: 'RAMPART_HOOK' }),
        conn({ id: 'pd', name: 'PagerDuty', kind: 'pagerduty', url: base, tokenEnv: 'RAMPART_PD' }),
      ],
      desktop,
    );
    const out = await notify(plan(), 'rollback', {
      title: 'checkout-v2 rolled back in production',
      body: '5% → off: p99 fails past the margin',
    });
    expect(out.failures).toEqual([]);
    const byUrl = Object.fromEntries(seen.map((s) => [s.url, s]));
    expect(byUrl['/services/T000/B000/s3cr3t-slack-path'].body).toMatchObject({
      text: expect.stringContaining('*checkout-v2 rolled back in production*'),
      blocks: expect.any(Array),
    });
    expect(byUrl['/hook']).toMatchObject({
      auth: `Bearer ${SECRETS.hook}`,
      body: {
        source: 'rampart',
        version: 1,
        notice: { kind: 'rollback', planId: 'plan-abc', severity: 'error', exposure: 5 },
      },
    });
    expect(byUrl['/v2/enqueue'].body).toMatchObject({
      routing_key: SECRETS.pd,
      event_action: 'trigger',
      dedup_key: 'rampart-plan-plan-abc',
      payload: {
        source: 'rampart',
        severity: 'error',
        component: 'checkout-v2',
        group: 'production',
        summary: expect.stringContaining('rolled back'),
      },
    });
    expect(desktop).toHaveLength(1);
  });

  it('resolves the PagerDuty incident on recovery and completion', () => {
    expect(pagerDutyBody({ planId: 'p', kind: 'recovered' } as never, 'k')).toEqual({
      routing_key: 'k',
      event_action: 'resolve',
      dedup_key: 'rampart-plan-p',
    });
  });

  it('only tells a target the notices it asked for (default: the ones that need a person)', async () => {
    const notify = notifierWith([
      conn({ id: 'hook', name: 'Ops hook', kind: 'webhook', url: `${base}/hook`, events: ['completed'] }),
    ]);
    await notify(plan(), 'paused', { title: 'paused', body: 'x' });
    expect(seen).toEqual([]);
    await notify(plan(), 'completed', { title: 'done', body: 'x' });
    expect(seen).toHaveLength(1);
    const quiet = notifierWith([conn({ id: 'hook', name: 'Ops hook', kind: 'webhook', url: `${base}/hook` })]);
    await quiet(plan(), 'advanced', { title: 'step', body: 'x' });
    expect(seen).toHaveLength(1); // a step is not a person's business by default
  });

  it('draws each step as a Grafana region: POST to open, PATCH timeEnd to close, point annotations otherwise', async () => {
    const notify = notifierWith([
      conn({
        id: 'graf',
        name: 'Grafana',
        kind: 'grafana',
        url: base,
        tokenEnv: 'RAMPART_GRAFANA',
        dashboardUID: 'abc',
        tags: ['team-pay'],
      }),
    ]);
    const first = await notify(plan(), 'started', { title: 'started', body: 'x' });
    expect(first.annotations).toEqual([{ connectionId: 'graf', id: 100, stepIndex: 1 }]);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/annotations', auth: `Bearer ${SECRETS.graf}` });
    expect(seen[0].body).toMatchObject({
      time: 1_760_000_000_000,
      timeEnd: 1_760_000_000_000,
      dashboardUID: 'abc',
      tags: expect.arrayContaining(['rampart', 'flag:checkout-v2', 'team-pay']),
    });
    const second = await notify(plan({ annotations: first.annotations!, stepIndex: 2 }), 'advanced', {
      title: 'step 3',
      body: 'x',
    });
    expect(seen.slice(1).map((s) => `${s.method} ${s.url}`)).toEqual([
      'PATCH /api/annotations/100',
      'POST /api/annotations',
    ]);
    expect(seen[1].body).toEqual({ timeEnd: 1_760_000_000_000 });
    expect(second.annotations).toEqual([{ connectionId: 'graf', id: 101, stepIndex: 2 }]);
    const end = await notify(plan({ annotations: second.annotations! }), 'rollback', {
      title: 'rolled back',
      body: 'x',
    });
    expect(seen.slice(3).map((s) => `${s.method} ${s.url}`)).toEqual([
      'PATCH /api/annotations/101',
      'POST /api/annotations',
    ]);
    expect(seen[4].body.timeEnd).toBeUndefined(); // a point, not a region
    expect(end.annotations).toEqual([]);
  });

  it('a failing target is a failure line without its secret, and never stops the others', async () => {
    failNext = 1;
    const notify = notifierWith([
      conn({ id: 'pd', name: 'PagerDuty', kind: 'pagerduty', url: base, tokenEnv: 'RAMPART_PD' }),
      conn({ id: 'slack', name: 'Team channel', kind: 'slack', tokenEnv: 'RAMPART_SLACK' }),
      conn({ id: 'nokey', name: 'Unset PD', kind: 'pagerduty', tokenEnv: 'RAMPART_UNSET' }),
    ]);
    const out = await notify(plan(), 'rollback', { title: 't', body: 'b' });
    expect(
      out.failures.some((f) =>
        f.startsWith(
          'Unset PD (pagerduty): Unset PD: no routing key configured (the variable RAMPART_UNSET is not set)',
        ),
      ),
    ).toBe(true);
    const text = JSON.stringify(out.failures);
    for (const s of [SECRETS.pd, 's3cr3t-slack-path']) expect(text).not.toContain(s);
    expect(seen.some((s) => s.url.includes('s3cr3t-slack-path'))).toBe(true); // Slack still got it
  });

  it('tests a target by sending one labelled test notice; an Alertmanager trigger checks its token', async () => {
    const slack = conn({
      id: 'slack',
      name: 'Team channel',
      kind: 'slack',
      tokenEnv: 'RAMPART_SLACK',
    }) as NotifyConnection;
    expect(await testSink(slack, SECRETS.slack.replace('http://127.0.0.1:PORT', base), 0)).toEqual({
      ok: true,
      message: 'Team channel: test notification sent',
    });
    expect(seen[0].body.text as string).toContain('Rampart test notification');
    const bad = await testSink(slack, 'not a url', 0);
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/not an http\(s\) URL/) });
    const am = conn({
      id: 'am',
      name: 'Alerts',
      kind: 'alertmanager',
      action: 'rollback',
      tokenEnv: 'RAMPART_AM',
    }) as NotifyConnection;
    expect((await testSink(am, undefined, 0)).ok).toBe(false);
    expect(await testSink(am, 'tok', 0)).toMatchObject({
      ok: true,
      message: expect.stringContaining('/alertmanager/am'),
    });
  });
});
