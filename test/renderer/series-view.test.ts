/**
 * One watch's chart data outside React (renderer/src/data/series-view.ts), with the in-thread M4 client the app uses
 * for a day of 1-minute steps: a change of window draws from what is held or asks the core once; the answer held
 * before the current one is kept (and appended to), so 24 h → 7 d → 24 h → 7 d asks the core twice, not four times.
 */
import { describe, expect, it } from 'vitest';
import type { SeriesAppended } from '../../shared/contract/domains/watches';
import { encodeColumns } from '../../shared/downsample/columns';
import { SeriesView, type SeriesFrame, type ViewAnswer, type ViewTarget } from '../../renderer/src/data/series-view';
import { createM4Client, inThreadM4 } from '../../renderer/src/workers/m4-client';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 3, 12, 0);
const WIDTH = 800;
/** The value a point of the fake metric has at time t (so a frame can be checked against its window). */
const valueAt = (t: number): number => (t / MIN) % 1_000;

function answer(from: number, to: number, stepMs: number): ViewAnswer {
  const t: number[] = [];
  for (let x = Math.ceil(from / stepMs) * stepMs; x <= to; x += stepMs) t.push(x);
  return {
    series: [
      {
        metric: 'p99',
        variant: 'on',
        arm: 'treatment',
        labels: {},
        hidden: false,
        ...encodeColumns(t, t.map(valueAt)),
      },
    ],
    stepMs,
    from,
    to,
    exact: false, // reduced on the core: pixel-true for its own span only, so 24 h and 7 d are two answers
    stale: null,
    errors: [],
  };
}

/** A live push of one new point at `t` for the watch's one series. */
function push(stepMs: number, t: number): SeriesAppended {
  return {
    watchId: 'w1',
    stepMs,
    from: t,
    to: t,
    series: [
      {
        metric: 'p99',
        variant: 'on',
        arm: 'treatment',
        labels: {},
        hidden: false,
        ...encodeColumns([t], [valueAt(t)]),
      },
    ],
    stale: null,
    errors: [],
  };
}

function harness() {
  const calls: { from: number; to: number }[] = [];
  const client = createM4Client(inThreadM4);
  const view = new SeriesView('w1', {
    call: (p) => {
      calls.push({ from: p.from, to: p.to });
      // The week at 10-minute steps, a day at 1-minute steps, as the core serves them.
      return Promise.resolve(answer(p.from, p.to, p.to - p.from > DAY ? 10 * MIN : MIN));
    },
    m4For: () => client,
    now: () => Date.now(),
  });
  const frames: SeriesFrame[] = [];
  view.subscribe(() => {
    const f = view.getFrame();
    if (f && frames[frames.length - 1] !== f) frames.push(f);
  });
  return { view, calls, frames };
}

const target = (span: number, to = T0): ViewTarget => ({
  from: to - span,
  to,
  live: true,
  plotWidth: WIDTH,
  requestWidth: WIDTH,
  overrides: {},
});
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
const lastT = (f: SeriesFrame): number => {
  const c = f.cols.get('p99\u0000on') ?? [...f.cols.values()][0];
  return c.t[c.t.length - 1];
};

describe('a watch series view', () => {
  it('draws each window once, and going back to the window before draws without asking the core', async () => {
    const { view, calls, frames } = harness();
    for (const span of [DAY, 7 * DAY, DAY, 7 * DAY, DAY]) {
      view.setTarget(target(span));
      await settle();
      const f = frames[frames.length - 1];
      expect(f.to - f.from).toBeCloseTo(span, -6); // the window asked for (snapped to its column grid)
      const c = [...f.cols.values()][0];
      expect(c.t.length).toBeGreaterThan(0);
      c.t.forEach((t, i) => expect(c.v[i]).toBeCloseTo(valueAt(t), 3)); // the points of that answer
    }
    expect(calls).toHaveLength(2); // the day and the week, each once
    expect(frames).toHaveLength(5);
  });

  it('the answer kept aside takes the live pushes, so going back shows the newest point', async () => {
    const { view, calls, frames } = harness();
    view.setTarget(target(7 * DAY));
    await settle();
    view.setTarget(target(DAY));
    await settle();
    // A new 10-minute step for the week (the day's held answer has another step: it is not touched). A reduced
    // answer draws pixel-true while it grew by less than a pixel column (7 d / 800 ≈ 12.6 min).
    await view.append(push(10 * MIN, T0 + 10 * MIN));
    view.setTarget(target(7 * DAY, T0 + 10 * MIN));
    await settle();
    expect(calls).toHaveLength(2);
    expect(lastT(frames[frames.length - 1])).toBe(T0 + 10 * MIN);
  });

  it('an answer kept aside that missed pushes is dropped: going back asks the core again', async () => {
    const { view, calls } = harness();
    view.setTarget(target(DAY));
    await settle();
    view.setTarget(target(7 * DAY));
    await settle();
    // A push of 1-minute steps from an hour later: the day kept aside missed the ones between.
    await view.append(push(MIN, T0 + 60 * MIN));
    view.setTarget(target(DAY));
    await settle();
    expect(calls).toHaveLength(3);
  });

  it('a reduced answer is not drawn at another width: a resize asks again', async () => {
    const { view, calls } = harness();
    view.setTarget(target(DAY));
    await settle();
    view.setTarget({ ...target(DAY), plotWidth: 1200, requestWidth: 1200 });
    await settle();
    expect(calls).toHaveLength(2);
  });
});
