/**
 * Compares two screenshots of the same chart. "Within anti-aliasing" means: every pixel where one image has
 * line ink has line ink within one pixel in the other — differences are only in the partial coverage of edge
 * pixels, never a line, spike or gap that is present in one image and missing in the other.
 */
import type { Rgba } from './png';

export interface PixelDiff {
  width: number;
  height: number;
  pixels: number;
  /** Pixels where any channel differs at all. */
  differing: number;
  /** Pixels where some channel differs by more than a quarter of its range (64/255). */
  strong: number;
  /** Largest difference of any channel (0–255). */
  maxChannelDelta: number;
  /** Σ|Δ| over all channels / (255 × 3 × pixels): 0 identical, 1 opposite. */
  meanDelta: number;
  /** Pixels with ink (coverage ≥ 50 %) in one image. */
  inkPixels: number;
  /** Ink pixels of one image with no ink (coverage ≥ 10 %) within one pixel in the other: must be 0. */
  structural: number;
  /** Differing pixels with no ink within one pixel in either image (a difference away from the lines): must be 0. */
  offLine: number;
}

/** Coverage of a pixel by anything not background: the largest channel distance from the background, 0–1. */
function coverage(img: Rgba, i: number, bg: [number, number, number]): number {
  const d = img.data;
  return Math.max(Math.abs(d[i] - bg[0]), Math.abs(d[i + 1] - bg[1]), Math.abs(d[i + 2] - bg[2])) / 255;
}

function inkNear(img: Rgba, x: number, y: number, bg: [number, number, number], min: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height) continue;
      if (coverage(img, (yy * img.width + xx) * 4, bg) >= min) return true;
    }
  }
  return false;
}

export function comparePixels(a: Rgba, b: Rgba, background: [number, number, number] = [255, 255, 255]): PixelDiff {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(`screenshots differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let differing = 0;
  let strong = 0;
  let offLine = 0;
  let maxChannelDelta = 0;
  let sum = 0;
  let inkPixels = 0;
  let structural = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      let delta = 0;
      for (let ch = 0; ch < 3; ch++) {
        const d = Math.abs(a.data[i + ch] - b.data[i + ch]);
        sum += d;
        if (d > delta) delta = d;
      }
      if (delta > maxChannelDelta) maxChannelDelta = delta;
      if (delta > 0) {
        differing++;
        if (delta > 64) strong++;
        if (!inkNear(a, x, y, background, 0.1) && !inkNear(b, x, y, background, 0.1)) offLine++;
      }
      const ca = coverage(a, i, background);
      const cb = coverage(b, i, background);
      if (ca >= 0.5 || cb >= 0.5) inkPixels++;
      if ((ca >= 0.5 && !inkNear(b, x, y, background, 0.1)) || (cb >= 0.5 && !inkNear(a, x, y, background, 0.1)))
        structural++;
    }
  }
  const pixels = a.width * a.height;
  return {
    width: a.width,
    height: a.height,
    pixels,
    differing,
    strong,
    maxChannelDelta,
    meanDelta: sum / (255 * 3 * pixels),
    inkPixels,
    structural,
    offLine,
  };
}

export function describeDiff(d: PixelDiff): string {
  const pct = (n: number, of: number): string => `${((100 * n) / Math.max(1, of)).toFixed(3)} %`;
  return (
    `${d.width}×${d.height} px: ${d.differing} pixels differ in shade (${pct(d.differing, d.pixels)} of the plot; line pixels: ${d.inkPixels}), ` +
    `${d.strong} by more than 64/255, max channel Δ ${d.maxChannelDelta}/255, mean Δ ${(d.meanDelta * 100).toFixed(3)} % of full scale; ` +
    `structural differences (ink with no ink within 1 px in the other image): ${d.structural}; differences away from the lines: ${d.offLine}`
  );
}
