import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store';
import { prng } from './support/cli-bundle';

/**
 * docs/security.md: "SIGKILL during audit writes (≥ 1,000 times): PRAGMA integrity_check ok every time; 0 acknowledged
 * rows lost". A child process (test/security/support/audit-writer.ts, bundled once so each spawn is plain node)
 * writes intent/result rows through the real store and prints each action id after the write returns; we SIGKILL
 * it at random moments — while opening/recovering, mid-transaction, mid-checkpoint — and then check the file.
 *
 * RAMPART_SIGKILL_RUNS overrides the number of kills (default 1,000, the figure). Two lanes (one database each)
 * run side by side on a 2-core machine.
 */
const REPO = resolve(__dirname, '..', '..');
const KILLS = Number(process.env.RAMPART_SIGKILL_RUNS ?? 1000);
const LANES = Math.max(1, Math.min(2, availableParallelism()));

let work: string;
let writer: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rampart-sigkill-'));
  writer = join(work, 'audit-writer.cjs');
  buildSync({
    entryPoints: [join(REPO, 'test/security/support/audit-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: writer,
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  intents: string[];
  results: string[];
  opened: boolean;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
  /** Never wrote within the watchdog time: killed by the watchdog, counted as a problem. */
  stuck: boolean;
}

/** Spawns the writer and SIGKILLs it: mostly soon after its first acknowledged write, sometimes mid-start-up. */
function killOnce(dataDir: string, rand: () => number): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [writer, dataDir], {
      env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { intents: [], results: [], opened: false, signal: null, code: null, stderr: '', stuck: false };
    let pending = '';
    let armed = false;
    const kill = (ms: number) => {
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), ms);
    };
    const mode = rand();
    // 15%: at a random moment from spawn (opening the file, WAL recovery, migrations, first writes).
    if (mode < 0.15) kill(rand() * 150);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'open') run.opened = true;
        else if (line.startsWith('I ')) run.intents.push(line.slice(2));
        else if (line.startsWith('R ')) run.results.push(line.slice(2));
      }
      // 75%: within 25 ms of the first write (mid-transaction); 10%: after 100–300 ms, past the WAL's
      // auto-checkpoint (1,000 pages ≈ a few hundred actions), so some kills land inside a checkpoint.
      if (!armed && run.intents.length > 0) kill(mode < 0.9 ? rand() * 25 : 100 + rand() * 200);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (run.stderr += c));
    child.on('error', fail);
    const watchdog = setTimeout(() => {
      if (armed) return;
      run.stuck = true;
      child.kill('SIGKILL');
    }, 15_000);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      run.code = code;
      run.signal = signal;
      done(run);
    });
  });
}

interface LaneReport {
  kills: number;
  acknowledged: number;
  checksOk: number;
  lost: string[];
  problems: string[];
  intents: string[];
  results: string[];
  dataDir: string;
}

async function lane(index: number, kills: number, seed: number): Promise<LaneReport> {
  const dataDir = join(work, `lane-${index}`);
  mkdirSync(dataDir, { recursive: true });
  const rand = prng(seed);
  const report: LaneReport = {
    kills: 0,
    acknowledged: 0,
    checksOk: 0,
    lost: [],
    problems: [],
    intents: [],
    results: [],
    dataDir,
  };
  let rowsBefore = 0;
  for (let k = 0; k < kills; k++) {
    const run = await killOnce(dataDir, rand);
    if (run.stuck) {
      report.problems.push(`run ${k}: the writer wrote nothing within 15 s: ${run.stderr.slice(0, 500)}`);
      break;
    }
    if (run.signal !== 'SIGKILL') {
      report.problems.push(`run ${k}: the writer exited by itself (code ${run.code}): ${run.stderr.slice(0, 500)}`);
      break;
    }
    report.kills++;
    report.intents.push(...run.intents);
    report.results.push(...run.results);
    report.acknowledged += run.intents.length + run.results.length;
    if (!existsSync(join(dataDir, 'rampart.db'))) continue; // killed before the file was created
    // Read-only, so the WAL stays as the kill left it and the next writer start is the crash recovery.
    const db = new Database(join(dataDir, 'rampart.db'), { readonly: true, fileMustExist: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') report.problems.push(`run ${k}: integrity_check = ${String(integrity)}`);
      else report.checksOk++;
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get();
      if (!hasTable) {
        if (run.intents.length) report.problems.push(`run ${k}: audit_log missing after acknowledged writes`);
        continue;
      }
      const phase = db.prepare('SELECT 1 FROM audit_log WHERE action_id = ? AND phase = ?');
      for (const id of run.intents) if (!phase.get(id, 'intent')) report.lost.push(`intent ${id} (run ${k})`);
      for (const id of run.results) if (!phase.get(id, 'result')) report.lost.push(`result ${id} (run ${k})`);
      const rows = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
      if (rows < rowsBefore) report.problems.push(`run ${k}: audit_log shrank from ${rowsBefore} to ${rows} rows`);
      rowsBefore = rows;
    } finally {
      db.close();
    }
  }
  return report;
}

describe('SIGKILL during audit writes', () => {
  it(`keeps the database intact and every acknowledged row, across ${KILLS} kills`, async () => {
    expect(Number.isInteger(KILLS) && KILLS > 0, 'RAMPART_SIGKILL_RUNS must be a positive integer').toBe(true);
    const started = Date.now();
    const seed = Number(process.env.RAMPART_SIGKILL_SEED ?? started % 1_000_000);
    const per = Array.from({ length: LANES }, (_, i) => Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0));
    const reports = await Promise.all(per.map((n, i) => lane(i, n, seed + i)));
    const seconds = (Date.now() - started) / 1000;

    const kills = reports.reduce((s, r) => s + r.kills, 0);
    const acknowledged = reports.reduce((s, r) => s + r.acknowledged, 0);
    const checks = reports.reduce((s, r) => s + r.checksOk, 0);
    const lost = reports.flatMap((r) => r.lost);
    const problems = reports.flatMap((r) => r.problems);
    console.log(
      `[audit-sigkill] seed ${seed}: ${kills} kills, ${checks} integrity checks ok, ${acknowledged} acknowledged rows, ` +
        `${lost.length} lost, ${seconds.toFixed(1)} s`,
    );
    expect(problems, `seed ${seed}`).toEqual([]);
    expect(lost, `seed ${seed}`).toEqual([]);
    expect(kills).toBe(KILLS);
    // Most runs must actually have been writing when killed, or the test proves nothing.
    expect(acknowledged).toBeGreaterThan(KILLS * 5);

    // Finally the start-up path itself: the real store opens every lane's database (recovery, migrations check),
    // and every row ever acknowledged is there; pending intents are exactly the intents without a result.
    for (const r of reports) {
      const store = openStore(r.dataDir);
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const present = store.db.prepare('SELECT action_id, phase FROM audit_log').all() as {
          action_id: string;
          phase: string;
        }[];
        const have = new Set(present.map((p) => `${p.phase} ${p.action_id}`));
        expect(r.intents.filter((id) => !have.has(`intent ${id}`))).toEqual([]);
        expect(r.results.filter((id) => !have.has(`result ${id}`))).toEqual([]);
        const resulted = new Set(present.filter((p) => p.phase === 'result').map((p) => p.action_id));
        const pending = store.audit.unsettled();
        expect(pending.every((p) => !resulted.has(p.actionId))).toBe(true);
        // The append-only triggers survived too.
        expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      } finally {
        store.close();
      }
    }
  }, 900_000);
});
