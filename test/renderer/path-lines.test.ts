import { describe, expect, it } from 'vitest';
import { linePath, maxInRange, niceYAxis, type LinearMap, type PathPoint } from '../../renderer/src/components/line-path';

/** Identity-ish map: x = t, y = 100 − v (SVG y grows downwards). */
const MAP: LinearMap = { x0: 0, xk: 1, y0: 100, yk: -1 };

const pts = (...pairs: [number, number | null][]): PathPoint[] => pairs.map(([t, v]) => ({ t, v }));

describe('linePath', () => {
  it('draws one sub-path through consecutive points with M then L commands', () => {
    expect(linePath(pts([0, 10], [5, 20], [10, 30]), 0, 10, MAP)).toBe('M0,90L5,80L10,70');
  });

  it('breaks the path at null values (connectNulls=false): a new M after each gap', () => {
    const d = linePath(pts([0, 10], [1, 20], [2, null], [3, 40], [4, 50], [5, null], [6, null], [7, 60]), 0, 10, MAP);
    expect(d).toBe('M0,90L1,80M3,60L4,50M7,40');
    expect(d.match(/M/g)?.length).toBe(3);
  });

  it('treats non-finite values as gaps too', () => {
    expect(linePath(pts([0, 1], [1, Number.NaN], [2, 3]), 0, 2, MAP)).toBe('M0,99M2,97');
  });

  it('clips points outside the x-domain, keeping one neighbour on each side so the line reaches the edge', () => {
    const points = pts([-30, 1], [-20, 2], [-10, 3], [0, 4], [10, 5], [20, 6], [30, 7], [40, 8]);
    expect(linePath(points, 0, 20, MAP)).toBe('M-10,97L0,96L10,95L20,94L30,93');
  });

  it('draws the segment crossing a window that holds no point of its own', () => {
    expect(linePath(pts([-10, 1], [30, 2]), 0, 20, MAP)).toBe('M-10,99L30,98');
  });

  it('draws nothing for an empty series, an all-null series or one entirely out of range on one side', () => {
    expect(linePath([], 0, 10, MAP)).toBe('');
    expect(linePath(pts([1, null], [2, null]), 0, 10, MAP)).toBe('');
    // Only the nearest point before the window is kept: one point and no segment crosses into view.
    expect(linePath(pts([-30, 1], [-20, 2]), 0, 10, MAP)).toBe('M-20,98');
  });

  it('applies the linear map and rounds to tenths of a pixel', () => {
    const map: LinearMap = { x0: 60 - 1000 * 0.123, xk: 0.123, y0: 200, yk: -1.5 };
    expect(linePath(pts([1000, 10], [1001, 11]), 1000, 1001, map)).toBe('M60,185L60.1,183.5');
  });
});

describe('maxInRange / niceYAxis', () => {
  it('takes the highest value inside [from, to] only, ignoring nulls', () => {
    expect(maxInRange([pts([0, 5], [5, null], [10, 7]), pts([3, 9], [50, 1000])], 0, 10)).toBe(9);
    expect(maxInRange([pts([50, 1])], 0, 10)).toBeNull();
  });

  it('extends the top to a round tick above the data, from 0, like recharts does for [0, "auto"]', () => {
    const axis = niceYAxis([pts([0, 3.2], [1, 36.4])], 0, 1);
    expect(axis.domain[0]).toBe(0);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(36.4);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.ticks[axis.ticks.length - 1]).toBe(axis.domain[1]);
    expect(axis.domain[1]).toBe(40);
  });

  it('gives [0, 1] when nothing is visible', () => {
    expect(niceYAxis([], 0, 1).domain).toEqual([0, 1]);
    expect(niceYAxis([pts([0, null])], 0, 1).domain).toEqual([0, 1]);
  });
});
