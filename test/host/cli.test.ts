import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/host/cli';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('rampart CLI: bad input', () => {
  it('names an unknown flag in one line and exits 2', async () => {
    const r = await run('flags', 'list', '--colour', 'red', '--data-dir', tmp());
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--colour/);
  });

  it('names a missing required option', async () => {
    const r = await run('ramp', 'checkout-v2', '--env', 'production', '--to', '25', '--data-dir', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--comment is required/);
  });

  it('names an out-of-range percentage', async () => {
    const r = await run('ramp', 'checkout-v2', '--env', 'production', '--to', '250', '--comment', 'go', '--data-dir', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--to must be a number from 0 to 100, got '250'/);
  });

  it('names an unknown command', async () => {
    const r = await run('deploy', 'everything');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'deploy everything'/);
  });
});

describe('rampart judge', () => {
  const write = (body: string) => {
    const f = join(tmp(), 'in.json');
    writeFileSync(f, body);
    return f;
  };

  it('exits 2 on malformed JSON and on a schema error, naming the problem', async () => {
    const bad = await run('judge', write('{"metrics": ['));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not valid JSON/);
    const schema = await run('judge', write('{"metrics": [{"name": "p99", "kind": "latency", "baseline": "fast"}]}'));
    expect(schema.code).toBe(2);
    expect(schema.err).toMatch(/metrics\.0/);
  });

  it('exits 0 on a healthy canary and 1 on a clear regression, with the documented JSON fields', async () => {
    const base = Array.from({ length: 60 }, (_, i) => 120 + ((i * 37) % 11));
    const healthy = await run('judge', '--json', write(JSON.stringify({ metrics: [{ name: 'p99_ms', kind: 'latency', baseline: base, canary: base.map((x) => x + ((x * 13) % 3) - 1) }] })));
    expect(healthy.code).toBe(0);
    const out = JSON.parse(healthy.out);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['verdict', 'score', 'metrics']));
    expect(Object.keys(out.metrics[0])).toEqual(
      expect.arrayContaining(['name', 'verdict', 'direction', 'method', 'pValue', 'estimate', 'ci', 'ratio', 'baselineN', 'canaryN', 'reason']),
    );
    const regressed = await run('judge', '--json', write(JSON.stringify({ metrics: [{ name: 'p99_ms', kind: 'latency', critical: true, baseline: base, canary: base.map((x) => x * 1.4) }] })));
    expect(regressed.code).toBe(1);
    expect(JSON.parse(regressed.out).metrics[0]).toMatchObject({ verdict: 'fail', direction: 'higher' });
  });
});

describe('rampart on the demo workspace', () => {
  it('lists the demo flags, ramps one with a comment, and finds it in the audit log', async () => {
    const dataDir = tmp();
    const list = await run('flags', 'list', '--json', '--data-dir', dataDir);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.out) as { flagKey: string; exposure: number | null }[];
    const checkout = rows.find((r) => r.flagKey === 'checkout-v2');
    expect(checkout).toBeDefined();

    const ramp = await run('ramp', 'checkout-v2', '--env', 'production', '--to', '50', '--comment', 'p99 flat for 30 min', '--override', '--json', '--data-dir', dataDir);
    expect(ramp.err).toBe('');
    expect(ramp.code).toBe(0);
    expect(JSON.parse(ramp.out).readBack.exposure).toBe(50);

    const back = await run('rollback', 'checkout-v2', '--env', 'production', '--comment', 'errors climbing', '--data-dir', dataDir);
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
  });
});
