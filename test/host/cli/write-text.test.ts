import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit';
import { auditRows } from '../../../main/host/cli/format';
import { writeResultText } from '../../../main/host/cli/write-result';

/**
 * Issue 9 (F3, F5): what the CLI prints for a write and in `audit list` — a detected concurrent edit said plainly,
 * the CONNECTION of every row, and FROM → TO as the read-back showed it (a rollback that turned the flag off reads
 * "on 30% → off (code default)", never "0% → 0%").
 */
const SUMMARY = "alice set rollout 15% 138 ms before Rampart wrote 20%: Rampart's write replaced it.";

function entry(over: Partial<AuditEntry>): AuditEntry {
  return {
    actionId: '88b814d8-0000-4000-8000-000000000000',
    at: Date.UTC(2026, 11, 2, 3, 0, 0),
    user: 'sam',
    door: 'cli',
    owner: null,
    connectionId: 'prod-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    action: 'ramp',
    from: { enabled: true, exposure: 10 },
    to: { enabled: true, exposure: 20 },
    comment: 'p99 flat',
    result: 'done',
    error: null,
    reason: null,
    detail: null,
    finishedAt: null,
    override: false,
    trail: [],
    ...over,
  };
}

describe('CLI write lines', () => {
  it('say a concurrent edit plainly under the confirmation, and nothing more without one', () => {
    const line = 'checkout-v2 in production: rollout 10% → 20% — confirmed by read-back (20%, on); audit 88b814d8';
    expect(writeResultText(line, {})).toBe(line);
    const said = writeResultText(line, { concurrentEdit: { at: 1, actor: 'alice', summary: SUMMARY } });
    expect(said.split('\n')).toEqual([line, `⚠ concurrent edit: ${SUMMARY}`]);
  });
});

describe('rampart audit list (text)', () => {
  it("say what the store did beyond the request (the adapter's note) on its own line", () => {
    const line = 'f in production: rolled back — confirmed by read-back';
    const note = '/tmp/flags.json is a symlink: Rampart wrote the file it points to, /srv/flags.json';
    expect(writeResultText(line, { note }).split('\n')).toEqual([line, `note: ${note}`]);
  });

  it('has a CONNECTION column, marks a concurrent edit in RESULT and says it under the table', () => {
    const text = auditRows(
      [
        entry({ detail: { readBack: { enabled: true, exposure: 20 }, concurrentEdit: { at: 1, summary: SUMMARY } } }),
        entry({
          actionId: 'b'.repeat(36),
          connectionId: 'eu-unleash',
          detail: { readBack: { enabled: true, exposure: 20 } },
        }),
      ],
      'UTC',
    );
    const [header, , first, second, , note] = text.split('\n');
    expect(header).toMatch(/WHO\s+DOOR\s+CONNECTION\s+FLAG/);
    expect(first).toMatch(/prod-unleash .* on 10% → on 20% .* done: ⚠ concurrent edit/);
    expect(second).toMatch(/eu-unleash/);
    expect(second).not.toMatch(/concurrent/);
    expect(note).toBe(`88b814d8 checkout-v2 in production: ⚠ concurrent edit: ${SUMMARY}`);
  });

  it('shows a rollback that turned the flag off as the read-back state, and a refusal with its reason once', () => {
    const text = auditRows(
      [
        entry({
          action: 'rollback',
          from: { enabled: true, exposure: 30 },
          to: { enabled: null, exposure: 0 },
          detail: { readBack: { enabled: false, exposure: 30 } },
        }),
        entry({
          result: 'refused',
          reason: 'it is now off, not on at 10%',
          detail: { live: { enabled: false, exposure: 10 } },
        }),
      ],
      'UTC',
    );
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/rollback\s+on 30% → off \(code default\)\s+done/);
    expect(lines[2]).not.toMatch(/0% → 0%/);
    // A refused ramp keeps what was asked as TO (no read-back) and its reason once.
    expect(lines[3]).toMatch(/on 10% → on 20%\s+refused: it is now off, not on at 10%/);
  });
});
