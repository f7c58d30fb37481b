import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store';
import { Connection } from '../../shared/domain/connections';
import type { AuditEntry } from '../../shared/domain/audit';
import { bundleCli, prng, runCli } from './support/cli-bundle';

/**
 * Issue 9, "SIGKILL at random points of 200 ramps followed by reconcile from another door (every intent settled
 * correctly)". Real child processes run the real CLI (`rampart ramp`) on a flagd file and are SIGKILLed at random
 * moments — starting up, reconciling someone else's orphans, between the intent and the file write, between the
 * write and the result. The file itself is the ground truth: ramps run one at a time, so after each child the test
 * knows whether its write landed. Then a different door (`rampart audit list`, which reconciles on open) settles
 * what is left, and every intent is checked against what the file history shows.
 *
 * RAMPART_SIGKILL_RAMPS overrides the number of ramps (default 200), RAMPART_SIGKILL_SEED the kill moments.
 */
const RAMPS = Number(process.env.RAMPART_SIGKILL_RAMPS ?? 200);
const LANES = Math.max(1, Math.min(2, availableParallelism()));
const FLAG = 'ramp-me';
/**
 * Heartbeats per child: mostly short, so its orphans are provably gone (stale beat AND dead pid) a few hundred ms
 * after a kill and the next child settles them; some long, so an orphan outlives later ramps and is settled after
 * the flag moved on (superseded) by whichever door comes next.
 */
const SHORT_BEAT = { RAMPART_HEARTBEAT_MS: '100' };
const LONG_BEAT = { RAMPART_HEARTBEAT_MS: '1500' };

let work: string;
let cli: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rampart-sigkill-ramps-'));
  cli = bundleCli(work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function flagFile(exposure: number): string {
  const flags = {
    [FLAG]: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { fractional: [{ var: 'targetingKey' }, ['on', exposure], ['off', 100 - exposure]] },
    },
  };
  return `${JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags }, null, 2)}\n`;
}

/** The treatment weight in the file, as flagd-core would split it (weights out of their sum). */
function fileExposure(file: string): number {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    flags: Record<string, { targeting: { fractional: [unknown, ...[string, number][]] } }>;
  };
  const buckets = doc.flags[FLAG].targeting.fractional.slice(1) as [string, number][];
  const total = buckets.reduce((n, b) => n + b[1], 0);
  return Math.round(((buckets.find((b) => b[0] === 'on')?.[1] ?? 0) / total) * 100);
}

interface Attempt {
  k: number;
  before: number;
  target: number;
  after: number;
  actionId?: string;
  landed: boolean;
  killed: boolean;
  startedAt: number;
  endedAt: number;
}

interface LaneReport {
  dataDir: string;
  attempts: Attempt[];
  problems: string[];
}

async function lane(index: number, ramps: number, seed: number): Promise<LaneReport> {
  const dataDir = join(work, `lane-${index}`);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'flags.json');
  writeFileSync(file, flagFile(10));
  const seedStore = openStore(dataDir);
  seedStore.records.connections.save(Connection.parse({ id: 'lane-flags', name: 'Lane flags', kind: 'flagd', file }));
  seedStore.close();

  const rand = prng(seed);
  const report: LaneReport = { dataDir, attempts: [], problems: [] };
  const db = new Database(join(dataDir, 'rampart.db'), { readonly: true, fileMustExist: true });
  const newIntents = db.prepare(
    "SELECT seq, action_id, to_json FROM audit_log WHERE phase = 'intent' AND seq > ? ORDER BY seq",
  );
  const hasIntentAfter = db.prepare("SELECT 1 FROM audit_log WHERE phase = 'intent' AND seq > ? LIMIT 1");
  let lastSeq = 0;
  let typicalMs = 800;
  try {
    for (let k = 0; k < ramps; k++) {
      const before = fileExposure(file);
      let target = Math.floor(rand() * 101);
      while (target === before) target = Math.floor(rand() * 101);
      // 15% run to the end; 20% die at a random moment from spawn (start-up, someone else's orphans, the pre-read);
      // 65% die 0–80 ms after their intent row is durable: before the file write, after it, or after the result.
      const mode = rand();
      const killAfterMs = mode >= 0.15 && mode < 0.35 ? rand() * typicalMs : undefined;
      const killWhen =
        mode >= 0.35 ? { check: () => hasIntentAfter.get(lastSeq) !== undefined, thenMs: rand() * 80 } : undefined;
      const args = [
        'ramp',
        FLAG,
        '--env',
        'production',
        '--to',
        String(target),
        '--expected',
        String(before),
        '--comment',
        `sigkill ramp ${k}`,
      ];
      const startedAt = Date.now();
      const run = await runCli(
        cli,
        [...args, '--connection', 'lane-flags', '--override', '--json', '--data-dir', dataDir],
        { killAfterMs, killWhen, env: rand() < 0.25 ? LONG_BEAT : SHORT_BEAT },
      );
      const endedAt = Date.now();
      if (run.signal !== 'SIGKILL')
        typicalMs = typicalMs === 0 ? endedAt - startedAt : 0.8 * typicalMs + 0.2 * (endedAt - startedAt);
      const killed = run.signal === 'SIGKILL';
      if (!killed && run.code !== 0) report.problems.push(`ramp ${k}: exit ${run.code}: ${run.stderr.slice(0, 300)}`);
      const after = fileExposure(file);
      const heads = newIntents.all(lastSeq) as { seq: number; action_id: string; to_json: string }[];
      if (heads.length > 1) report.problems.push(`ramp ${k}: ${heads.length} intents from one run`);
      lastSeq = heads.at(-1)?.seq ?? lastSeq;
      const landed = after === target;
      if (after !== before && after !== target)
        report.problems.push(`ramp ${k}: the file moved to ${after}, neither ${before} nor ${target}`);
      if (landed && heads.length === 0) report.problems.push(`ramp ${k}: the file changed without an intent row`);
      report.attempts.push({
        k,
        before,
        target,
        after,
        actionId: heads[0]?.action_id,
        landed,
        killed,
        startedAt,
        endedAt,
      });
    }
  } finally {
    db.close();
  }
  return report;
}

type Verdict = 'done' | 'superseded' | 'failed';

function judged(a: Attempt, e: AuditEntry | undefined, later: Attempt[]): { verdict?: Verdict; wrong?: string } {
  if (!e) return { wrong: `ramp ${a.k}: intent ${a.actionId} missing from audit list` };
  const verdict: Verdict | undefined =
    e.result === 'done' || e.result === 'reconciled-done'
      ? 'done'
      : e.result === 'superseded'
        ? 'superseded'
        : e.result === 'failed' || e.result === 'reconciled-failed'
          ? 'failed'
          : undefined;
  if (!verdict) return { wrong: `ramp ${a.k}: still ${e.result}` };
  if (a.landed && verdict === 'failed')
    return { wrong: `ramp ${a.k}: landed (${a.before} → ${a.target}) but settled ${e.result}: ${e.error}` };
  if (!a.landed && verdict !== 'failed')
    return { wrong: `ramp ${a.k}: never landed (file stayed ${a.before}) but settled ${e.result}` };
  const movedBefore = (t: number) => later.some((j) => j.landed && j.endedAt < t);
  if (verdict === 'superseded' && !later.some((j) => j.landed && j.startedAt < (e.finishedAt ?? Infinity)))
    return { wrong: `ramp ${a.k}: superseded, but no later write moved the flag` };
  if (verdict === 'done' && movedBefore(e.finishedAt ?? 0))
    return { wrong: `ramp ${a.k}: settled done after a later write had moved the flag` };
  return { verdict };
}

describe('SIGKILL during ramps, then a reconcile from another door', () => {
  it(`settles every intent of ${RAMPS} killed-or-finished CLI ramps as the flag file shows`, async () => {
    expect(Number.isInteger(RAMPS) && RAMPS > 0, 'RAMPART_SIGKILL_RAMPS must be a positive integer').toBe(true);
    const seed = Number(process.env.RAMPART_SIGKILL_SEED ?? Date.now() % 1_000_000);
    const per = Array.from({ length: LANES }, (_, i) => Math.floor(RAMPS / LANES) + (i < RAMPS % LANES ? 1 : 0));
    const reports = await Promise.all(per.map((n, i) => lane(i, n, seed + i)));

    const counts = { done: 0, superseded: 0, failed: 0, wrong: 0, killed: 0, noIntent: 0, orphans: 0 };
    const wrong: string[] = [];
    for (const r of reports) {
      const orphans = openStore(r.dataDir); // count what was left unsettled before the other door opens
      counts.orphans += orphans.audit.unsettled().length;
      orphans.close();
      await new Promise((res) => setTimeout(res, 5_000)); // every killed child's heartbeat is stale by now (3 × 1.5 s)
      const list = await runCli(
        cli,
        ['audit', 'list', '--json', '--limit', '5000', '--flag', FLAG, '--data-dir', r.dataDir],
        { env: SHORT_BEAT },
      );
      expect(list.code, list.stderr).toBe(0);
      const byId = new Map((JSON.parse(list.stdout) as AuditEntry[]).map((e) => [e.actionId, e]));
      for (const a of r.attempts) {
        if (a.killed) counts.killed++;
        if (!a.actionId) {
          counts.noIntent++;
          continue;
        }
        const j = judged(
          a,
          byId.get(a.actionId),
          r.attempts.filter((x) => x.k > a.k),
        );
        if (j.wrong) (counts.wrong++, wrong.push(j.wrong));
        else counts[j.verdict as Verdict]++;
      }
      const db = new Database(join(r.dataDir, 'rampart.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    console.log(
      `[audit-sigkill-ramps] seed ${seed}: ${RAMPS} ramps, ${counts.killed} killed, ${counts.noIntent} killed before an intent, ` +
        `${counts.orphans} left for the other door; settled done ${counts.done} / superseded ${counts.superseded} / failed ${counts.failed}, ${counts.wrong} wrong`,
    );
    expect(
      reports.flatMap((r) => r.problems),
      `seed ${seed}`,
    ).toEqual([]);
    expect(wrong, `seed ${seed}`).toEqual([]);
    // The kills must have hit every window, or the test proves nothing.
    expect(counts.killed).toBeGreaterThan(RAMPS / 2);
    expect(counts.done).toBeGreaterThan(0);
    expect(counts.superseded + counts.failed).toBeGreaterThan(0);
  }, 900_000);
});
