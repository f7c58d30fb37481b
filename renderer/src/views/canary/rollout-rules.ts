/** Pure checks of the rollout dialog's inputs (the core validates again; these only guide the user). */
/** The contract's rule (shared/contract/domains/common.ts), not a copy of it. */
export { MIN_COMMENT_LENGTH as MIN_COMMENT } from '../../../../shared/contract/domains/common';

/** Why `text` is not a usable ramp target, or null when it is. */
export function validateRampTarget(text: string, current: number, step: number): string | null {
  if (text.trim() === '') return 'enter a percentage';
  const to = Number(text);
  if (!Number.isFinite(to)) return 'not a number';
  if (to < 0 || to > 100) return 'between 0 and 100';
  if (to === current) return `already at ${current}%`;
  if (step > 0) {
    const units = to / step;
    if (Math.abs(units - Math.round(units)) > 1e-6) return `the store's smallest step is ${step}%`;
  }
  return null;
}
