import { spawn } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodeReference } from '../../../shared/domain/lifecycle';
import { findRefs, looksBinary } from './find-refs';
import { isIgnored, parseGitignore, type IgnoreRule } from './gitignore';

/**
 * The search itself, run inside a worker thread (scan-worker.ts): node built-ins only, so the worker bundle stays
 * small. In a git working tree it asks git which files to read (`git grep -l --untracked`: tracked and untracked
 * files, .gitignore respected, binaries skipped); elsewhere it walks the folder with the .gitignore rules itself.
 * Bounded by a deadline, a file count, a file size and a reference count.
 */
export interface ScanRequest {
  root: string;
  keys: string[];
  method: 'git' | 'walk';
  deadline: number;
  maxFiles: number;
  maxFileBytes: number;
  maxRefsPerKey: number;
}

export interface ScanResult {
  filesSearched: number;
  incomplete: string | null;
  refs: Record<string, CodeReference[]>;
  truncated: string[];
}

const MAX_GIT_OUTPUT = 32 * 1024 * 1024;
/** Files read at once by the walk: enough to keep the disk busy, few enough to bound memory. */
const READS_AT_ONCE = 32;

/** Runs git with arguments (never a shell), stdin text, a deadline and an output cap. */
export function git(
  cwd: string,
  args: string[],
  o: { input?: string; deadline: number },
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(1, o.deadline - Date.now()));
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_GIT_OUTPUT) child.kill('SIGKILL');
      else chunks.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString().slice(0, 2_000)));
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal)
        reject(
          new Error(
            size > MAX_GIT_OUTPUT
              ? 'git printed more than the output budget'
              : 'git did not finish within the time budget',
          ),
        );
      else resolve({ code: code ?? 1, stdout: Buffer.concat(chunks), stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

const splitZ = (b: Buffer) => b.toString('utf8').split('\0').filter(Boolean);

/** Why a file was not read: each one makes the search incomplete (issue 14: "safe to archive" only when none is found). */
type SkipReason = 'too large' | 'binary' | 'unreadable';
/** How many skipped files the message names: enough to act on, short enough for one line. */
const NAMED_SKIPS = 3;

class Collector {
  readonly refs: Record<string, CodeReference[]> = {};
  readonly truncated = new Set<string>();
  private readonly skipped: { rel: string; why: SkipReason }[] = [];
  /** One pass over a file says whether any key is in it (most files name none). */
  private readonly anyKey: RegExp;
  constructor(private readonly req: ScanRequest) {
    this.anyKey = new RegExp(req.keys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));
  }

  /**
   * Reads one file (bounded, text only) and keeps its references. A file that cannot be read as text is counted as
   * skipped — a binary one only when its bytes hold a key (a picture names no flag; a bundle that does might).
   */
  async file(abs: string, rel: string, size?: number): Promise<void> {
    try {
      const bytes = size ?? (await lstat(abs)).size;
      if (bytes > this.req.maxFileBytes) return this.skip(rel, 'too large');
      const buf = await readFile(abs);
      if (looksBinary(buf)) return this.anyKey.test(buf.toString('latin1')) ? this.skip(rel, 'binary') : undefined;
      const text = buf.toString('utf8');
      if (!this.anyKey.test(text)) return;
      for (const [key, found] of findRefs(text, this.req.keys, rel, this.req.root)) {
        const list = (this.refs[key] ??= []);
        for (const r of found) {
          if (list.length >= this.req.maxRefsPerKey) this.truncated.add(key);
          else list.push(r);
        }
      }
    } catch {
      this.skip(rel, 'unreadable'); // deleted, a permission refused, or a read error since it was listed
    }
  }

  private skip(rel: string, why: SkipReason): void {
    this.skipped.push({ rel, why });
  }

  /** "2 files skipped (big.ts: over 2097152 bytes; app.bin: binary)", or null when every file was read. */
  skippedText(): string | null {
    const n = this.skipped.length;
    if (n === 0) return null;
    const named = [...this.skipped]
      .sort((a, b) => (a.rel < b.rel ? -1 : 1))
      .slice(0, NAMED_SKIPS)
      .map((x) => `${x.rel}: ${x.why === 'too large' ? `over ${this.req.maxFileBytes} bytes` : x.why}`);
    return `${n} file${n === 1 ? '' : 's'} skipped (${named.join('; ')}${n > NAMED_SKIPS ? `; ${n - NAMED_SKIPS} more` : ''}): not read, so not searched`;
  }
}

/** The incomplete reasons of one search, joined: a budget stop and skipped files can both happen. */
const joinReasons = (...r: (string | null)[]) => r.filter(Boolean).join('; ') || null;

async function scanWithGit(req: ScanRequest): Promise<ScanResult> {
  const listed = await git(req.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], {
    deadline: req.deadline,
  });
  if (listed.code !== 0) throw new Error(`git ls-files failed: ${listed.stderr.trim()}`);
  const filesSearched = new Set(splitZ(listed.stdout)).size;
  // -F fixed strings from stdin (no argument-length limit), --untracked adds untracked non-ignored files. No -I: a
  // binary file that holds a key is listed, and the collector counts it as skipped rather than as searched.
  const grep = await git(req.root, ['grep', '-z', '-l', '-F', '--untracked', '--no-color', '-f', '-', '--', '.'], {
    input: `${req.keys.join('\n')}\n`,
    deadline: req.deadline,
  });
  if (grep.code > 1) throw new Error(`git grep failed: ${grep.stderr.trim()}`);
  const c = new Collector(req);
  let stopped: string | null = null;
  for (const rel of splitZ(grep.stdout)) {
    if (Date.now() > req.deadline) {
      stopped = 'stopped at the time budget while reading matches';
      break;
    }
    await c.file(join(req.root, rel), rel);
  }
  return {
    filesSearched,
    incomplete: joinReasons(stopped, c.skippedText()),
    refs: c.refs,
    truncated: [...c.truncated],
  };
}

async function scanByWalking(req: ScanRequest): Promise<ScanResult> {
  const c = new Collector(req);
  let files = 0;
  let incomplete: string | null = null;
  const pending: Promise<unknown>[] = [];
  const walk = async (dir: string, rel: string, rules: IgnoreRule[]): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
    if (!entries) return;
    const here = entries.some((e) => e.name === '.gitignore' && e.isFile())
      ? [...rules, ...parseGitignore(await readFile(join(dir, '.gitignore'), 'utf8').catch(() => ''), rel)]
      : rules;
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (incomplete) return;
      if (e.name === '.git' || e.isSymbolicLink()) continue; // never follow links out of the folder
      const path = `${rel}${e.name}`;
      if (e.isDirectory()) {
        if (!isIgnored(here, path, true)) await walk(join(dir, e.name), `${path}/`, here);
      } else if (e.isFile() && !isIgnored(here, path, false)) {
        if (files >= req.maxFiles) incomplete = `more than ${req.maxFiles} files: stopped at the file budget`;
        else if (Date.now() > req.deadline) incomplete = 'stopped at the time budget';
        else {
          files++;
          pending.push(c.file(join(dir, e.name), path));
          if (pending.length >= READS_AT_ONCE) await Promise.all(pending.splice(0));
        }
      }
    }
  };
  await walk(req.root, '', []);
  await Promise.all(pending);
  return {
    filesSearched: files,
    incomplete: joinReasons(incomplete, c.skippedText()),
    refs: c.refs,
    truncated: [...c.truncated],
  };
}

export async function scanRoot(req: ScanRequest): Promise<ScanResult> {
  return req.method === 'git' ? scanWithGit(req) : scanByWalking(req);
}
