import { afterEach, describe, expect, it } from 'vitest';
import { decision, planHarness } from './support/harness';

let h: ReturnType<typeof planHarness>;
afterEach(() => h?.close());

describe('the decision record and the chart bands', () => {
  it('exports every transition with its decision (Markdown and JSON) and draws one band per step held', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [{ exposure: 5 }, { exposure: 25 }, { exposure: 100 }], bakeMs: 0 },
        comment: 'guarded rollout',
      },
      h.person,
    );
    const t0 = h.clock.now;
    h.advance(10_000);
    h.decide(decision(h.clock.now, 'advance'));
    await h.runner.tick();
    h.advance(10_000);
    h.decide(decision(h.clock.now, 'rollback'));
    await h.runner.tick();

    const md = h.service.export(p.id, 'markdown');
    expect(md).toMatchObject({
      mimeType: 'text/markdown',
      filename: expect.stringMatching(/^rampart-plan-checkout-v2-production-plan-[0-9a-f]+\.md$/),
    });
    expect(md.content).toMatch(/^# Plan plan-[0-9a-f]+: checkout-v2 in production/);
    expect(md.content).toMatch(/advance · step 2\/3 · 25% · autopilot \(plan\)/);
    expect(md.content).toMatch(/rollback · step 2\/3 · 0% · autopilot \(plan\): 25% → 0%, confirmed by read-back/);
    expect(md.content).toMatch(/\| error_ratio \| pass \| 1 \| \[-0\.001, 0\.001\] \| 0\.5 \| 90000 \/ 5000 \|/);
    expect(md.content).toContain('`p99`: `histogram_quantile(0.99, …)`');
    const json = JSON.parse(h.service.export(p.id, 'json').content) as {
      plan: { id: string };
      events: { kind: string }[];
    };
    expect(json.plan.id).toBe(p.id);
    expect(json.events.map((e) => e.kind)).toEqual(['start', 'advance', 'advance', 'rollback']);

    const bands = h.service.bands({
      connectionId: 'mem',
      flagKey: 'checkout-v2',
      env: 'production',
      from: t0 - 60_000,
      to: h.clock.now + 60_000,
    });
    expect(bands.map((b) => `${b.label} ${b.outcome}`)).toEqual([
      'plan step 1/3 · 5% advanced',
      'plan step 2/3 · 25% rolled-back',
    ]);
    expect(bands[0].to).toBe(bands[1].from);
    const view = h.service.get(p.id);
    expect(view.outlook.steps.map((s) => s.status)).toEqual(['done', 'rolled-back', 'pending']);
  });
});
