import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain/audit';
import { auditCsv, auditJson, csvField } from '../../renderer/src/lib/audit-export';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  actionId: 'a1',
  at: Date.UTC(2026, 2, 14, 14, 2, 7),
  user: 'alice',
  door: 'http',
  owner: null,
  connectionId: 'demo-flags',
  flagKey: 'checkout-v2',
  env: 'production',
  action: 'ramp',
  from: { enabled: true, exposure: 25 },
  to: { enabled: true, exposure: 50 },
  comment: 'p99 flat, "ok"',
  result: 'refused',
  error: null,
  reason: 'the decision says roll back',
  detail: null,
  finishedAt: Date.UTC(2026, 2, 14, 14, 2, 8),
  override: false,
  trail: [],
  ...over,
});

describe('audit export', () => {
  it('writes CSV with the door, the user and the refusal reason, quoting what needs it', () => {
    const csv = auditCsv([
      entry({}),
      entry({
        actionId: 'a2',
        door: 'cli',
        action: 'rollback',
        to: { enabled: false, exposure: 0 },
        result: 'done',
        reason: null,
        comment: 'errors\nrising',
      }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'at,user,door,connectionId,flagKey,env,action,from,to,override,comment,result,reason,error,finishedAt,actionId',
    );
    expect(lines[1]).toBe(
      '2026-03-14T14:02:07.000Z,alice,http,demo-flags,checkout-v2,production,ramp,25%,50%,false,"p99 flat, ""ok""",refused,the decision says roll back,,2026-03-14T14:02:08.000Z,a1',
    );
    expect(csv).toContain(',cli,');
    expect(csv).toContain('"errors\nrising"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes JSON that parses back to the entries', () => {
    const entries = [entry({})];
    expect(JSON.parse(auditJson(entries))).toEqual(entries);
  });
});
