import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertChromium } from '../../bench/browser';
import { buildBenchPage, openBenchPage, serveStatic, type OpenBenchPage } from '../../bench/bench-page';
import { PIXEL_CHECK_DEFAULTS, runPixelCheck, type PixelCheckResult } from '../../bench/pixel-check';
import { describeDiff } from '../../bench/pixel-diff';
import type { StaticServer } from '../../bench/static-server';

/**
 * M4 loses nothing visible: the same recharts chart (the app's line style, and 1 px lines) drawn in Chromium from 2 × 100,000
 * points and from the M4 worker's output (≤ 4 × plot width points per series), screenshots of the plot compared
 * pixel by pixel. Every line pixel of either image must have line ink within one pixel in the other, and no pixel
 * away from the lines may differ; shade differences at line edges (anti-aliasing) are measured and printed.
 * The control — every k-th point, as many as M4 sends — must fail the same comparison.
 */
let server: StaticServer | undefined;
let bench: OpenBenchPage | undefined;
let outDir: string | undefined;
let startError: unknown;
/** The app's line width (1.5 px) and hairlines (1 px), which rasterize far faster in software. */
const WIDTHS = [1.5, 1] as const;
const results = new Map<number, PixelCheckResult>();

beforeEach(() => {
  if (startError) throw startError;
});

beforeAll(async () => {
  try {
    assertChromium(); // fails with "apt-get install -y chromium" when missing
    outDir = mkdtempSync(join(tmpdir(), 'rampart-pixel-page-'));
    server = await serveStatic(await buildBenchPage(outDir));
    bench = await openBenchPage(server);
    for (const strokeWidth of WIDTHS) results.set(strokeWidth, await runPixelCheck(bench, { ...PIXEL_CHECK_DEFAULTS, strokeWidth }));
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await bench?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function resultFor(strokeWidth: number): PixelCheckResult {
  const r = results.get(strokeWidth);
  if (!r) throw new Error(`no pixel-check result for ${strokeWidth} px lines`);
  return r;
}

describe.each(WIDTHS)('M4 pixel check in Chromium, %s px lines', (strokeWidth) => {
  it('draws from the full series (≥ 50,000 points) and from M4 output within 4 × plot width', () => {
    const result = resultFor(strokeWidth);
    expect(result.dpr).toBe(1);
    expect(result.columns).toBe(PIXEL_CHECK_DEFAULTS.width);
    for (const n of result.fullPoints) expect(n).toBeGreaterThanOrEqual(50_000);
    for (const n of result.m4Points) {
      expect(n).toBeLessThanOrEqual(4 * result.columns);
      expect(n).toBeGreaterThan(result.columns); // dense data: M4 keeps more than one point per column
    }
  });

  it('matches the full-series screenshot within anti-aliasing', () => {
    const result = resultFor(strokeWidth);
    const measured = describeDiff(result.m4);
    console.log(`${strokeWidth} px lines, M4 vs full series (${result.fullPoints.join(' + ')} points → ${result.m4Points.join(' + ')}): ${measured}`);
    expect(result.m4.inkPixels, `no line drawn? ${measured}`).toBeGreaterThan(1_000);
    expect(result.m4.structural, `M4 lost or added line pixels: ${measured}`).toBe(0);
    expect(result.m4.offLine, `M4 changed pixels away from the lines: ${measured}`).toBe(0);
  });

  it('catches a downsampler that loses spikes (every k-th point, same point count)', () => {
    const result = resultFor(strokeWidth);
    const measured = describeDiff(result.nth);
    console.log(`${strokeWidth} px lines, every-k-th control (${result.nthPoints.join(' + ')} points): ${measured}`);
    expect(result.nth.structural, measured).toBeGreaterThan(100);
    expect(result.nth.meanDelta).toBeGreaterThan(result.m4.meanDelta);
  });
});
