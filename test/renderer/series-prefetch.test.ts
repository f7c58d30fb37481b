import { describe, expect, it } from 'vitest';
import {
  createSeriesPrefetch,
  viewPayload,
  type ViewAnswer,
  type ViewPayload,
} from '../../renderer/src/api/series-prefetch';

/**
 * The 7-day answer asked ahead of the click (renderer/src/api/series-prefetch.ts): the click takes it once, only while
 * it draws the clicked window (same watch, width, visibility and span, not more than two steps older); otherwise the
 * click goes to the core.
 */
const WEEK = 7 * 86_400_000;
const T0 = Date.UTC(2026, 11, 2, 6, 0);
const STEP = 600_000;

function harness(fail = false) {
  const calls: ViewPayload[] = [];
  const p = createSeriesPrefetch((payload) => {
    calls.push(payload);
    const answer = { series: [], stepMs: STEP, from: payload.from, to: payload.to } as unknown as ViewAnswer;
    return fail ? Promise.reject(new Error('core away')) : Promise.resolve(answer);
  });
  return { p, calls };
}
const week = (to: number, overrides: Record<string, boolean> = {}, width = 900) =>
  viewPayload('w1', to - WEEK, to, width, overrides);
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('series:view asked ahead', () => {
  it('the click a few minutes later takes the answer once; the next click asks the core', async () => {
    const { p, calls } = harness();
    p.prefetch(week(T0));
    p.prefetch(week(T0 + 1_000)); // the same answer is on its way: not asked twice
    expect(calls).toHaveLength(1);
    await settle();
    const taken = p.take(week(T0 + 2 * STEP));
    expect(taken).not.toBeNull();
    expect((await taken!).to).toBe(T0);
    expect(p.take(week(T0 + 2 * STEP))).toBeNull();
  });

  it('an answer older than two steps, another width, visibility, span or watch is not taken', async () => {
    const { p } = harness();
    p.prefetch(week(T0, { 'p99:on': false }));
    await settle();
    expect(p.take(week(T0 + 2 * STEP + 60_000, { 'p99:on': false }))).toBeNull(); // too old to draw pixel-true
    expect(p.take(week(T0, {}))).toBeNull(); // the user hid nothing now
    expect(p.take(week(T0, { 'p99:on': false }, 1200))).toBeNull();
    expect(p.take(viewPayload('w1', T0 - 86_400_000, T0, 900, { 'p99:on': false }))).toBeNull();
    expect(p.take(viewPayload('w2', T0 - WEEK, T0, 900, { 'p99:on': false }))).toBeNull();
    expect(p.take(week(T0 + STEP, { 'p99:on': false }))).not.toBeNull(); // and the one that matches still is
  });

  it('while the answer is on its way, only a click within a minute of it takes it', () => {
    const { p } = harness();
    p.prefetch(week(T0));
    expect(p.take(week(T0 + 120_000))).toBeNull();
    expect(p.take(week(T0 + 30_000))).not.toBeNull();
  });

  it('a failed ask is forgotten: the click asks the core (and shows that error itself)', async () => {
    const { p, calls } = harness(true);
    p.prefetch(week(T0));
    await settle();
    expect(p.take(week(T0))).toBeNull();
    p.prefetch(week(T0));
    expect(calls).toHaveLength(2);
  });
});
