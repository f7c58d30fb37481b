import { dialog, Notification, type BrowserWindow } from 'electron';
import type { PlanView } from '../../shared/domain/plans';
import type { Core } from '../core/core';

const DRIVING = new Set(['running', 'holding', 'awaiting-approval', 'rolled-back']);

/** The quit prompt's buttons, in order; Cancel is what Escape and closing the dialog answer. */
export const QUIT_ANSWERS = ['Quit, keep the plans active', 'Pause the plans and quit', 'Cancel'] as const;
const KEEP_ACTIVE = 0;
const PAUSE = 1;
const CANCEL = 2;

export const QUIT_PAUSE_COMMENT = 'paused when the Rampart app quit';

/** The window the guard needs: its close event, a way to close it again, and the owner of the dialog. */
type GuardedWindow = Pick<BrowserWindow, 'on' | 'close'>;
type PlanCore = Pick<Core, 'bus' | 'plans' | 'info'>;

/** Plans this app's runner drives right now: the ones that stop moving when it quits. */
function drivenHere(core: PlanCore): PlanView[] {
  return core.plans.service.list({ active: true }).filter((p) => DRIVING.has(p.state) && p.outlook.lease.mine);
}

/**
 * Plans in the Electron app (issue 12): a desktop notification for every `plans:notice` (rollback, recovery or not,
 * pause, approval needed, completion), and closing the window while this app drives a plan asks first
 * (docs/autopilot.md "Durable, single-driver"): keep the plans active under the autopilot (quitting hands the leases
 * back, so `rampart autopilot` or `rampart serve` on this data dir takes them over at once), pause them (each
 * stops advancing until a person resumes it, audited with a comment), or cancel and keep the app running.
 */
export function guardPlans(core: PlanCore, win: GuardedWindow): () => void {
  const off = core.bus.subscribe((name, payload) => {
    if (name !== 'plans:notice' || !Notification.isSupported()) return;
    const { notice } = payload as { notice: { title: string; body: string; severity: string } };
    new Notification({
      title: notice.title,
      body: notice.body,
      urgency: notice.severity === 'critical' ? 'critical' : 'normal',
    }).show();
  });
  let settled = false;
  win.on('close', (e) => {
    if (settled) return;
    const mine = drivenHere(core);
    if (mine.length === 0) return;
    const answer = dialog.showMessageBoxSync(win as BrowserWindow, {
      type: 'question',
      buttons: [...QUIT_ANSWERS],
      defaultId: CANCEL,
      cancelId: CANCEL,
      message:
        mine.length === 1
          ? `A plan is running: ${mine[0].flagKey} in ${mine[0].env}`
          : `${mine.length} plans are running`,
      detail:
        'Keep active: the plans stay under the autopilot — a runner on this data dir (rampart autopilot, rampart serve, or this app next time) drives them, rollbacks included; none runs while nothing does.\n' +
        'Pause: each plan stops advancing until someone resumes it.',
    });
    if (answer === KEEP_ACTIVE) return;
    e.preventDefault();
    if (answer !== PAUSE) return;
    void pauseAll(core, mine).then((failed) => {
      if (failed.length > 0) {
        // Nothing is left half-done silently: the app stays open, and the person decides again.
        dialog.showMessageBoxSync(win as BrowserWindow, {
          type: 'warning',
          message: 'Not every plan could be paused',
          detail: failed.join('\n'),
        });
        return;
      }
      settled = true;
      win.close();
    });
  });
  return off;
}

/** Pauses every plan, each on its own; returns "flag in env: why" for the ones that failed. */
async function pauseAll(core: PlanCore, plans: readonly PlanView[]): Promise<string[]> {
  const actor = { user: core.info.user, door: 'electron' };
  const results = await Promise.allSettled(plans.map((p) => core.plans.service.pause(p.id, QUIT_PAUSE_COMMENT, actor)));
  return results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [`${plans[i].flagKey} in ${plans[i].env}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`]
      : [],
  );
}
