import { describe, expect, it } from 'vitest';
import { runCli as run, tempDirs } from './support/run-cli';

/**
 * The CLI on a demo workspace (a fresh data directory per describe): verdict, watch edit with its query preview,
 * connections add --replace, series, and a ramp + rollback found again in the audit log and the flag's history.
 */
const tmp = tempDirs('rampart-cli-workspace-');

describe('rampart verdict, watch add|edit and connections add --replace', () => {
  const dataDir = tmp();

  it('reads the same decision as decision:get, with the judge’s exit codes', async () => {
    const r = await run('verdict', 'checkout-v2', '--env', 'production', '--json', '--data-dir', dataDir);
    const out = JSON.parse(r.out) as {
      decision: { action: string; verdict: { verdict: string }; baseline: string };
      verdict: { baseline: { kind: string } };
      exitCode: number;
    };
    expect(r.code).toBe(out.exitCode);
    const expected =
      out.decision.action === 'rollback' || out.decision.verdict.verdict === 'fail'
        ? 1
        : out.decision.verdict.verdict === 'pass'
          ? 0
          : 3;
    expect(r.code).toBe(expected);
    expect(out.verdict.baseline.kind).toBe(out.decision.baseline);
    const human = await run(
      'verdict',
      'checkout-v2',
      '--env',
      'production',
      '--baseline',
      'seasonal',
      '--utc',
      '--data-dir',
      dataDir,
    );
    expect(human.code).toBe(expected); // another baseline is shown for comparison; the exit code stays the decision's
    expect(human.out).toMatch(/^checkout-v2 in production: (ADVANCE|HOLD|ROLLBACK) — /);
    expect(human.out).toMatch(/shown below: the seasonal baseline, for comparison|on the seasonal baseline/);
    expect(human.out).toMatch(/times in UTC/);
    expect(human.out).toMatch(/baseline \(seasonal\): \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z → /);
  });

  it('edits a watch: metric queries, variant label values and thresholds, and tries the queries', async () => {
    const r = await run(
      'watch',
      'edit',
      'checkout-v2',
      '--env',
      'production',
      '--treatment',
      'on',
      '--control',
      'off',
      '--allowed-increase',
      '1.2',
      '--confidence',
      '0.99',
      '--drop-metric',
      'p50',
      '--metric',
      'p75:latency:ms=p95{{{selector}}}{{#byVariant}} by ({{variantLabel}}){{/byVariant}}',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(r.err).toBe('');
    const out = JSON.parse(r.out) as {
      watch: {
        arms: unknown;
        thresholds: { allowedIncrease: number; confidence: number };
        metrics: { name: string; kind: string; unit: string }[];
      };
      preview: { parts: { metric: string; part: string; matched: number }[] };
    };
    expect(out.watch.arms).toEqual({ treatment: ['on'], control: ['off'] });
    expect(out.watch.thresholds).toMatchObject({ allowedIncrease: 1.2, confidence: 0.99 });
    expect(out.watch.metrics.map((m) => m.name)).not.toContain('p50');
    expect(out.watch.metrics.find((m) => m.name === 'p75')).toMatchObject({ kind: 'latency', unit: 'ms' });
    expect(out.preview.parts.find((p) => p.metric === 'p75' && p.part === 'series')?.matched).toBeGreaterThan(0);
    expect(r.code).toBe(0);
    const bad = await run('watch', 'edit', 'checkout-v2', '--metric', 'p99:slowness=x', '--data-dir', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/kind must be one of rate, errors, latency, got 'slowness'/);
    const half = await run('watch', 'edit', 'checkout-v2', '--treatment', 'on', '--data-dir', dataDir);
    expect(half.code).toBe(2);
    expect(half.err).toMatch(/--treatment and --control go together/);
  });

  it('asks for --replace before overwriting a connection, and the core refuses a silent replace too', async () => {
    const add = [
      'connections',
      'add',
      '--kind',
      'prometheus',
      '--name',
      'prom one',
      '--url',
      'http://127.0.0.1:9',
      '--data-dir',
      dataDir,
    ];
    expect((await run(...add)).code).toBe(0);
    const again = await run(...add);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/a connection 'prom-one' exists already: add --replace/);
    const replaced = await run(...add.slice(0, 7), 'http://127.0.0.1:10', '--replace', '--data-dir', dataDir);
    expect(replaced.code).toBe(0);
    expect(replaced.out).toMatch(/^Replaced prometheus connection 'prom-one'/);
  });
});

describe('rampart on the demo workspace', () => {
  it('series: one default metric for a selector, split by variant, through metrics:range; a bad metric exits 2', async () => {
    const dataDir = tmp();
    const args = ['--connection', 'demo-metrics', '--selector', 'service="checkout"', '--from', '30m'];
    const r = await run(
      'series',
      ...args,
      '--metric',
      'p99',
      '--by-variant',
      '--step',
      '60s',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const series = JSON.parse(r.out) as { labels: Record<string, string>; points: [number, number | null][] }[];
    expect(series.length).toBeGreaterThan(1); // one per variant label value
    for (const s of series) {
      expect(Object.keys(s.labels)).toContain('feature_flag_result_variant');
      expect(s.points.length).toBeGreaterThan(20);
      for (let i = 1; i < s.points.length; i++) expect(s.points[i][0] - s.points[i - 1][0]).toBe(60_000);
    }
    const bad = await run('series', ...args, '--metric', 'p42', '--data-dir', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/'p42' is not a default metric of demo-metrics: one of .*p99/);
  });

  it('lists the demo flags, ramps one with a comment, and finds it in the audit log', async () => {
    const dataDir = tmp();
    const list = await run('flags', 'list', '--json', '--data-dir', dataDir);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.out) as { flagKey: string; exposure: number | null }[];
    const checkout = rows.find((r) => r.flagKey === 'checkout-v2');
    expect(checkout).toBeDefined();

    const ramp = await run(
      'ramp',
      'checkout-v2',
      '--env',
      'production',
      '--to',
      '50',
      '--comment',
      'p99 flat for 30 min',
      '--override',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(ramp.err).toBe('');
    expect(ramp.code).toBe(0);
    expect(JSON.parse(ramp.out).readBack.exposure).toBe(50);

    const back = await run(
      'rollback',
      'checkout-v2',
      '--env',
      'production',
      '--comment',
      'errors climbing',
      '--data-dir',
      dataDir,
    );
    expect(back.code).toBe(0);
    expect(back.out).toMatch(/rolled back/);

    const audit = await run('audit', 'list', '--json', '--data-dir', dataDir);
    const entries = JSON.parse(audit.out) as { action: string; result: string; comment: string }[];
    expect(entries.map((e) => [e.action, e.result])).toEqual([
      ['rollback', 'done'],
      ['ramp', 'done'],
    ]);
    const history = await run('flags', 'history', 'checkout-v2', '--from', '2d', '--data-dir', dataDir);
    expect(history.out).toMatch(/rollout 50% → 0%/);
    // Times are labelled with their zone: local with its offset by default, UTC on request.
    expect(history.out).toMatch(/WHEN \(local, UTC[+-]\d{2}:\d{2}\)/);
    const utc = await run('flags', 'history', 'checkout-v2', '--from', '2d', '--utc', '--data-dir', dataDir);
    expect(utc.out).toMatch(/WHEN \(UTC\)[\s\S]*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z/);
  });
});
