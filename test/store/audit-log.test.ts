import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store';
import { migrate } from '../../main/store/database';
import { initialSchema } from '../../main/store/migrations/001-initial-schema';
import { createRedactor } from '../../main/store/audit-redact';
import { AuditEntry } from '../../shared/domain/audit';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-audit-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const head = {
  user: 'alice',
  door: 'http' as const,
  connectionId: 'prod-unleash',
  flagKey: 'checkout-v2',
  env: 'production',
  action: 'ramp' as const,
  from: { enabled: true, exposure: 5 },
  to: { enabled: true, exposure: 25 },
  comment: 'p99 flat for 30 minutes',
};

describe('schema 2 over a schema-1 database', () => {
  it('keeps every old row (seq included), widens the results, and keeps the table append-only', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'rampart.db'));
    migrate(old, [initialSchema]);
    const insert =
      old.prepare(`INSERT INTO audit_log (action_id, phase, at, user, connection_id, flag_key, env, action, from_json, to_json, comment, result, error, override)
      VALUES (?, ?, ?, 'bob', 'c', 'f', 'production', 'ramp', '{"enabled":true,"exposure":1}', '{"enabled":true,"exposure":5}', 'old ramp', ?, NULL, 0)`);
    insert.run('old-1', 'intent', 1000, null);
    insert.run('old-1', 'result', 1100, 'done');
    insert.run('old-2', 'intent', 2000, null); // a pending intent of a schema-1 Rampart: its owner is unknown
    old.close();

    const store = openStore(dir);
    try {
      expect(store.audit.get('old-1')).toMatchObject({
        result: 'done',
        user: 'bob',
        door: null,
        owner: null,
        finishedAt: 1100,
      });
      // A schema-1 intent has no owner: it counts as gone, so any door may settle it.
      expect(store.audit.unsettled().map((e) => e.actionId)).toEqual(['old-2']);
      expect(store.processes.isGone(store.audit.get('old-2')?.owner ?? null)).toBe(true);
      const seqs = store.db.prepare('SELECT seq FROM audit_log ORDER BY seq').all() as { seq: number }[];
      expect(seqs.map((r) => r.seq)).toEqual([1, 2, 3]);
      const next = store.audit.intent(head);
      expect(
        (store.db.prepare('SELECT seq FROM audit_log WHERE action_id = ?').get(next.actionId) as { seq: number }).seq,
      ).toBe(4);
      expect(() => store.db.prepare("UPDATE audit_log SET comment = 'x'").run()).toThrow(/append-only/);
      expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });
});

describe('outcomes', () => {
  it('an unknown outcome stays unknown until a settle row, and the trail keeps both', () => {
    const store = openStore(':memory:');
    const a = store.audit.intent(head);
    store.audit.result(a.actionId, 'unknown', 'outcome unknown: the write timed out');
    expect(store.audit.unsettled().map((e) => e.actionId)).toEqual([a.actionId]);
    const settled = store.audit.settle(a.actionId, 'done', null, {
      detail: { readBack: { enabled: true, exposure: 25 } },
    });
    expect(settled).toMatchObject({ result: 'done', error: null, detail: { readBack: { exposure: 25 } } });
    expect(settled?.trail.map((t) => t.result)).toEqual(['unknown', 'done']);
    expect(store.audit.unsettled()).toEqual([]);
    // A second settle (another process that also looked) writes nothing and does not throw.
    expect(store.audit.settle(a.actionId, 'reconciled-failed', 'late')).toBeUndefined();
    expect(store.audit.get(a.actionId)?.result).toBe('done');
    store.close();
  });

  it('never crashes the owner on a constraint: its result after a settle is recorded and becomes the latest', () => {
    const store = openStore(':memory:');
    const a = store.audit.intent(head);
    store.audit.settle(a.actionId, 'reconciled-failed', 'found unapplied');
    expect(() => store.audit.result(a.actionId, 'done')).not.toThrow();
    expect(store.audit.get(a.actionId)).toMatchObject({
      result: 'done',
      trail: [{ result: 'reconciled-failed' }, { result: 'done' }],
    });
    store.close();
  });

  it('records a one-row event (a refusal, a plan transition) with who, what and why', () => {
    const store = openStore(':memory:');
    const e = store.audit.record({
      ...head,
      result: 'refused',
      error: 'The metrics guard refused this ramp',
      reason: 'no usable data',
      detail: { guard: { verdict: 'inconclusive' } },
    });
    expect(AuditEntry.parse(e)).toMatchObject({
      result: 'refused',
      reason: 'no usable data',
      door: 'http',
      user: 'alice',
      finishedAt: e.at,
      detail: { guard: { verdict: 'inconclusive' } },
    });
    expect(store.audit.unsettled()).toEqual([]);
    const plan = store.audit.record({
      ...head,
      door: 'plan',
      action: 'plan-pause',
      result: 'done',
      detail: { decision: { action: 'hold' } },
    });
    expect(store.audit.list({ limit: 5 }).map((x) => x.action)).toEqual(['plan-pause', 'ramp']);
    expect(plan.trail).toEqual([{ at: plan.at, result: 'done', error: null, by: 'owner' }]);
    store.close();
  });
});

describe('finding unsettled intents', () => {
  it('stays one cheap query on a long log: settled history below a watermark is not scanned again', () => {
    const store = openStore(':memory:');
    const rows = store.db.transaction(() => {
      const out = [];
      for (let i = 0; i < 2_000; i++) {
        const e = store.audit.intent(head);
        if (i !== 1_500) store.audit.result(e.actionId, 'done');
        out.push(e);
      }
      return out;
    })();
    expect(store.audit.unsettled().map((e) => e.actionId)).toEqual([rows[1_500].actionId]);
    const mark = () =>
      Number(
        (store.db.prepare("SELECT value FROM settings WHERE key = 'audit.unsettledFromSeq'").get() as { value: string })
          .value,
      );
    const pendingSeq = mark();
    store.audit.settle(rows[1_500].actionId, 'reconciled-done');
    expect(store.audit.unsettled()).toEqual([]);
    expect(mark()).toBeGreaterThan(pendingSeq);
    const later = store.audit.intent(head); // a new intent is always above the watermark
    expect(store.audit.unsettled().map((e) => e.actionId)).toEqual([later.actionId]);
    store.close();
  });
});

describe('no secret in the audit table', () => {
  it('masks connection secrets anywhere and credential shapes in errors and details', () => {
    const secret = 'unleash-admin-TOKEN-7f3a9c';
    const store = openStore(':memory:', Date.now, { redact: createRedactor(() => [secret]) });
    const a = store.audit.intent({ ...head, comment: `rotated ${secret} yesterday` });
    store.audit.result(
      a.actionId,
      'failed',
      `Unleash: 401 {"error":"bad token ${secret}", "authorization":"Bearer abcdefgh12345678"}`,
      {
        detail: { body: { echoed: `Api-Key zzzzzzzz99999999 and ${secret}` } },
      },
    );
    const dump = JSON.stringify(store.db.prepare('SELECT * FROM audit_log').all());
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain('abcdefgh12345678');
    expect(dump).not.toContain('zzzzzzzz99999999');
    expect(store.audit.get(a.actionId)?.error).toMatch(/bad token \[redacted\]/);
    expect(store.audit.get(a.actionId)?.comment).toBe('rotated [redacted] yesterday');
    store.close();
  });
});

describe('the audit redactor and the HTTP client together', () => {
  it('leaves a value the HTTP client already masked as it is (no "[redacted]]")', () => {
    const redact = createRedactor(() => ['s3cr3t-token']);
    expect(redact('Unleash: bad token (HTTP 401): token: [redacted] and s3cr3t-token', 'error')).toBe(
      'Unleash: bad token (HTTP 401): token: [redacted] and [redacted]',
    );
    expect(redact('api_key=abcd1234', 'error')).toBe('api_key=[redacted]');
  });
});
