import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run, tempDirs } from './support/run-cli';

/**
 * A flagd file whose fractional weights sum past 2^53 (1e308 each: the total is Infinity). Its exposure used to come
 * out NaN: the rollback rewrote the weights and audited `done`, then the contract refused the NaN in its result, so
 * the CLI printed "Internal error" and exited 1 for a kill switch that had worked. Now the exposure is unknown
 * (null), the rollback reports what it did, and the list and the change label say "unknown", never NaN or 0 %.
 */
const tmp = tempDirs('rampart-cli-huge-weights-');

describe('a flagd flag with weights too large to share out', () => {
  it('lists with an unknown exposure and rolls back with exit 0, confirmed by read-back', async () => {
    const dir = tmp();
    const file = join(dir, 'flags.json');
    const flag = {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        fractional: [
          ['on', 1e308],
          ['off', 1e308],
        ],
      },
    };
    writeFileSync(file, JSON.stringify({ flags: { f1: flag } }));
    const home = join(dir, 'home');
    const add = await run(
      'connections',
      'add',
      '--kind',
      'flagd',
      '--name',
      'odd',
      '--file',
      file,
      '--environment',
      'production',
      '--data-dir',
      home,
    );
    expect(add.code, add.err).toBe(0);

    const list = await run('flags', 'list', '--connection', 'odd', '--json', '--data-dir', home);
    expect(list.code, list.err).toBe(0);
    expect(list.out).not.toMatch(/NaN/);
    const rows = JSON.parse(list.out) as { flagKey: string; exposure: number | null }[];
    expect(rows.find((r) => r.flagKey === 'f1')?.exposure).toBeNull();

    const r = await run(
      'rollback',
      'f1',
      '--env',
      'production',
      '--comment',
      'kill probe',
      '--connection',
      'odd',
      '--data-dir',
      home,
    );
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toContain('rolled back (rollout unknown → 0%) — confirmed by read-back');
    const after = JSON.parse(readFileSync(file, 'utf8')) as { flags: { f1: { targeting: { fractional: unknown } } } };
    expect(after.flags.f1.targeting.fractional).toEqual([
      ['on', 0],
      ['off', 100],
    ]);

    const audit = await run('audit', 'list', '--json', '--data-dir', home);
    const entries = JSON.parse(audit.out) as { flagKey: string; action: string; result: string }[];
    expect(entries.filter((e) => e.flagKey === 'f1' && e.action === 'rollback').map((e) => e.result)).toEqual(['done']);
  });
});
