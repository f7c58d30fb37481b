import { describe, expect, it } from 'vitest';
import { estimateLabelWidth, layoutLabels } from '../../renderer/src/lib/label-layout';

describe('change-marker label layout', () => {
  it('keeps far-apart labels on the first row', () => {
    const out = layoutLabels([{ x: 0, width: 100 }, { x: 300, width: 100 }], 3, 1000);
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
    const out = layoutLabels([{ x: 500, width: 50 }, { x: 10, width: 50 }, { x: 20, width: 50 }], 2, 1000);
    expect(out.map((o) => o.row)).toEqual([0, 0, 1]);
  });

  it('estimates a longer label as wider', () => {
    expect(estimateLabelWidth('rollout 25% → 50%')).toBeGreaterThan(estimateLabelWidth('off → on'));
  });
});
