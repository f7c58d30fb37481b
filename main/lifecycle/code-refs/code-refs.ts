import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CODE_REF_KEY,
  type CodeReference,
  type CodeRefsResult,
  type CodeRootScan,
} from '../../../shared/domain/lifecycle';
import { RampartError, type ErrorFacts } from '../../../shared/errors';
import type { Db } from '../../store/database';
import { git, type ScanRequest, type ScanResult } from './scan';
import { runScanInWorker } from './run-scan';

/** Budgets (docs/design.md: 10,000-file tree ≤ 5 s): per root, per file, per key. */
export const CODE_REF_LIMITS = {
  budgetMs: 15_000,
  maxFiles: 200_000,
  maxFileBytes: 2 * 1024 * 1024,
  maxRefsPerKey: 100,
};

interface TreeId {
  method: 'git' | 'walk';
  commit: string | null;
  dirty: boolean;
  /** Cache key: the commit, plus a fingerprint of uncommitted edits; null = not cacheable (no git). */
  treeKey: string | null;
}

/** Which tree a folder holds now: HEAD and whether (and how) the working tree differs from it. */
async function identify(root: string, deadline: number): Promise<TreeId> {
  let top: string;
  try {
    const got = await git(root, ['rev-parse', '--show-toplevel'], { deadline });
    if (got.code !== 0) return { method: 'walk', commit: null, dirty: false, treeKey: null };
    top = got.stdout.toString().trim();
  } catch {
    return { method: 'walk', commit: null, dirty: false, treeKey: null }; // git is not installed
  }
  const head = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD'], { deadline });
  const commit = head.code === 0 ? head.stdout.toString().trim() : null;
  const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'], { deadline });
  if (status.code !== 0) return { method: 'git', commit, dirty: true, treeKey: null };
  const entries = status.stdout.toString('utf8').split('\0').filter(Boolean);
  if (entries.length === 0) return { method: 'git', commit, dirty: false, treeKey: commit ?? 'unborn' };
  // Uncommitted edits: the same commit with different edits is a different tree. Size + mtime of each changed path
  // (porcelain paths are relative to the top of the working tree).
  const hash = createHash('sha256').update(status.stdout);
  for (const e of entries.slice(0, 5_000)) {
    const path = e.slice(3);
    const s = await stat(join(top, path)).catch(() => null);
    hash.update(`${path}\0${s ? `${s.size}:${s.mtimeMs}` : 'gone'}\0`);
  }
  return { method: 'git', commit, dirty: true, treeKey: `${commit ?? 'unborn'}+${hash.digest('hex').slice(0, 16)}` };
}

export interface CodeRefsDeps {
  db: Db;
  now: () => number;
  /** The search; a worker thread by default (tests may pass another). */
  scan?: (req: ScanRequest) => Promise<ScanResult>;
  limits?: Partial<typeof CODE_REF_LIMITS>;
}

/**
 * Code references, local-first (issue 14): where each flag key is used in one or more local folders. Nothing leaves
 * the machine: git and the file system are read here, results stay in SQLite. Cached by tree (commit + uncommitted
 * edits), so looking again at the same commit costs one `git status`.
 */
export function createCodeRefs(deps: CodeRefsDeps) {
  const limits = { ...CODE_REF_LIMITS, ...deps.limits };
  const scan = deps.scan ?? runScanInWorker;
  const cached = deps.db.prepare('SELECT flag_key, json FROM code_ref_cache WHERE root = ? AND tree_key = ?');
  const put = deps.db.prepare(
    'INSERT OR REPLACE INTO code_ref_cache (root, tree_key, flag_key, json, scanned_at) VALUES (?, ?, ?, ?, ?)',
  );
  const prune = deps.db.prepare('DELETE FROM code_ref_cache WHERE root = ? AND tree_key != ?');
  const store = deps.db.transaction(
    (root: string, treeKey: string, found: Map<string, { refs: CodeReference[]; truncated: boolean }>, at: number) => {
      prune.run(root, treeKey); // one tree per folder: the one checked out now
      for (const [key, v] of found) put.run(root, treeKey, key, JSON.stringify(v), at);
    },
  );

  async function searchRoot(
    rootPath: string,
    keys: string[],
  ): Promise<{ scan: CodeRootScan; found: Map<string, { refs: CodeReference[]; truncated: boolean }> }> {
    const started = Date.now();
    const deadline = started + limits.budgetMs;
    const root = await realpath(rootPath).catch(() => {
      throw new RampartError('bad_request', `The source folder ${rootPath} does not exist`);
    });
    if (!(await stat(root)).isDirectory())
      throw new RampartError('bad_request', `The source folder ${rootPath} is not a folder: pass a directory`);
    const tree = await identify(root, deadline);
    const found = new Map<string, { refs: CodeReference[]; truncated: boolean }>();
    if (tree.treeKey)
      for (const r of cached.all(root, tree.treeKey) as { flag_key: string; json: string }[])
        if (keys.includes(r.flag_key)) found.set(r.flag_key, JSON.parse(r.json));
    const missing = keys.filter((k) => !found.has(k));
    let result: ScanResult = { filesSearched: 0, incomplete: null, refs: {}, truncated: [] };
    if (missing.length > 0) {
      result = await scan({
        root,
        keys: missing,
        method: tree.method,
        deadline,
        maxFiles: limits.maxFiles,
        maxFileBytes: limits.maxFileBytes,
        maxRefsPerKey: limits.maxRefsPerKey,
      });
      // Searching no file at all is no evidence that a key is unused (tester 2, F5).
      if (result.filesSearched === 0)
        result = { ...result, incomplete: result.incomplete ?? 'no files searched: the folder holds no readable file' };
      const fresh = new Map(
        missing.map((k) => [k, { refs: result.refs[k] ?? [], truncated: result.truncated.includes(k) }]),
      );
      for (const [k, v] of fresh) found.set(k, v);
      // Only a complete search is worth remembering: an incomplete one would hide references next time.
      if (tree.treeKey && result.incomplete === null) store(root, tree.treeKey, fresh, deps.now());
    }
    return {
      scan: {
        root,
        method: tree.method,
        commit: tree.commit,
        dirty: tree.dirty,
        cached: missing.length === 0,
        filesSearched: result.filesSearched,
        incomplete: result.incomplete,
        durationMs: Date.now() - started,
      },
      found,
    };
  }

  return {
    /** References of each key in each root; "safe to archive" only when every root was searched completely. */
    async refs(q: { flagKeys: string[]; roots: string[] }): Promise<CodeRefsResult> {
      const keys = [...new Set(q.flagKeys)];
      const bad = keys.find((k) => !CODE_REF_KEY.test(k));
      if (bad !== undefined)
        throw new RampartError(
          'bad_request',
          `'${bad}' cannot be searched for: a flag key of 2–200 letters, digits and . _ ~ : / - is expected`,
        );
      if (q.roots.length === 0)
        throw new RampartError('bad_request', 'No source folder to search: add one in Lifecycle (or pass --repo DIR)', {
          refusal: 'no_source_folder',
        } satisfies ErrorFacts);
      const perRoot: Awaited<ReturnType<typeof searchRoot>>[] = [];
      for (const root of q.roots) perRoot.push(await searchRoot(root, keys));
      const complete = perRoot.every((r) => r.scan.incomplete === null);
      return {
        roots: perRoot.map((r) => r.scan),
        flags: keys.map((flagKey) => {
          const refs = perRoot.flatMap((r) => r.found.get(flagKey)?.refs ?? []);
          const truncated = perRoot.some((r) => r.found.get(flagKey)?.truncated);
          return { flagKey, refs, truncated: Boolean(truncated), safeToArchive: refs.length === 0 && complete };
        }),
      };
    },
  };
}

export type CodeRefs = ReturnType<typeof createCodeRefs>;
