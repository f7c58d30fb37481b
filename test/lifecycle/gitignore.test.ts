import { describe, expect, it } from 'vitest';
import { isIgnored, parseGitignore } from '../../main/lifecycle/code-refs/gitignore';
import { findRefs } from '../../main/lifecycle/code-refs/find-refs';

describe('.gitignore rules for the fallback walk (gitignore(5))', () => {
  const rules = [
    ...parseGitignore('# build output\ndist/\n*.log\n!keep.log\n/secret.txt\ndocs/**/*.tmp\n\\#hash\n', ''),
    ...parseGitignore('generated/\n', 'pkg/'),
  ];
  it.each([
    ['dist', true, true],
    ['src/dist', true, true], // a name without a slash matches at any depth
    ['dist', false, false], // folder-only rule, a file named dist
    ['app.log', false, true],
    ['logs/app.log', false, true],
    ['keep.log', false, false], // re-included
    ['secret.txt', false, true],
    ['src/secret.txt', false, false], // anchored to the root
    ['docs/a/b/x.tmp', false, true],
    ['docs/x.tmp', false, true], // ** matches zero folders
    ['#hash', false, true],
    ['pkg/generated', true, true],
    ['generated', true, false], // that rule lives in pkg/.gitignore
    ['src/app.ts', false, false],
  ])('%s (folder: %s) ignored: %s', (path, isDir, expected) => {
    expect(isIgnored(rules, path, isDir)).toBe(expected);
  });
});

describe('finding a flag key in a file', () => {
  it('finds whole keys only, one reference per line, with context', () => {
    const text = [
      'a',
      'b',
      "if (flag('checkout-v2') && flag('checkout-v2')) {",
      "flag('checkout-v2-beta'); new_checkout-v2",
      'c',
      'd',
      '',
    ].join('\n');
    const refs = findRefs(text, ['checkout-v2'], 'src/x.ts', '/r').get('checkout-v2')!;
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({
      file: 'src/x.ts',
      line: 3,
      column: 11,
      before: ['a', 'b'],
      after: ["flag('checkout-v2-beta'); new_checkout-v2", 'c'],
    });
  });
});
