/**
 * Places change-marker labels in rows so that no two labels overlap: greedy, left to right, each label in the
 * first row whose last label ends before it starts. Labels that fit no row are hidden (row -1); the marker line
 * and the tooltip still show them.
 */
export interface LabelBox {
  /** Pixel x of the marker. */
  x: number;
  /** Estimated label width in pixels. */
  width: number;
}

/** Average glyph width of the 11 px UI font; generous so estimates err towards no overlap. */
export const CHAR_PX = 6.4;
export const LABEL_PAD_PX = 10;

export function estimateLabelWidth(text: string): number {
  return Math.ceil(text.length * CHAR_PX + LABEL_PAD_PX);
}

/**
 * Row per label (input order preserved). A label starts at its marker and extends right, unless it would cross
 * `maxX`, in which case it is drawn to the left of the marker (the caller mirrors it using `flipped`).
 * `priority` (higher first; default: left to right) decides who gets a row when there are too few: the canary
 * watch gives the newest change its label, the incident view the top suspects.
 */
export function layoutLabels(
  boxes: readonly LabelBox[],
  rows: number,
  maxX: number,
  gapPx = 4,
  priority?: readonly number[],
): { row: number; flipped: boolean }[] {
  const order = boxes
    .map((b, i) => i)
    .sort((a, b) => (priority ? priority[b] - priority[a] : 0) || boxes[a].x - boxes[b].x);
  const taken: [number, number][][] = Array.from({ length: rows }, () => []);
  const out = boxes.map(() => ({ row: -1, flipped: false }));
  for (const i of order) {
    const b = boxes[i];
    const flipped = b.x + b.width > maxX;
    const start = flipped ? b.x - b.width : b.x;
    const end = flipped ? b.x : b.x + b.width;
    for (let r = 0; r < rows; r++) {
      if (taken[r].every(([s, e]) => end + gapPx <= s || e + gapPx <= start)) {
        taken[r].push([start, end]);
        out[i] = { row: r, flipped };
        break;
      }
    }
  }
  return out;
}
