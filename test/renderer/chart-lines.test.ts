import { describe, expect, it } from 'vitest';
import { columnsFromPairs, countDrawable, lastValues, nearestValue } from '../../renderer/src/charts/columns';
import { dashPattern, traceLine, type Pen } from '../../renderer/src/charts/draw-lines';
import { plotBox, timeScale, valueScale, at } from '../../renderer/src/charts/plot-box';
import { niceDomain } from '../../renderer/src/charts/y-axis';

/** A pen that writes the path the canvas would stroke, as "M x,y L x,y …" (tests read it like an SVG path). */
function recorder(): Pen & { d: string } {
  const r = {
    d: '',
    moveTo(x: number, y: number) {
      r.d += `M${x},${y}`;
    },
    lineTo(x: number, y: number) {
      r.d += `L${x},${y}`;
    },
  };
  return r;
}

/** x = t, y = 100 − v (canvas y grows downwards). */
const X = { a: 0, k: 1 };
const Y = { a: 100, k: -1 };
const cols = (...pairs: [number, number | null][]) => columnsFromPairs(pairs);

function trace(c: ReturnType<typeof cols>, from: number, to: number): string {
  const pen = recorder();
  traceLine(pen, c, from, to, X, Y);
  return pen.d;
}

describe('the line layer traces a series from its columns', () => {
  it('draws one sub-path through consecutive points', () => {
    expect(trace(cols([0, 10], [5, 20], [10, 30]), 0, 10)).toBe('M0,90L5,80L10,70');
  });

  it('lifts the pen at gaps (NaN, ±Infinity), like connectNulls={false}', () => {
    const d = trace(cols([0, 10], [1, 20], [2, null], [3, 40], [4, 50], [5, null], [6, null], [7, 60]), 0, 10);
    expect(d).toBe('M0,90L1,80M3,60L4,50M7,40');
    expect(trace(cols([0, 1], [1, Number.POSITIVE_INFINITY], [2, 3]), 0, 2)).toBe('M0,99M2,97');
  });

  it('skips points outside the window but one on each side, so the line runs on to the edge', () => {
    const c = cols([-30, 1], [-20, 2], [-10, 3], [0, 4], [10, 5], [20, 6], [30, 7], [40, 8]);
    expect(trace(c, 0, 20)).toBe('M-10,97L0,96L10,95L20,94L30,93');
    expect(trace(cols([-10, 1], [30, 2]), 0, 20)).toBe('M-10,99L30,98');
  });

  it('traces nothing for an empty or all-gap series; a lone point before the window is just a move', () => {
    expect(trace(cols(), 0, 10)).toBe('');
    expect(trace(cols([1, null], [2, null]), 0, 10)).toBe('');
    expect(trace(cols([-30, 1], [-20, 2]), 0, 10)).toBe('M-20,98');
  });

  it('reads dash patterns the way SVG writes them, scaled to device pixels', () => {
    expect(dashPattern('6 4', 2)).toEqual([12, 8]);
    expect(dashPattern(undefined, 2)).toEqual([]);
  });
});

describe('chart geometry and axes', () => {
  it('puts the plot where the app’s margins say, and maps time and values onto it', () => {
    const box = plotBox(1000, 250, true);
    expect(box).toEqual({ x: 60, y: 18, width: 1000 - 60 - 64, height: 250 - 18 - 2 - 22 });
    expect(at(timeScale(0, 100, box.x, box.width), 50)).toBe(box.x + box.width / 2);
    const y = valueScale([0, 40], box);
    expect(at(y, 0)).toBe(box.y + box.height);
    expect(at(y, 40)).toBe(box.y);
  });

  it('extends the top to a round tick above the data, from 0, like recharts does for [0, "auto"]', () => {
    const axis = niceDomain(36.4);
    expect(axis.domain).toEqual([0, 40]);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.ticks[axis.ticks.length - 1]).toBe(40);
    expect(niceDomain(null).domain).toEqual([0, 1]);
    expect(niceDomain(0).domain).toEqual([0, 1]);
  });
});

describe('columns', () => {
  it('count drawable points, find the nearest value within a gap, and read the latest values', () => {
    const c = cols([0, 1], [60, null], [120, 3], [180, 4]);
    expect(countDrawable(c)).toBe(3);
    expect(countDrawable(c, 100, 200)).toBe(2);
    expect(nearestValue(c, 125, 30)).toEqual({ t: 120, v: 3 });
    expect(nearestValue(c, 65, 30)).toEqual({ t: 60, v: null });
    expect(nearestValue(c, 400, 30)).toBeNull();
    expect(lastValues(c, 2)).toEqual([3, 4]);
  });
});
