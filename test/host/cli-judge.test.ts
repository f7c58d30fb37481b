import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run, tempDirs } from './support/run-cli';

/**
 * `rampart judge <file>`: samples in, a verdict out with the judge's exit codes (0 pass, 1 fail, 3 marginal or
 * inconclusive, 2 bad input) and the documented JSON fields; the example --help prints is itself valid input.
 */
const tmp = tempDirs('rampart-cli-judge-');

describe('rampart judge', () => {
  const write = (body: string) => {
    const f = join(tmp(), 'in.json');
    writeFileSync(f, body);
    return f;
  };

  it('prints an example input with judge --help, and that example is valid input', async () => {
    const r = await run('judge', '--help');
    const json = r.out.slice(r.out.indexOf('{'), r.out.lastIndexOf('}') + 1);
    const f = join(tmp(), 'example.json');
    writeFileSync(f, json);
    const judged = await run('judge', f, '--json');
    expect([0, 1, 3]).toContain(judged.code);
    expect(JSON.parse(judged.out).metrics).toHaveLength(2);
  });

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
    const healthy = await run(
      'judge',
      '--json',
      write(
        JSON.stringify({
          metrics: [
            { name: 'p99_ms', kind: 'latency', baseline: base, canary: base.map((x) => x + ((x * 13) % 3) - 1) },
          ],
        }),
      ),
    );
    expect(healthy.code).toBe(0);
    const out = JSON.parse(healthy.out);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['verdict', 'score', 'metrics']));
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
      ]),
    );
    const regressed = await run(
      'judge',
      '--json',
      write(
        JSON.stringify({
          metrics: [
            { name: 'p99_ms', kind: 'latency', critical: true, baseline: base, canary: base.map((x) => x * 1.4) },
          ],
        }),
      ),
    );
    expect(regressed.code).toBe(1);
    expect(JSON.parse(regressed.out).metrics[0]).toMatchObject({ verdict: 'fail', direction: 'higher' });
  });
});
