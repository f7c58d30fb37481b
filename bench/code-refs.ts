/**
 * Code references (issue 14, docs/design.md: "10,000-file git tree ≤ 5 s, off the main thread, cached by commit"):
 * a generated git working tree of 10,000 source files (plus 500 ignored build files that name the same keys), 50
 * flag keys, 200 planted references. Measured through the shipped path — createCodeRefs → worker thread → git —
 * cold (a fresh cache each run) and warm (the same commit again), next to a raw `git grep -l` of the same keys on
 * the same tree (the anchor); and the fallback walk (.gitignore rules in JS) on a copy without .git. The main
 * thread's longest event-loop stall during the cold runs is reported: the search must not block the core.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCodeRefs } from '../main/lifecycle/code-refs/code-refs';
import { openDatabase } from '../main/store/database';
import { MIGRATIONS } from '../main/store/migrations';
import { median } from './data';
import { figure, sample, type Figure } from './figures';

const FILES = 10_000;
const KEYS = Array.from({ length: 50 }, (_, i) => `bench-flag-${i}`);
const PLANTED = 200;
const IGNORED = 500;

function body(i: number): string {
  const lines = [`// generated module ${i}`, `export function f${i}(x: number): number {`];
  for (let k = 0; k < 36; k++) lines.push(`  const v${k} = x * ${k} + ${i}; // some ordinary code that names no flag`);
  lines.push('  return x;', '}');
  if (i % (FILES / PLANTED) === 0)
    lines.splice(3, 0, `  if (flags.isEnabled('${KEYS[(i / (FILES / PLANTED)) % KEYS.length]}')) return -x;`);
  return `${lines.join('\n')}\n`;
}

function generate(root: string): void {
  mkdirSync(root, { recursive: true });
  for (let d = 0; d < 100; d++) {
    const dir = join(root, 'src', `pkg${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES / 100; f++) writeFileSync(join(dir, `m${f}.ts`), body(d * (FILES / 100) + f));
  }
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (let i = 0; i < IGNORED; i++)
    writeFileSync(join(root, 'dist', `chunk${i}.js`), `isEnabled("${KEYS[i % KEYS.length]}")\n`);
  writeFileSync(join(root, '.gitignore'), 'dist/\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], {
      cwd: root,
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'generated');
}

export async function benchCodeRefs(log: (s: string) => void): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-refs-'));
  try {
    const repo = join(dir, 'tree');
    const started = performance.now();
    generate(repo);
    log(
      `code refs: generated ${FILES} files + ${IGNORED} ignored in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const service = () => createCodeRefs({ db: openDatabase(':memory:', MIGRATIONS), now: Date.now });
    const check = (res: Awaited<ReturnType<ReturnType<typeof service>['refs']>>) => {
      const found = res.flags.reduce((n, f) => n + f.refs.length, 0);
      if (res.roots[0].incomplete) throw new Error(`code refs bench: incomplete search (${res.roots[0].incomplete})`);
      if (found !== PLANTED || res.flags.some((f) => f.refs.some((r) => r.file.startsWith('dist/'))))
        throw new Error(
          `code refs bench: found ${found} references, planted ${PLANTED} (ignored files must be skipped)`,
        );
      return res;
    };

    const stall = monitorEventLoopDelay({ resolution: 10 });
    stall.enable();
    const cold = await sample(5, async () => {
      const t = performance.now();
      check(await service().refs({ flagKeys: KEYS, roots: [repo] }));
      return performance.now() - t;
    });
    stall.disable();
    const warmService = service();
    check(await warmService.refs({ flagKeys: KEYS, roots: [repo] }));
    const warm = await sample(9, async () => {
      const t = performance.now();
      const res = check(await warmService.refs({ flagKeys: KEYS, roots: [repo] }));
      if (!res.roots[0].cached) throw new Error('code refs bench: the second search of the same commit was not cached');
      return performance.now() - t;
    });
    const rawGrep = await sample(5, () => {
      const t = performance.now();
      execFileSync('git', ['grep', '-l', '-I', '-F', ...KEYS.flatMap((k) => ['-e', k]), '--', '.'], {
        cwd: repo,
        stdio: 'pipe',
        maxBuffer: 64 * 1024 * 1024,
      });
      return performance.now() - t;
    });
    const plain = join(dir, 'plain');
    cpSync(repo, plain, { recursive: true, filter: (src) => !src.endsWith('/.git') && !src.includes('/.git/') });
    const walk = await sample(3, async () => {
      const t = performance.now();
      const res = check(await service().refs({ flagKeys: KEYS, roots: [plain] }));
      if (res.roots[0].method !== 'walk') throw new Error('code refs bench: the copy without .git was not walked');
      return performance.now() - t;
    });
    const maxStallMs = stall.max / 1e6;
    log(
      `code refs: cold ${median(cold).toFixed(0)} ms, cached ${median(warm).toFixed(1)} ms, raw git grep ${median(rawGrep).toFixed(0)} ms, walk ${median(walk).toFixed(0)} ms; main-thread stall ≤ ${maxStallMs.toFixed(0)} ms`,
    );
    const setup = `${FILES} files of ~40 lines (${PLANTED} planted references to 50 keys) + ${IGNORED} ignored build files naming the same keys; every run checked: exactly ${PLANTED} found, none ignored.`;
    return [
      figure({
        id: 'code-refs.10k',
        name: 'Code references, 10,000-file git tree, 50 keys (cold: worker + git, a fresh cache)',
        unit: 'ms',
        values: cold,
        baseline: { name: 'raw `git grep -l -F` of the same keys (no context, no worker)', values: rawGrep },
        budget: { text: '≤ 5 s', op: '<=', limit: 5_000, stat: 'median' },
        note: `${setup} Includes the worker start, git ls-files, git grep and reading the matching files for line and context. Longest main-thread event-loop stall during these runs: ${maxStallMs.toFixed(0)} ms.`,
      }),
      figure({
        id: 'code-refs.10k.cached',
        name: 'Code references, same commit again (cached by tree)',
        unit: 'ms',
        values: warm,
        note: 'git rev-parse + git status --porcelain, then the cache (SQLite).',
      }),
      figure({
        id: 'code-refs.10k.walk',
        name: 'Code references, the same tree without git (walk + .gitignore)',
        unit: 'ms',
        values: walk,
        budget: { text: '≤ 5 s', op: '<=', limit: 5_000, stat: 'median' },
        note: 'The fallback for folders that are not git working trees: every file read in the worker.',
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
