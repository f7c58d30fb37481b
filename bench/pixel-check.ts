/**
 * The M4 pixel check: the app's own chart (TimeChart, its line canvases) drawn in Chromium from every point and from
 * the M4 worker's output,
 * screenshots of the plot area compared pixel by pixel. A control — every k-th point, as many points as M4 sends
 * — shows the comparison does catch what a careless downsampler loses.
 */
import { comparePixels, type PixelDiff } from './pixel-diff';
import { decodePng, type Rgba } from './png';
import type { OpenBenchPage } from './bench-page';

export interface PixelCheckOptions {
  width: number;
  height: number;
  series: number;
  points: number;
  seed: number;
}

export interface PixelCheckResult {
  options: PixelCheckOptions;
  columns: number;
  dpr: number;
  fullPoints: number[];
  m4Points: number[];
  nthPoints: number[];
  m4: PixelDiff;
  nth: PixelDiff;
}

export const PIXEL_CHECK_DEFAULTS: PixelCheckOptions = {
  width: 1000,
  height: 300,
  series: 2,
  points: 100_000,
  seed: 42,
};

async function shot(
  p: OpenBenchPage,
  mode: 'raw' | 'm4' | 'nth',
  from: number,
  to: number,
): Promise<{ image: Rgba; points: number[] }> {
  const shown = await p.call('show', { mode, from, to });
  if (!shown.drawn) throw new Error(`pixel check: the ${mode} chart was not drawn`);
  const box = await p.call('plotBox', undefined);
  const png = await p.page.screenshot({ clip: box, animations: 'disabled', caret: 'hide' });
  return { image: decodePng(png), points: shown.points };
}

export async function runPixelCheck(
  p: OpenBenchPage,
  options: PixelCheckOptions = PIXEL_CHECK_DEFAULTS,
): Promise<PixelCheckResult> {
  // Full scale: the same y-axis for every point and for M4 (which keeps each column's extremes). The screenshots
  // are of the plot alone, whose device-pixel columns are M4's columns.
  const geometry = await p.call('init', { width: options.width, height: options.height, fullScale: true });
  if (!Number.isInteger(geometry.plotWidth * geometry.dpr) || geometry.columns !== geometry.plotWidth * geometry.dpr) {
    throw new Error(
      `pixel check: M4 columns (${geometry.columns}) do not match the plot's device pixels (${geometry.plotWidth} × ${geometry.dpr})`,
    );
  }
  const range = await p.call('generate', {
    count: options.series,
    points: options.points,
    seed: options.seed,
    keepInPage: true,
  });
  const full = await shot(p, 'raw', range.from, range.to);
  const viaM4 = await shot(p, 'm4', range.from, range.to);
  const nth = await shot(p, 'nth', range.from, range.to);
  return {
    options,
    columns: geometry.columns,
    dpr: geometry.dpr,
    fullPoints: full.points,
    m4Points: viaM4.points,
    nthPoints: nth.points,
    m4: comparePixels(full.image, viaM4.image),
    nth: comparePixels(full.image, nth.image),
  };
}
