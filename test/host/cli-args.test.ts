import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionalNumber, parseDuration, parseTime } from '../../main/host/cli/args';
import { runCli as run, tempDirs } from './support/run-cli';

/**
 * docs/security.md, malformed input: CLI arguments give a clear error naming the problem. Numbers are plain decimal
 * (`Number('0x10')` is 16: a ramp to a percentage nobody typed); every usage error is one line and exit code 2.
 */
const tmp = tempDirs('rampart-args-');

const NOT_DECIMAL = [
  '0x10',
  '0X10',
  '1e1',
  '1E1',
  '016',
  '00',
  ' 5',
  '5 ',
  '+5',
  '5.',
  '.5',
  '0b101',
  '0o17',
  'Infinity',
  'NaN',
  '1_0',
  '１０',
  '5%',
  '',
];

describe('numbers are decimal only', () => {
  it.each(NOT_DECIMAL)('--to %j is refused in one line naming the flag, exit 2, nothing ramped', async (to) => {
    const dataDir = tmp();
    const r = await run(
      'ramp',
      'checkout-v2',
      '--env',
      'production',
      '--to',
      to,
      '--comment',
      'go',
      '--override',
      '--data-dir',
      dataDir,
    );
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--to must be a number from 0 to 100/);
    const audit = await run('audit', 'list', '--json', '--data-dir', dataDir);
    expect(JSON.parse(audit.out)).toEqual([]);
  });

  it('plain decimals pass; integers-only flags refuse fractions', () => {
    for (const [v, n] of [
      ['0', 0],
      ['5', 5],
      ['12.5', 12.5],
      ['100', 100],
      ['0.25', 0.25],
    ] as const)
      expect(optionalNumber({ to: v }, 'to', 0, 100)).toBe(n);
    expect(optionalNumber({ to: '-0' }, 'to', -1, 1)).toBe(0);
    expect(() => optionalNumber({ port: '80.5' }, 'port', 0, 65535, { integer: true })).toThrow(
      /--port must be a whole number/,
    );
    expect(() => optionalNumber({ to: '101' }, 'to', 0, 100)).toThrow(/got '101'/);
  });

  it('--limit and --port follow the same rule', async () => {
    for (const argv of [
      ['audit', 'list', '--limit', '1e1'],
      ['audit', 'list', '--limit', '0x10'],
      ['serve', '--port', '0x1F90'],
      ['serve', '--port', '8080.5'],
    ]) {
      const r = await run(...argv, '--data-dir', tmp());
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(new RegExp(`--${argv.includes('--port') ? 'port' : 'limit'} must be`));
    }
  });

  it('times and durations: ISO, epoch ms or a decimal duration only (Date.parse would read "5" as a date)', () => {
    const now = Date.UTC(2026, 0, 2);
    expect(parseTime('2026-01-01T00:00:00Z', now, 'from')).toBe(Date.UTC(2026, 0, 1));
    expect(parseTime('1767225600000', now, 'from')).toBe(1767225600000);
    expect(parseTime('24h', now, 'from')).toBe(now - 86_400_000);
    for (const bad of ['5', 'March', '1e3h', '016h', '0x10h', 'yesterday', '2026', ' 24h'])
      expect(() => parseTime(bad, now, 'from'), bad).toThrow(/--from must be/);
    expect(parseDuration('1.5m', 'step')).toBe(90_000);
    for (const bad of ['1e2s', '05s', '0x10s', '60'])
      expect(() => parseDuration(bad, 'step'), bad).toThrow(/--step must be/);
  });
});

describe('options given twice, and values that start with a dash', () => {
  it('refuses a value option given twice (it used to keep the last: --to 20 --to 30 ramped to 30)', async () => {
    const dataDir = tmp();
    const ramp = (...extra: string[]) =>
      run(
        'ramp',
        'checkout-v2',
        '--env',
        'production',
        ...extra,
        '--comment',
        'go on',
        '--override',
        '--data-dir',
        dataDir,
      );
    const twice = await ramp('--to', '20', '--to', '30');
    expect(twice.code).toBe(2);
    expect(twice.err).toBe(
      "rampart ramp: --to is given twice ('20', then '30'): give it once (see 'rampart ramp --help')",
    );
    const dash = await ramp('--to', '-5');
    expect(dash.code).toBe(2);
    expect(dash.err).toMatch(/--to needs a value; one that starts with '-' is written --to=<value>/);
    const audit = await run('audit', 'list', '--json', '--data-dir', dataDir);
    expect(JSON.parse(audit.out)).toEqual([]); // nothing ramped by the refused ones
    // A value the store cannot hold is rounded to its step, and the result says so (not only the audit's detail).
    const half = await ramp('--to', '20.5');
    expect(half.code, half.err).toBe(0);
    expect(half.out).toMatch(/→ 21% — confirmed by read-back/);
    expect(half.out).toContain('note: asked for 20.5%; the store takes steps of 1%, so 21%.');
    // A switch said twice says one thing; an option declared repeatable repeats.
    expect((await run('flags', 'list', '--json', '--json', '--data-dir', dataDir)).code).toBe(0);
    const envs = await run('flags', 'list', '--allow-env', 'A', '--allow-env', 'B', '--data-dir', dataDir);
    expect(envs.code, envs.err).toBe(0);
  });
});

describe('the data directory and the opt-in variables', () => {
  it("refuses --data-dir '' (it would write a database into the current directory) and a blank one", async () => {
    const before = readdirSync(process.cwd());
    for (const dir of ['', '   ']) {
      const r = await run('flags', 'list', '--data-dir', dir);
      expect(r.code, JSON.stringify(dir)).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/--data-dir must name a folder/);
    }
    expect(readdirSync(process.cwd())).toEqual(before);
  });

  it('--allow-env takes variable names only', async () => {
    const r = await run('flags', 'list', '--allow-env', 'OK_NAME,not-a-name', '--data-dir', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--allow-env takes environment variable names .*'not-a-name'/);
  });
});
