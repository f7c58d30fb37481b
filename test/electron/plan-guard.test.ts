import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../main/core/core';

/**
 * The Electron quit prompt (main/electron/plan-guard.ts, docs/autopilot.md "Durable, single-driver"): closing the
 * window while this app's runner drives a plan asks whether to keep the plans active under the autopilot or pause
 * them, and each answer does what it says — against a real core on the demo workspace (its plan on search-ranker),
 * with Electron's dialog and Notification replaced by stand-ins that record what they were asked.
 */
const e = vi.hoisted(() => ({
  prompts: [] as { message: string; buttons?: string[]; type?: string; detail?: string }[],
  answers: [] as number[],
  notifications: [] as { title: string; body: string }[],
}));

vi.mock('electron', () => ({
  dialog: {
    showMessageBoxSync: (_win: unknown, o: { message: string; buttons?: string[]; type?: string; detail?: string }) => {
      e.prompts.push(o);
      return e.answers.shift() ?? 0;
    },
  },
  Notification: class {
    static isSupported = () => true;
    constructor(private o: { title: string; body: string }) {}
    show() {
      e.notifications.push({ title: this.o.title, body: this.o.body });
    }
  },
}));

const { guardPlans, QUIT_ANSWERS, QUIT_PAUSE_COMMENT } = await import('../../main/electron/plan-guard');

/** A window that emits 'close' like Electron's: a listener may call preventDefault; close() emits it again. */
class FakeWindow extends EventEmitter {
  closed = 0;
  /** Emits 'close'; true when it went through (nobody prevented it). */
  tryClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.closed++;
    return !prevented;
  }
  close(): void {
    this.tryClose();
  }
}

let core: Core;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-quit-'));
  core = createCore({
    dataDir: dir,
    resourcesDir: join(__dirname, '..', '..', 'resources'),
    secrets: () => undefined,
    version: 'test',
    user: () => 'tester',
  });
  // One pass of this app's runner: it takes the lease of the demo plan, so the plan is driven here.
  await core.plans.runner.tick();
}, 60_000);

afterAll(() => {
  core?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  e.prompts.length = 0;
  e.answers.length = 0;
  e.notifications.length = 0;
});

/** A window of the app as index.ts guards it. */
function guardedWindow(): FakeWindow {
  const win = new FakeWindow();
  guardPlans(core, win as never);
  return win;
}

const demoPlan = () => core.plans.service.get('plan-demo');
const person = { user: 'tester', door: 'electron' };

// One core for the file (booting the demo workspace takes seconds): the tests run in order, each from the last one's state.
describe('quitting the Electron app while a plan runs', () => {
  it('asks when this app drives a plan, naming it; Cancel keeps the app open and the plan untouched', () => {
    const before = demoPlan();
    expect(before.outlook.lease.mine).toBe(true);
    const win = guardedWindow();
    e.answers.push(QUIT_ANSWERS.indexOf('Cancel'));
    expect(win.tryClose()).toBe(false);
    expect(e.prompts).toHaveLength(1);
    expect(e.prompts[0].message).toBe('A plan is running: search-ranker in production');
    expect(e.prompts[0].buttons).toEqual([...QUIT_ANSWERS]);
    expect(e.prompts[0].detail).toMatch(/rampart autopilot/);
    expect(win.closed).toBe(0);
    expect(demoPlan()).toMatchObject({ state: before.state, version: before.version, pausedBy: null });
  });

  it('Keep active quits and leaves the plan active, under the autopilot', () => {
    const before = demoPlan();
    const win = guardedWindow();
    e.answers.push(QUIT_ANSWERS.indexOf('Quit, keep the plans active'));
    expect(win.tryClose()).toBe(true);
    expect(e.prompts).toHaveLength(1);
    expect(demoPlan()).toMatchObject({ state: before.state, version: before.version, pausedBy: null });
  });

  it('Pause pauses the plan with a comment, audited and notified, then closes without asking again', async () => {
    const win = guardedWindow();
    e.answers.push(QUIT_ANSWERS.indexOf('Pause the plans and quit'));
    expect(win.tryClose()).toBe(false); // held open until the pause is recorded
    await expect.poll(() => win.closed).toBe(1);
    expect(e.prompts).toHaveLength(1);
    expect(demoPlan()).toMatchObject({ state: 'paused', pausedBy: 'person' });
    expect(demoPlan().reason).toBe(`paused by tester: ${QUIT_PAUSE_COMMENT}`);
    const audit = core.store.audit.list({ limit: 50, flagKey: 'search-ranker' });
    expect(audit.find((a) => a.action === 'plan-pause')).toMatchObject({ door: 'electron' });
    expect(JSON.stringify(audit.find((a) => a.action === 'plan-pause'))).toContain(QUIT_PAUSE_COMMENT);
    // The pause is a plan notice: the desktop notification says so.
    expect(e.notifications.map((n) => n.title)).toContain('search-ranker plan paused in production');
  });

  it('does not ask when no plan is driven here: paused, or its lease handed back to another runner', async () => {
    expect(guardedWindow().tryClose()).toBe(true);
    await core.plans.service.resume('plan-demo', 'carry on', person);
    await core.plans.runner.tick();
    expect(demoPlan().outlook.lease.mine).toBe(true);
    core.plans.runner.stop(); // what core.close() does as the app quits: the lease goes back at once
    expect(demoPlan().outlook.lease.owner).toBeNull();
    expect(guardedWindow().tryClose()).toBe(true);
    expect(e.prompts).toHaveLength(0);
  });
});
