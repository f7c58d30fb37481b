/** Short confirmations and failures shown in the corner ("confirmed by read-back: rollout 25% → 50%"). */
import { create } from 'zustand';

export interface Toast {
  id: number;
  tone: 'ok' | 'error' | 'info';
  text: string;
}

interface ToastState {
  toasts: Toast[];
  push(tone: Toast['tone'], text: string, ttlMs?: number): void;
  dismiss(id: number): void;
}

let seq = 0;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push: (tone, text, ttlMs = 8_000) => {
    const id = ++seq;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { id, tone, text }] }));
    window.setTimeout(() => get().dismiss(id), ttlMs);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
