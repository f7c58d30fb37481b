import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from '../../shared/domain/connections';
import { startAlertReceiver } from '../../main/plans/alert-receiver';
import { planHarness } from './support/harness';

let h: ReturnType<typeof planHarness>;
let close: (() => Promise<void>) | undefined;
let logged: string[] = [];
afterEach(async () => {
  logged = [];
  await close?.();
  h?.close();
});

const TOKEN = 'am-unit-token-7c1';
const triggers = {
  'am-pause': Connection.parse({
    id: 'am-pause',
    name: 'SLO burn (pause)',
    kind: 'alertmanager',
    action: 'pause',
    tokenEnv: 'RAMPART_AM',
    flagKey: 'checkout-v2',
  }),
  'am-rollback': Connection.parse({
    id: 'am-rollback',
    name: 'Errors (rollback)',
    kind: 'alertmanager',
    action: 'rollback',
    tokenEnv: 'RAMPART_AM2',
  }),
} as Record<string, Extract<Connection, { kind: 'alertmanager' }>>;

async function receiver() {
  h = planHarness({ exposure: 0 });
  const r = await startAlertReceiver(
    {
      trigger: (id) => triggers[id],
      secret: (id) => (id === 'am-pause' ? TOKEN : `${TOKEN}-2`),
      plans: h.service,
      log: (line) => logged.push(line),
    },
    { host: '127.0.0.1', port: 0 },
  );
  close = r.close;
  return r;
}

const alert = (labels: Record<string, string>, status = 'firing') => ({
  version: '4',
  status,
  alerts: [
    {
      status,
      labels: { alertname: 'CheckoutSLOBurn', ...labels },
      annotations: { summary: 'burning' },
      fingerprint: 'f1',
    },
  ],
});
const post = (url: string, body: unknown, auth?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the Alertmanager receiver', () => {
  it('refuses unauthenticated, wrong-token and unknown-trigger requests alike, and malformed bodies by name', async () => {
    const r = await receiver();
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [{ exposure: 5 }, { exposure: 100 }] },
        comment: 'go',
      },
      h.person,
    );
    expect((await post(`${r.url}/alertmanager/am-pause`, alert({}))).status).toBe(401);
    expect((await post(`${r.url}/alertmanager/am-pause`, alert({}), `Bearer ${TOKEN}-2`)).status).toBe(401); // another trigger's token
    expect((await post(`${r.url}/alertmanager/nope`, alert({}), `Bearer ${TOKEN}`)).status).toBe(401);
    expect((await post(`${r.url}/other`, alert({}), `Bearer ${TOKEN}`)).status).toBe(404);
    expect((await post(`${r.url}/alertmanager/am-pause`, 'not json', `Bearer ${TOKEN}`)).status).toBe(400);
    const bad = await post(`${r.url}/alertmanager/am-pause`, { status: 'firing' }, `Bearer ${TOKEN}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/alerts/);
    expect(h.plan(p.id).state).toBe('running');
  });

  it('a firing alert pauses the plan its trigger names (bearer or basic auth); a resolved one changes nothing', async () => {
    const r = await receiver();
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [{ exposure: 5 }, { exposure: 100 }] },
        comment: 'go',
      },
      h.person,
    );
    expect(
      await (await post(`${r.url}/alertmanager/am-pause`, alert({}, 'resolved'), `Bearer ${TOKEN}`)).json(),
    ).toEqual({ acted: [], firing: 0 });
    const res = await post(
      `${r.url}/alertmanager/am-pause`,
      alert({}),
      `Basic ${Buffer.from(`alertmanager:${TOKEN}`).toString('base64')}`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ acted: [{ planId: p.id, action: 'pause', state: 'paused' }] });
    expect(h.plan(p.id)).toMatchObject({
      state: 'paused',
      pausedBy: 'alert',
      reason: expect.stringContaining('CheckoutSLOBurn'),
    });
    expect(h.audits).toContain('plan-pause alertmanager alertmanager:SLO burn (pause)');
  });

  it('a rollback trigger takes the flag from the alert’s labels and rolls back at once', async () => {
    const r = await receiver();
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [{ exposure: 5 }, { exposure: 100 }] },
        comment: 'go',
      },
      h.person,
    );
    const other = await post(
      `${r.url}/alertmanager/am-rollback`,
      alert({ rampart_flag: 'other-flag' }),
      `Bearer ${TOKEN}-2`,
    );
    expect(await other.json()).toEqual({
      acted: [],
      firing: 1,
      unmatched: [
        {
          alertname: 'CheckoutSLOBurn',
          labels: { alertname: 'CheckoutSLOBurn', rampart_flag: 'other-flag' },
          reason: "no plan for 'other-flag': unknown flag, or no plan was ever started for it",
        },
      ],
    });
    const typo = await post(
      `${r.url}/alertmanager/am-rollback`,
      alert({ rampart_flag: 'checkout-v2', rampart_env: 'prod' }),
      `Bearer ${TOKEN}-2`,
    );
    expect(((await typo.json()) as { unmatched: { reason: string }[] }).unmatched[0].reason).toBe(
      "no active plan for 'checkout-v2' in prod; active plans of this flag: production on mem",
    );
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatch(/^rampart alertmanager: alert CheckoutSLOBurn on trigger am-rollback matched no plan: /);
    const res = await post(
      `${r.url}/alertmanager/am-rollback`,
      alert({ rampart_flag: 'checkout-v2', rampart_env: 'production' }),
      `Bearer ${TOKEN}-2`,
    );
    expect(await res.json()).toMatchObject({ acted: [{ planId: p.id, action: 'rollback', state: 'aborted' }] });
    expect(h.writes.at(-1)).toBe('rollback alertmanager');
    expect(h.flag.exposure).toBe(0);
  });
});
