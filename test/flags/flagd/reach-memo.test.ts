import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluateReach } from '../../../main/flags/flagd/flagd-reach';
import { bool, byKey, on } from './support/shapes';

/**
 * The treatment-reach proof is remembered by the flag's exact definition (flagd-reach.ts), so a kill switch's
 * read-back does not evaluate 10,000 keys a second time. Remembering must never change an answer: a changed
 * definition is proved again, a returned proof cannot be edited into the memory, and a rule that reads the clock is
 * never remembered.
 */
afterEach(() => vi.useRealTimers());

const doc = (def: Record<string, unknown>) => ({ flags: { subject: def } });

describe('the remembered treatment-reach proof', () => {
  it('answers the same for the same definition and afresh for a changed one', () => {
    const zeroed = on(bool, 'off', { fractional: [byKey, ['on', 0], ['off', 100]] });
    const first = evaluateReach('/f.json', doc(zeroed), 'subject', zeroed);
    expect(first.state).toBe('none');
    first.state = 'some'; // a caller editing its copy
    const again = evaluateReach('/f.json', doc(structuredClone(zeroed)), 'subject', structuredClone(zeroed));
    expect(again.state).toBe('none');
    again.state = 'some';
    expect(evaluateReach('/f.json', doc(zeroed), 'subject', zeroed).state).toBe('none');
    const ramped = on(bool, 'off', { fractional: [byKey, ['on', 1], ['off', 99]] });
    expect(evaluateReach('/f.json', doc(ramped), 'subject', ramped).state).toBe('some');
  });

  it('evaluates a rule on $flagd.timestamp at every call, since its answer moves with the clock', () => {
    const at = 1_900_000_000; // seconds
    const timed = on(bool, 'off', { if: [{ '>': [{ var: '$flagd.timestamp' }, at] }, 'on', 'off'] });
    vi.useFakeTimers();
    vi.setSystemTime((at - 3600) * 1000);
    const before = evaluateReach('/f.json', doc(timed), 'subject', timed);
    vi.setSystemTime((at + 3600) * 1000);
    const after = evaluateReach('/f.json', doc(timed), 'subject', timed);
    expect(after.state).toBe('some');
    expect(before.state).not.toBe('some');
  });
});
