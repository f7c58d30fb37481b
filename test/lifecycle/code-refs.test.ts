import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { MIGRATIONS } from '../../main/store/migrations';
import { createCodeRefs } from '../../main/lifecycle/code-refs/code-refs';
import { runScanInWorker } from '../../main/lifecycle/code-refs/run-scan';
import type { ScanRequest, ScanResult } from '../../main/lifecycle/code-refs/scan';

/**
 * Code references on a generated git repository (issue 14): tracked and untracked files are searched, files named
 * by .gitignore (at any level) and binaries are not, results are cached by tree, a folder without git is walked with
 * the same .gitignore rules, and "safe to archive" is only said after a complete search. Every search really runs in
 * a worker thread (runScanInWorker), as in the app.
 */
const KEY = 'checkout-v2';
let dir: string;
let repo: string;
const scans: ScanRequest[] = [];
const counting = async (req: ScanRequest): Promise<ScanResult> => (scans.push(req), runScanInWorker(req));

function write(path: string, text: string | Buffer): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd: repo,
    stdio: 'pipe',
  }).toString();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-refs-'));
  repo = join(dir, 'shop');
  mkdirSync(repo);
  git('init', '-q');
  write('.gitignore', 'dist/\n*.log\n');
  write('src/checkout.ts', `export const on = await flags.getBooleanValue('${KEY}', false);\n`);
  write('src/other.ts', `flags.getBooleanValue('${KEY}-beta', false); // another flag\n`);
  write('pkg/.gitignore', 'generated/\n');
  write('pkg/generated/api.ts', `'${KEY}'\n`);
  write('dist/bundle.js', `"${KEY}"\n`);
  write('debug.log', `${KEY} evaluated\n`);
  write('assets/logo.bin', Buffer.from([0, 1, 2, 0, 137, 80, 78, 71])); // a binary that names no flag: nothing missed
  for (let i = 0; i < 40; i++) write(`src/gen/file${i}.ts`, `export const n${i} = ${i};\n`);
  git('add', '.');
  git('commit', '-qm', 'initial');
  write('src/untracked.ts', `use('${KEY}')\n`); // not committed, not ignored: still code that reads the flag
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function service(limits = {}) {
  return createCodeRefs({ db: openDatabase(':memory:', MIGRATIONS), now: Date.now, scan: counting, limits });
}

describe('code references in a git working tree', () => {
  const refs = service();

  it('finds tracked and untracked uses, skips ignored files and binaries, and never a longer key', async () => {
    const res = await refs.refs({ flagKeys: [KEY, 'dark-mode'], roots: [repo] });
    expect(res.roots[0]).toMatchObject({ method: 'git', dirty: true, cached: false, incomplete: null });
    expect(res.roots[0].commit).toMatch(/^[0-9a-f]{40}$/);
    const found = res.flags.find((f) => f.flagKey === KEY)!;
    expect(found.refs.map((r) => `${r.file}:${r.line}`).sort()).toEqual(['src/checkout.ts:1', 'src/untracked.ts:1']);
    const checkout = found.refs.find((r) => r.file === 'src/checkout.ts')!;
    expect(checkout.column).toBe(checkout.text.indexOf(KEY) + 1);
    expect(checkout.text).toBe(`export const on = await flags.getBooleanValue('${KEY}', false);`);
    expect(found.safeToArchive).toBe(false);
    expect(res.flags.find((f) => f.flagKey === 'dark-mode')).toMatchObject({ refs: [], safeToArchive: true });
  });

  it('answers the same tree from the cache, and searches again when the tree changes', async () => {
    const before = scans.length;
    const again = await refs.refs({ flagKeys: [KEY], roots: [repo] });
    expect(again.roots[0].cached).toBe(true);
    expect(scans.length).toBe(before);
    write('src/late.ts', `if (is('${KEY}')) {}\n`);
    const edited = await refs.refs({ flagKeys: [KEY], roots: [repo] });
    expect(edited.roots[0].cached).toBe(false);
    expect(edited.flags[0].refs.map((r) => r.file)).toContain('src/late.ts');
    git('add', '.');
    git('commit', '-qm', 'more');
    const committed = await refs.refs({ flagKeys: [KEY], roots: [repo] });
    expect(committed.roots[0]).toMatchObject({ dirty: false, cached: false });
    expect((await refs.refs({ flagKeys: [KEY], roots: [repo] })).roots[0]).toMatchObject({
      dirty: false,
      cached: true,
    });
  });

  it('searches a sub-folder of a working tree alone', async () => {
    const res = await service().refs({ flagKeys: [KEY], roots: [join(repo, 'pkg')] });
    expect(res.flags[0]).toMatchObject({ refs: [], safeToArchive: true }); // pkg/generated is ignored by pkg/.gitignore
  });

  it('never says "safe to archive" after an incomplete search', async () => {
    const res = await service({ maxFileBytes: 10 }).refs({ flagKeys: [KEY], roots: [repo] });
    expect(res.roots[0].incomplete).toMatch(/over 10 bytes/);
    expect(res.flags[0]).toMatchObject({ refs: [], safeToArchive: false });
  });

  it('refuses keys that are not flag keys, and no folder at all', async () => {
    await expect(refs.refs({ flagKeys: ['x'], roots: [repo] })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(refs.refs({ flagKeys: ['a b'], roots: [repo] })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(refs.refs({ flagKeys: [KEY], roots: [] })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(refs.refs({ flagKeys: [KEY], roots: [join(dir, 'missing')] })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});

describe('code references in a folder without git', () => {
  it('walks it with the .gitignore rules, uncached, within its file budget', async () => {
    const plain = join(dir, 'plain');
    cpSync(repo, plain, {
      recursive: true,
      filter: (src) => !src.includes(`${'/'}.git`) || src.endsWith('.gitignore'),
    });
    const res = await service().refs({ flagKeys: [KEY], roots: [plain] });
    expect(res.roots[0]).toMatchObject({ method: 'walk', commit: null, cached: false, incomplete: null });
    expect(res.flags[0].refs.map((r) => r.file).sort()).toEqual(['src/checkout.ts', 'src/late.ts', 'src/untracked.ts']);
    const small = await service({ maxFiles: 5 }).refs({ flagKeys: [KEY], roots: [plain] });
    expect(small.roots[0].incomplete).toMatch(/more than 5 files/);
    expect(small.flags[0].safeToArchive).toBe(false);
  });
});

describe('a search that skipped a file, or searched none, is never "safe to archive" (tester 2, F4/F5)', () => {
  it('names the files it skipped — too large, or binary holding a key — with git and without', async () => {
    const plain = join(dir, 'skips');
    mkdirSync(join(plain, 'src'), { recursive: true });
    writeFileSync(join(plain, 'src/a.ts'), `if (flags.isEnabled('onboarding-v2')) {}\n`);
    writeFileSync(join(plain, 'src/huge.ts'), `${'y'.repeat(200)}\nconst f = client.isEnabled('dark-mode');\n`);
    writeFileSync(join(plain, 'src/app.bin'), Buffer.concat([Buffer.from([0, 0, 1]), Buffer.from('dark-mode')]));
    const walked = await service({ maxFileBytes: 100 }).refs({ flagKeys: ['dark-mode'], roots: [plain] });
    expect(walked.roots[0].method).toBe('walk');
    expect(walked.roots[0].incomplete).toBe(
      '2 files skipped (src/app.bin: binary; src/huge.ts: over 100 bytes): not read, so not searched',
    );
    expect(walked.flags[0]).toMatchObject({ refs: [], safeToArchive: false });
    execFileSync('git', ['init', '-q'], { cwd: plain });
    const withGit = await service({ maxFileBytes: 100 }).refs({ flagKeys: ['dark-mode'], roots: [plain] });
    expect(withGit.roots[0]).toMatchObject({ method: 'git', incomplete: walked.roots[0].incomplete });
    expect(withGit.flags[0].safeToArchive).toBe(false);
  });

  it('refuses a file given as the folder, and calls an empty folder incomplete', async () => {
    const file = join(dir, 'not-a-folder.txt');
    writeFileSync(file, 'x');
    await expect(service().refs({ flagKeys: [KEY], roots: [file] })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining(`${file} is not a folder`),
    });
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const res = await service().refs({ flagKeys: [KEY], roots: [empty] });
    expect(res.roots[0]).toMatchObject({ filesSearched: 0, incomplete: expect.stringContaining('no files searched') });
    expect(res.flags[0].safeToArchive).toBe(false);
  });
});
