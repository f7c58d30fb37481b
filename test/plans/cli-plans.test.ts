import { scheduleAllows } from '../../shared/domain/plan-schedule';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/host/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-plan-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('rampart plan … on the demo workspace', () => {
  it('the demo starts with one plan running on its healthy flag', async () => {
    const list = await run('plan', 'list', '--json');
    expect(list.code).toBe(0);
    const plans = JSON.parse(list.out) as { id: string; flagKey: string; state: string }[];
    expect(plans).toEqual([expect.objectContaining({ id: 'plan-demo', flagKey: 'search-ranker', state: 'running' })]);
    const status = await run('plan', 'status', 'search-ranker', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({
      state: 'running',
      step: { number: 4, of: 6, exposure: 50 },
      exposure: 50,
      decision: null,
    });
  });

  it('plan status says the decision `verdict` says, and that no runner is moving the plan', async () => {
    const verdict = await run('verdict', 'search-ranker', '--env', 'production', '--json');
    const now = (JSON.parse(verdict.out) as { decision: { action: string; reason: string } }).decision;
    const status = await run('plan', 'status', 'search-ranker', '--env', 'production');
    expect(status.code, status.err).toBe(0);
    expect(status.out).toContain(`decision now: ${now.action} — ${now.reason}`);
    expect(status.out).toMatch(/runner: none is running this plan; it moves only while the app/);
    expect(status.out).toMatch(/the plan has not acted on a decision yet/);
    const json = JSON.parse((await run('plan', 'status', 'search-ranker', '--json')).out) as {
      decisionNow: { action: string } | null;
    };
    expect(json.decisionNow?.action).toBe(now.action);
  });

  it('refuses bad input in one line with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--steps', '5,1', '--comment', 'go go'],
        /steps must strictly increase/,
      ],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--steps', '5,abc', '--comment', 'go go'],
        /--steps takes percentages.*'abc'/,
      ],
      [
        [
          'plan',
          'start',
          'checkout-v2',
          '--env',
          'production',
          '--window',
          'Mon-Thu 09:00-17:00 Europe/Nowhere',
          '--comment',
          'go go',
        ],
        /--window 'Mon-Thu 09:00-17:00 Europe\/Nowhere': timeZone must be an IANA time zone/,
      ],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--bake', '10', '--comment', 'go go'],
        /--bake must be a duration like 60s/,
      ],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--approve-at', '30', '--comment', 'go go'],
        /--approve-at 30 is not one of the steps/,
      ],
      [['plan', 'start', 'checkout-v2', '--env', 'production'], /--comment is required/],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--freeze', 'tomorrow', '--comment', 'go go'],
        /freezeDates.*YYYY-MM-DD/,
      ],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--freeze', '2025-02-30', '--comment', 'go go'],
        /freezeDates.*YYYY-MM-DD that exists/,
      ],
      [
        [
          'plan',
          'start',
          'checkout-v2',
          '--env',
          'production',
          '--freeze',
          '2025-02-01..2025-02-29',
          '--comment',
          'go',
        ],
        /freezeDates.*YYYY-MM-DD that exists/,
      ],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--steps', '', '--comment', 'go go'],
        /--steps is empty/,
      ],
      [
        ['plan', 'start', 'checkout-v2', '--env', 'production', '--approve-at', '150', '--comment', 'go go'],
        /--approve-at takes percentages.*'150'/,
      ],
      [['plan', 'status', 'no-such-flag'], /No plan for no-such-flag/],
      [['plan', 'pause', 'search-ranker', '--env', 'production'], /--comment is required/],
      [['plan', 'export', 'search-ranker', '--format', 'pdf'], /--format must be markdown or json/],
      [['autopilot', '--tick', 'often'], /--tick must be a duration/],
      [['autopilot', '--listen', 'nowhere'], /--listen must be HOST:PORT/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err, argv.join(' ')).toMatch(message);
    }
  });

  it('starts, pauses, resumes and aborts a plan; abort rolls the flag back in the flag file', async () => {
    const start = await run(
      'plan',
      'start',
      'checkout-v2',
      '--env',
      'production',
      '--steps',
      '25,50,100',
      '--approve-at',
      '100',
      '--bake',
      '5m',
      '--window',
      'Mon-Fri 00:00-24:00 UTC',
      '--comment',
      'guarded rollout of checkout',
      '--json',
    );
    expect(start.code, start.err).toBe(0);
    const plan = JSON.parse(start.out) as {
      id: string;
      state: string;
      stepIndex: number;
      policy: { steps: { exposure: number; approval: boolean }[]; bakeMs: number };
    };
    expect(plan).toMatchObject({ state: 'running', stepIndex: 0 }); // checkout-v2 already serves 25 %: no write needed
    expect(plan.policy.steps.map((s) => s.approval)).toEqual([false, false, true]);
    expect(plan.policy.bakeMs).toBe(300_000);
    const again = await run('plan', 'start', 'checkout-v2', '--env', 'production', '--comment', 'twice');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already active/);

    expect((await run('plan', 'pause', 'checkout-v2', '--comment', 'waiting for the payment team')).out).toMatch(
      /now paused: paused by .*: waiting for the payment team/,
    );
    expect((await run('plan', 'resume', 'checkout-v2', '--comment', 'go on')).out).toMatch(/now running/);
    const early = await run('plan', 'approve', 'checkout-v2', '--comment', 'ok to 100 when ready', '--json');
    expect(JSON.parse(early.out).approved).toEqual([2]);
    const abort = await run(
      'plan',
      'abort',
      'checkout-v2',
      '--env',
      'production',
      '--comment',
      'errors climbing',
      '--json',
    );
    expect(abort.code, abort.err).toBe(0);
    expect(JSON.parse(abort.out)).toMatchObject({
      state: 'aborted',
      expected: { exposure: 0 },
      recovery: { status: 'verifying' },
    });
    const file = JSON.parse(readFileSync(join(dir, 'demo', 'flags.json'), 'utf8'));
    expect(JSON.stringify(file.flags['checkout-v2'])).not.toMatch(/\["on",\s*25\]/);
    const audit = JSON.parse((await run('audit', 'list', '--json')).out) as { action: string; door?: string }[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['plan-start', 'plan-pause', 'plan-resume', 'plan-approve', 'rollback', 'plan-abort']),
    );
    const md = await run('plan', 'export', 'checkout-v2');
    expect(md.out).toMatch(/^# Plan plan-[0-9a-f]+: checkout-v2 in production/);
    expect(md.out).toMatch(/abort · step 1\/3 · 0% · .*errors climbing/);
  });

  it('saves a policy (a template) and starts a flag with it; autopilot --once evaluates every plan once', async () => {
    const saved = await run(
      'plan',
      'save-policy',
      'weekdays',
      '--steps',
      '50,100',
      '--bake',
      '30m',
      '--window',
      'Mon-Thu 09:00-17:00 Europe/Berlin',
      '--description',
      'office hours',
    );
    expect(saved.code, saved.err).toBe(0);
    expect((await run('plan', 'policies')).out).toMatch(/weekdays\s+50% → 100%\s+30 min\s+1\s+office hours/);
    const started = await run(
      'plan',
      'start',
      'checkout-v2',
      '--env',
      'production',
      '--policy',
      'weekdays',
      '--comment',
      'from the template',
      '--json',
    );
    expect(started.code, started.err).toBe(0);
    const plan = JSON.parse(started.out);
    // The first step obeys the change window like every other step: written at once only inside it.
    const open = scheduleAllows(plan.policy, Date.now()).open;
    expect(plan).toMatchObject({
      policyName: 'weekdays',
      ...(open
        ? { state: 'running', stepIndex: 0, expected: { enabled: true, exposure: 50 } }
        : { state: 'holding', stepIndex: -1, reason: expect.stringMatching(/^first step to 50% waits: /) }),
      policy: { bakeMs: 1_800_000, windows: [{ timeZone: 'Europe/Berlin' }] },
    });
    const once = await run('autopilot', '--once', '--json');
    expect(once.code, once.err).toBe(0);
    const active = JSON.parse(once.out).plans as { id: string; lastDecision: { action: string } | null }[];
    expect(active.find((p) => p.id === 'plan-demo')?.lastDecision?.action).toMatch(/^(advance|hold|rollback)$/);
  });
});
