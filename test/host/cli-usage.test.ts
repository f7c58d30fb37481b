import { describe, expect, it } from 'vitest';
import { runCli as run, tempDirs } from './support/run-cli';

/**
 * The CLI's one set of rules (docs/design.md "Architecture": one contract, three doors): a usage error is one line
 * naming the problem with exit code 2 — an unknown option, a missing or out-of-range one, an unknown command, flag,
 * connection or environment — and every command answers --help with examples.
 */
const tmp = tempDirs('rampart-cli-');

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
    const r = await run(
      'ramp',
      'checkout-v2',
      '--env',
      'production',
      '--to',
      '250',
      '--comment',
      'go',
      '--data-dir',
      tmp(),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--to must be a number from 0 to 100, got '250'/);
  });

  it('refuses an argument the command does not take, naming it, instead of ignoring it', async () => {
    const none = await run('flags', 'list', 'checkout-v2', '--data-dir', tmp());
    expect(none.code).toBe(2);
    expect(none.err.trim().split('\n')).toHaveLength(1);
    expect(none.err).toMatch(/unexpected argument 'checkout-v2' \(it takes none\)/);
    const extra = await run('flags', 'show', 'checkout-v2', 'search-v3', '--data-dir', tmp());
    expect(extra.code).toBe(2);
    expect(extra.err).toMatch(/unexpected argument 'search-v3' \(it takes 1\)/);
    const ok = await run('flags', 'show', 'checkout-v2', '--data-dir', tmp());
    expect(ok.code, ok.err).toBe(0);
  });

  it('names an unknown command', async () => {
    const r = await run('deploy', 'everything');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'deploy everything'/);
  });
});

describe('rampart CLI: one set of rules', () => {
  const dataDir = tmp();
  const oneLine = (r: { err: string }) => expect(r.err.trim().split('\n'), r.err).toHaveLength(1);

  it('prints the help and exits 0 with no arguments', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/rampart verdict <flag>/);
  });

  it('gives --help with examples on every command, and on a command group', async () => {
    for (const words of [
      ['flags', 'list'],
      ['flags', 'show'],
      ['flags', 'history'],
      ['ramp'],
      ['rollback'],
      ['audit', 'list'],
      ['judge'],
      ['verdict'],
      ['connections', 'add'],
      ['connections', 'test'],
      ['watch', 'add'],
      ['watch', 'edit'],
      ['series'],
      ['serve'],
      ['plan', 'start'],
    ]) {
      const r = await run(...words, '--help');
      expect(r.code, words.join(' ')).toBe(0);
      expect(r.out, words.join(' ')).toMatch(/^rampart /);
      expect(r.out, `${words.join(' ')} has examples`).toMatch(/\nExamples:\n  rampart /);
    }
    const group = await run('flags', '--help');
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/rampart flags list[\s\S]*rampart flags history/);
    const bare = await run('flags');
    expect(bare.code).toBe(2);
    oneLine(bare);
  });

  it('refuses an unknown flag, connection or environment with exit 2 and one line, on every command', async () => {
    const cases: [string[], RegExp][] = [
      [['flags', 'show', 'checkout-v3'], /unknown flag 'checkout-v3'.*known: .*checkout-v2/],
      [['flags', 'history', 'checkout-v3'], /unknown flag 'checkout-v3'/],
      [
        ['flags', 'history', 'checkout-v2', '--env', 'prod'],
        /unknown environment 'prod' for checkout-v2; known: production/,
      ],
      [['flags', 'list', '--connection', 'nope'], /unknown connection 'nope'/],
      [['ramp', 'checkout-v2', '--env', 'prod', '--to', '50', '--comment', 'go go'], /unknown environment 'prod'/],
      [['rollback', 'checkout-v3', '--env', 'production', '--comment', 'stop it'], /unknown flag 'checkout-v3'/],
      [['verdict', 'checkout-v3'], /unknown flag 'checkout-v3'/],
      [['verdict', 'checkout-v2', '--env', 'staging'], /unknown environment 'staging'/],
      [['verdict', 'checkout-v2', '--baseline', 'yesterday'], /--baseline must be one of/],
      [
        [
          'watch',
          'add',
          'checkout-v3',
          '--env',
          'production',
          '--metrics',
          'demo-metrics',
          '--selector',
          'service="checkout"',
        ],
        /unknown flag 'checkout-v3'/,
      ],
      [['watch', 'edit', 'nope'], /unknown watch 'nope'/],
      [['connections', 'test', 'nope'], /unknown connection 'nope'/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv, '--data-dir', dataDir);
      expect(r.code, argv.join(' ')).toBe(2);
      oneLine(r);
      expect(r.err, argv.join(' ')).toMatch(message);
    }
  });
});
