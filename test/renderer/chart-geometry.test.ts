import { describe, expect, it } from 'vitest';
import {
  PLOT_LEFT,
  PLOT_RIGHT,
  dragToZoom,
  plotWidth,
  requestWidth,
  timeToX,
  xToTime,
} from '../../renderer/src/lib/chart-geometry';

describe('chart geometry', () => {
  it('maps time to pixels and back', () => {
    expect(timeToX(1500, 1000, 2000, 800)).toBe(400);
    expect(xToTime(400, 1000, 2000, 800)).toBe(1500);
    expect(xToTime(-50, 1000, 2000, 800)).toBe(1000); // clamped to the plot
    expect(xToTime(9999, 1000, 2000, 800)).toBe(2000);
  });

  it('asks the core for at most the plot width (rounded down to 10 px), within the contract’s bounds', () => {
    const chart = 1000;
    expect(plotWidth(chart)).toBe(chart - PLOT_LEFT - PLOT_RIGHT);
    expect(requestWidth(chart)).toBeLessThanOrEqual(plotWidth(chart));
    expect(requestWidth(chart) % 10).toBe(0);
    expect(requestWidth(50)).toBe(10);
    expect(requestWidth(100_000)).toBe(8000);
  });

  it('turns a drag into a zoom window in either direction, and a click into nothing', () => {
    expect(dragToZoom(100, 300, 0, 8_000_000, 800)).toEqual({ from: 1_000_000, to: 3_000_000 });
    expect(dragToZoom(300, 100, 0, 8_000_000, 800)).toEqual({ from: 1_000_000, to: 3_000_000 });
    expect(dragToZoom(100, 103, 0, 8_000_000, 800)).toBeNull();
  });
});
