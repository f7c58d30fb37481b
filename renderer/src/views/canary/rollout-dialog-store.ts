/** Which rollout dialog is open: opened from the header buttons and from the "propose rollback" banner. */
import { create } from 'zustand';

export type RolloutMode = 'ramp' | 'rollback';

interface RolloutDialogState {
  mode: RolloutMode | null;
  open(mode: RolloutMode): void;
  close(): void;
}

export const useRolloutDialog = create<RolloutDialogState>((set) => ({
  mode: null,
  open: (mode) => set({ mode }),
  close: () => set({ mode: null }),
}));
