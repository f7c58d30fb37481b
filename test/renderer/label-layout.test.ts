import { describe, expect, it } from 'vitest';
import { estimateLabelWidth, layoutLabels } from '../../renderer/src/lib/label-layout';

describe('change-marker label layout', () => {
  it('keeps far-apart labels on the first row', () => {
    const out = layoutLabels(
      [
        { x: 0, width: 100 },
        { x: 300, width: 100 },
      ],
      3,
      1000,
    );
    expect(out.map((o) => o.row)).toEqual([0, 0]);
  });

  it('moves overlapping labels to the next free row, and hides what fits nowhere', () => {
    const boxes = [0, 20, 40, 60].map((x) => ({ x, width: 100 }));
    expect(layoutLabels(boxes, 3, 1000).map((o) => o.row)).toEqual([0, 1, 2, -1]);
  });

  it('flips a label near the right edge to the left of its marker', () => {
    const [a] = layoutLabels([{ x: 950, width: 120 }], 2, 1000);
    expect(a).toEqual({ row: 0, flipped: true });
  });

  it('keeps the input order in the output', () => {
    const out = layoutLabels(
      [
        { x: 500, width: 50 },
        { x: 10, width: 50 },
        { x: 20, width: 50 },
      ],
      2,
      1000,
    );
    expect(out.map((o) => o.row)).toEqual([0, 0, 1]);
  });

  it('estimates a longer label as wider', () => {
    expect(estimateLabelWidth('rollout 25% → 50%')).toBeGreaterThan(estimateLabelWidth('off → on'));
  });
});

describe('change-marker label priority', () => {
  it('gives rows to the highest priority first when there are too few', () => {
    const boxes = [0, 20, 40].map((x) => ({ x, width: 100 }));
    // Newest (rightmost) first: the last change keeps its label, the oldest is hidden.
    expect(layoutLabels(boxes, 2, 1000, 4, [1, 2, 3]).map((o) => o.row)).toEqual([-1, 1, 0]);
    expect(layoutLabels(boxes, 2, 1000).map((o) => o.row)).toEqual([0, 1, -1]);
  });

  it('never lets two labels of one row overlap, also when placed out of x order', () => {
    const boxes = [0, 150, 60, 300, 30].map((x) => ({ x, width: 90 }));
    const out = layoutLabels(boxes, 3, 1000, 4, [5, 1, 4, 2, 3]);
    for (let r = 0; r < 3; r++) {
      const spans = boxes
        .filter((_, i) => out[i].row === r)
        .map((b) => [b.x, b.x + b.width])
        .sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < spans.length; k++) expect(spans[k][0]).toBeGreaterThanOrEqual(spans[k - 1][1] + 4);
    }
  });
});
