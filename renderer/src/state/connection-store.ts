/** Health of the link to the core and of metrics providers, as pushed by the core. */
import { create } from 'zustand';

export interface ProviderHealth {
  consecutiveErrors: number;
  lastError: string | null;
  at: number;
}

interface ConnectionStatus {
  /** The push-event stream (SSE in the browser host); IPC is always connected. */
  streamConnected: boolean;
  providers: Record<string, ProviderHealth>;
  setStreamConnected(connected: boolean): void;
  setProviderHealth(connectionId: string, health: ProviderHealth): void;
}

export const useConnectionStatus = create<ConnectionStatus>((set) => ({
  streamConnected: true,
  providers: {},
  setStreamConnected: (streamConnected) => set((s) => (s.streamConnected === streamConnected ? s : { streamConnected })),
  setProviderHealth: (id, health) => set((s) => ({ providers: { ...s.providers, [id]: health } })),
}));

/** After this many failures in a row the UI proposes rollback (Argo Rollouts' default, SECURITY.md). */
export const PROPOSE_ROLLBACK_AFTER = 4;
