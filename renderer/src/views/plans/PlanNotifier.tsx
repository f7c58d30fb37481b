/**
 * Desktop notifications in the browser host (issue 12): the core pushes `plans:notice` for what needs a person —
 * rollback, recovery or not, pause, approval needed, completion — and this shows it with the browser's
 * Notification API once the user allowed it. In the Electron app the main process shows them itself.
 */
import { useEffect } from 'react';
import { api } from '../../api';

export type PermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

export function notificationsPermission(): PermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : (Notification.permission as PermissionState);
}

export async function requestNotifications(): Promise<PermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return (await Notification.requestPermission()) as PermissionState;
}

export function PlanNotifier(): null {
  useEffect(() => {
    if (api.transport === 'ipc') return undefined;
    return api.on('plans:notice', ({ notice }) => {
      if (notificationsPermission() !== 'granted') return;
      // One notification per plan and kind: a repeat replaces the earlier one instead of stacking.
      new Notification(notice.title, {
        body: notice.body,
        tag: `rampart-${notice.planId}-${notice.kind}`,
        requireInteraction: notice.severity === 'critical',
      });
    });
  }, []);
  return null;
}
