import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, demoCore } from './support';

afterEach(closeAll);

/**
 * Promote between two flagd files (two connections of the same kind): a staging file and the demo's production
 * file. The review shows both states, the change and the blast radius; the write goes through the rollout service,
 * with the metrics guard when more production units would get the treatment; "the same plan" starts a plan there.
 */
async function withStaging() {
  const h = demoCore();
  const prod = JSON.parse(readFileSync(join(h.dataDir, 'demo', 'flags.json'), 'utf8'));
  prod.flags['dark-mode'].state = 'DISABLED';
  prod.flags['checkout-v2'].targeting.fractional = [
    prod.flags['checkout-v2'].targeting.fractional[0],
    ['on', 50],
    ['off', 50],
  ];
  prod.flags['search-ranker'].targeting = undefined;
  prod.flags['search-ranker'].defaultVariant = 'classic';
  const file = join(h.dataDir, 'staging-flags.json');
  writeFileSync(file, JSON.stringify(prod, null, 2));
  await h.call('connections:save', {
    connection: { id: 'staging', kind: 'flagd', name: 'Staging flags', file, environment: 'staging' },
  });
  return { ...h, file };
}

const prod = { connectionId: 'demo-flags', env: 'production' };
const staging = { connectionId: 'staging', env: 'staging' };

describe('promote a rollout between environments', () => {
  it('reviews, then copies on/off and exposure: production → staging turns dark-mode on for everyone there', async () => {
    const { call, file } = await withStaging();
    const review = await call('lifecycle:promotePreview', { flagKey: 'dark-mode', from: prod, to: staging });
    expect(review.from.state).toMatchObject({ enabled: true, exposure: 100 });
    expect(review.to.state).toMatchObject({ enabled: false });
    expect(review.changes).toContainEqual({ field: 'enabled', from: 'off', to: 'on' });
    expect(review.blastRadius).toMatchObject({ before: 0, after: 100, targetWatched: false });
    expect(review.blastRadius.summary).toBe(
      "100% of the units in staging (Staging flags) start getting 'on' (0% → 100%)",
    );
    expect(review.copy).toEqual({ ok: true, reason: null });
    const expected = {
      from: { enabled: true, exposure: 100 },
      to: { enabled: review.to.state.enabled, exposure: review.to.state.exposure },
    };
    const res = await call(
      'lifecycle:promote',
      { flagKey: 'dark-mode', from: prod, to: staging, expected, comment: 'dark mode for the staging testers too' },
      'http',
    );
    expect(res.mode).toBe('state');
    if (res.mode !== 'state') return;
    expect(res.result.readBack).toMatchObject({ enabled: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).flags['dark-mode'].state).toBe('ENABLED');
    const [entry] = await call('audit:list', { limit: 1, flagKey: 'dark-mode' });
    expect(entry).toMatchObject({
      action: 'promote',
      result: 'done',
      connectionId: 'staging',
      env: 'staging',
      door: 'http',
    });
    expect(entry.detail).toMatchObject({ from: { connectionId: 'demo-flags', env: 'production', enabled: true } });
  });

  it('is guarded like a ramp when more production units would get the treatment; an override is audited', async () => {
    const { call, dataDir } = await withStaging();
    const review = await call('lifecycle:promotePreview', { flagKey: 'checkout-v2', from: staging, to: prod });
    expect(review.changes).toEqual([{ field: 'exposure', from: '25%', to: '50%' }]);
    expect(review.blastRadius).toMatchObject({ before: 25, after: 50, targetWatched: true });
    const req = { flagKey: 'checkout-v2', from: staging, to: prod, comment: 'staging held 50 % for a day' };
    // The demo's checkout-v2 regresses: its decision does not allow more exposure.
    await expect(call('lifecycle:promote', req)).rejects.toMatchObject({
      code: 'blocked',
      message: expect.stringContaining('metrics guard refused this promote'),
    });
    const file = () =>
      JSON.parse(readFileSync(join(dataDir, 'demo', 'flags.json'), 'utf8')).flags['checkout-v2'].targeting
        .fractional[1];
    expect(file()).toEqual(['on', 25]);
    const res = await call('lifecycle:promote', { ...req, override: true });
    expect(res.mode === 'state' && res.result.readBack).toEqual({ enabled: true, exposure: 50 });
    expect(file()).toEqual(['on', 50]);
    const [done, refused] = await call('audit:list', { limit: 2, flagKey: 'checkout-v2' });
    expect(done).toMatchObject({ action: 'promote', result: 'done', override: true });
    expect(refused).toMatchObject({ action: 'promote', result: 'refused' });
  });

  it('refuses a source that moved since the review, different kinds, and the same environment', async () => {
    const { call } = await withStaging();
    await call('connections:save', {
      connection: {
        id: 'unleash-x',
        kind: 'unleash',
        name: 'Unleash X',
        url: 'http://127.0.0.1:9',
        tokenEnv: 'RAMPART_X',
      },
    });
    await expect(
      call('lifecycle:promotePreview', {
        flagKey: 'dark-mode',
        from: prod,
        to: { connectionId: 'unleash-x', env: 'production' },
      }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('same kind') });
    await expect(
      call('lifecycle:promotePreview', { flagKey: 'dark-mode', from: prod, to: prod }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    const moved = { from: { enabled: true, exposure: 25 }, to: { enabled: false, exposure: 100 } };
    await expect(
      call('lifecycle:promote', {
        flagKey: 'dark-mode',
        from: prod,
        to: staging,
        expected: moved,
        comment: 'stale review',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it("starts the source's plan in the target instead, once the target has a watch", async () => {
    const { call } = await withStaging();
    const before = await call('lifecycle:promotePreview', { flagKey: 'search-ranker', from: prod, to: staging });
    expect(before.plan).toMatchObject({ sourcePlanId: 'plan-demo', steps: [1, 5, 25, 50, 75, 100], ok: false });
    expect(before.plan.reason).toContain('has no watch');
    const [demoWatch] = await call('watches:list', {}).then((ws) => ws.filter((w) => w.flagKey === 'search-ranker'));
    await call('watches:save', {
      watch: { ...demoWatch, id: 'staging-search', flagConnectionId: 'staging', env: 'staging' },
    });
    const ready = await call('lifecycle:promotePreview', { flagKey: 'search-ranker', from: prod, to: staging });
    expect(ready.plan).toMatchObject({ ok: true, reason: null });
    const res = await call('lifecycle:promote', {
      flagKey: 'search-ranker',
      from: prod,
      to: staging,
      mode: 'plan',
      comment: 'the same guarded ladder in staging',
    });
    expect(res.mode).toBe('plan');
    if (res.mode !== 'plan') return;
    expect(res.plan).toMatchObject({ connectionId: 'staging', env: 'staging', policyName: null });
    expect(res.plan.policy.steps.map((s) => s.exposure)).toEqual([1, 5, 25, 50, 75, 100]);
    const audit = await call('audit:list', { limit: 10, flagKey: 'search-ranker' });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['promote', 'plan-start']));
    // The target now has an active plan: copying on top of it is refused.
    const blocked = await call('lifecycle:promotePreview', { flagKey: 'search-ranker', from: prod, to: staging });
    expect(blocked.copy.ok).toBe(false);
    expect(blocked.copy.reason).toContain('a plan');
  });
});
