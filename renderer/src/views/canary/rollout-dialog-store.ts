/** Which rollout dialog is open: opened from the decision bar and from the "propose rollback" banner. */
import { create } from 'zustand';

export type RolloutMode = 'ramp' | 'rollback';

interface RolloutDialogState {
  mode: RolloutMode | null;
  /** The ramp was opened as "Ramp anyway…": the decision says roll back, so it goes out with override. */
  override: boolean;
  open(mode: RolloutMode, o?: { override?: boolean }): void;
  close(): void;
}

export const useRolloutDialog = create<RolloutDialogState>((set) => ({
  mode: null,
  override: false,
  open: (mode, o) => set({ mode, override: o?.override === true }),
  close: () => set({ mode: null, override: false }),
}));
