/** The drag-to-zoom selection in progress, in plot pixels; shared so every chart of the stack shows it. */
import { create } from 'zustand';

interface DragState {
  drag: { x0: number; x1: number } | null;
  setDrag(drag: { x0: number; x1: number } | null): void;
}

export const useDrag = create<DragState>((set) => ({
  drag: null,
  setDrag: (drag) => set({ drag }),
}));
