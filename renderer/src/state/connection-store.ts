/**
 * Honest liveness (issue 11): whether the core answers, whether its push stream is up, and each metrics
 * provider's health as the core pushes it. Every panel that shows data from the core reads this, so none keeps a
 * green "● live" or an active Ramp button while the core is gone.
 */
import { create } from 'zustand';
import type { PartialFailure } from '../../../shared/errors';

export interface ProviderHealth {
  consecutiveErrors: number;
  lastError: PartialFailure | null;
  at: number;
}

export interface CoreHealth {
  /** False from the first call that could not reach the core until one succeeds again. */
  reachable: boolean;
  /** When a call last succeeded (or a push event arrived): the age of everything on screen. */
  lastOkAt: number | null;
  /** When the core stopped answering; null while it answers. */
  downSince: number | null;
  lastError: string | null;
}

interface ConnectionStatus {
  /** The push-event stream (SSE in the browser host); IPC is always connected. */
  streamConnected: boolean;
  core: CoreHealth;
  providers: Record<string, ProviderHealth>;
  setStreamConnected(connected: boolean): void;
  coreAnswered(at: number): void;
  coreUnreachable(at: number, error: string): void;
  setProviderHealth(connectionId: string, health: ProviderHealth): void;
}

export const useConnectionStatus = create<ConnectionStatus>((set) => ({
  streamConnected: true,
  core: { reachable: true, lastOkAt: null, downSince: null, lastError: null },
  providers: {},
  setStreamConnected: (streamConnected) =>
    set((s) => (s.streamConnected === streamConnected ? s : { streamConnected })),
  coreAnswered: (at) =>
    set((s) => ({
      core: { reachable: true, lastOkAt: Math.max(at, s.core.lastOkAt ?? 0), downSince: null, lastError: null },
    })),
  coreUnreachable: (at, error) =>
    set((s) => ({ core: { ...s.core, reachable: false, downSince: s.core.downSince ?? at, lastError: error } })),
  setProviderHealth: (id, health) => set((s) => ({ providers: { ...s.providers, [id]: health } })),
}));

/** After this many failures in a row the UI proposes rollback (Argo Rollouts' default, docs/security.md). */
export const PROPOSE_ROLLBACK_AFTER = 4;

/** Whether the core is down right now: a failed call, or the push stream gone (then the heartbeat decides). */
export function coreDown(s: Pick<ConnectionStatus, 'core'>): boolean {
  return !s.core.reachable;
}
