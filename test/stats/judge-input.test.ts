import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/host/cli';
import { JudgeInput } from '../../shared/domain/verdict';
import { describeIssues } from '../../shared/errors';

const regressed = Array.from({ length: 40 }, (_, i) => 150 + (i % 7));
const healthy = Array.from({ length: 40 }, (_, i) => 100 + (i % 7));
const latency = { name: 'p99_ms', kind: 'latency', baseline: healthy, canary: regressed };

function problem(input: unknown): string {
  const parsed = JudgeInput.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.success ? '' : describeIssues(parsed.error);
}

describe('JudgeInput is strict: bad input is refused naming the field, never judged', () => {
  it('refuses an unknown key at every level ("critcal" would silently turn a regression into "marginal")', () => {
    expect(problem({ metrics: [{ ...latency, critcal: true }] })).toBe('metrics.0: Unrecognized key: "critcal"');
    expect(problem({ confidance: 0.9, metrics: [latency] })).toBe('(root): Unrecognized key: "confidance"');
    expect(
      problem({
        metrics: [
          { name: 'e', kind: 'errors', baseline: { errors: 1, total: 10, err: 1 }, canary: { errors: 1, total: 10 } },
        ],
      }),
    ).toBe('metrics.0.baseline: Unrecognized key: "err"');
  });

  it('refuses negative latencies and observations, and negative bucket counts', () => {
    expect(problem({ metrics: [{ ...latency, canary: [120, -5, 130] }] })).toBe(
      'metrics.0.canary.1: latencies and observations must be ≥ 0',
    );
    expect(
      problem({ metrics: [{ name: 'q', kind: 'quantile', quantile: 0.99, baseline: [1], canary: [-1] }] }),
    ).toMatch(/^metrics\.0\.canary\.0: latencies and observations must be ≥ 0/);
    expect(
      problem({
        metrics: [
          { name: 'h', kind: 'histogram', quantile: 0.99, bounds: [1, null], baseline: [1, 1], canary: [-1, 1] },
        ],
      }),
    ).toMatch(/^metrics\.0\.canary\.0: bucket counts must be ≥ 0/);
  });

  it('refuses duplicate metric names and marginalScore > passScore (also against the defaults)', () => {
    expect(problem({ metrics: [latency, { ...latency }] })).toBe(
      "metrics.1.name: duplicate metric name 'p99_ms' (also metrics.0)",
    );
    expect(problem({ passScore: 80, marginalScore: 90, metrics: [latency] })).toBe(
      'marginalScore: marginalScore 90 must not exceed passScore 80',
    );
    expect(problem({ marginalScore: 96, metrics: [latency] })).toBe(
      'marginalScore: marginalScore 96 must not exceed passScore 95',
    );
    expect(JudgeInput.safeParse({ passScore: 80, marginalScore: 80, metrics: [latency] }).success).toBe(true);
  });

  it('refuses malformed histograms: null bound not last, bounds not ascending, counts of the wrong length', () => {
    const h = { name: 'h', kind: 'histogram', quantile: 0.99 };
    expect(problem({ metrics: [{ ...h, bounds: [null, 1], baseline: [1, 1], canary: [1, 1] }] })).toMatch(
      /metrics\.0\.bounds\.0: only the last bound may be null/,
    );
    expect(problem({ metrics: [{ ...h, bounds: [5, 5, null], baseline: [1, 1, 1], canary: [1, 1, 1] }] })).toMatch(
      /metrics\.0\.bounds\.1: bounds must be strictly ascending/,
    );
    expect(problem({ metrics: [{ ...h, bounds: [5, null], baseline: [1], canary: [1, 1] }] })).toMatch(
      /metrics\.0\.baseline: needs one count per bound \(2\), got 1/,
    );
    expect(
      JudgeInput.safeParse({ metrics: [{ ...h, bounds: [5, 10, null], baseline: [1, 2.5, 0], canary: [0, 3, 1] }] })
        .success,
    ).toBe(true);
  });
});

describe('rampart judge on strict input', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  async function judgeFile(body: unknown) {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-judge-'));
    dirs.push(dir);
    const file = join(dir, 'in.json');
    writeFileSync(file, JSON.stringify(body));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['judge', '--json', file], { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('exits 2 with one line naming the misspelt key; the correct key judges a fail (exit 1)', async () => {
    const typo = await judgeFile({ metrics: [{ ...latency, critcal: true }] });
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/metrics\.0: Unrecognized key: "critcal"/);
    const right = await judgeFile({ metrics: [{ ...latency, critical: true }] });
    expect(right.code).toBe(1);
    const out = JSON.parse(right.out);
    expect(Object.keys(out.metrics[0])).toEqual(
      expect.arrayContaining([
        'name',
        'verdict',
        'direction',
        'method',
        'pValue',
        'estimate',
        'ci',
        'ratio',
        'baselineN',
        'canaryN',
        'reason',
        'margin',
        'relativeCi',
        'level',
      ]),
    );
    expect(out.metrics[0]).toMatchObject({ verdict: 'fail', margin: 0.1 });
  });

  it('exits 2 on negative latencies, duplicate names and inconsistent scores', async () => {
    expect((await judgeFile({ metrics: [{ ...latency, baseline: [-1, 2, 3] }] })).code).toBe(2);
    expect((await judgeFile({ metrics: [latency, latency] })).err).toMatch(/duplicate metric name 'p99_ms'/);
    expect((await judgeFile({ passScore: 60, marginalScore: 70, metrics: [latency] })).err).toMatch(
      /marginalScore 70 must not exceed passScore 60/,
    );
  });
});
