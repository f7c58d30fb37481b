import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertChromium } from '../../bench/browser';
import { buildBenchPage, openBenchPage, serveStatic, type OpenBenchPage } from '../../bench/bench-page';
import { PIXEL_CHECK_DEFAULTS, runPixelCheck, type PixelCheckResult } from '../../bench/pixel-check';
import { plotBox } from '../../renderer/src/charts/plot-box';
import { describeDiff } from '../../bench/pixel-diff';
import type { StaticServer } from '../../bench/static-server';

/**
 * M4 loses nothing visible: the app's own chart (renderer/src/charts/TimeChart — SVG grid and axes, one canvas per
 * series at the app's 1.5 px line width) drawn in Chromium from 2 × 100,000 points and from the M4 worker's output
 * (≤ 4 × plot width points per series), screenshots of the plot compared pixel by pixel. Every line pixel of either
 * image must have line ink within one pixel in the other, and no pixel away from the lines may differ; shade
 * differences at line edges (anti-aliasing) are measured and printed. The control — every k-th point, as many as
 * M4 sends — must fail the same comparison.
 */
let server: StaticServer | undefined;
let bench: OpenBenchPage | undefined;
let outDir: string | undefined;
let startError: unknown;
let result: PixelCheckResult | undefined;

beforeEach(() => {
  if (startError) throw startError;
});

beforeAll(async () => {
  try {
    assertChromium(); // fails with "apt-get install -y chromium" when missing
    outDir = mkdtempSync(join(tmpdir(), 'rampart-pixel-page-'));
    server = await serveStatic(await buildBenchPage(outDir));
    bench = await openBenchPage(server);
    result = await runPixelCheck(bench, PIXEL_CHECK_DEFAULTS);
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await bench?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function checked(): PixelCheckResult {
  if (!result) throw new Error('no pixel-check result');
  return result;
}

describe('M4 pixel check in Chromium, the shipped TimeChart', () => {
  it('draws from the full series (≥ 50,000 points) and from M4 output within 4 × plot width', () => {
    const r = checked();
    expect(r.dpr).toBe(1);
    expect(r.columns).toBe(plotBox(PIXEL_CHECK_DEFAULTS.width, PIXEL_CHECK_DEFAULTS.height, true).width);
    for (const n of r.fullPoints) expect(n).toBeGreaterThanOrEqual(50_000);
    for (const n of r.m4Points) {
      expect(n).toBeLessThanOrEqual(4 * r.columns);
      expect(n).toBeGreaterThan(r.columns); // dense data: M4 keeps more than one point per column
    }
  });

  it('matches the full-series screenshot within anti-aliasing', () => {
    const r = checked();
    const measured = describeDiff(r.m4);
    console.log(`M4 vs full series (${r.fullPoints.join(' + ')} points → ${r.m4Points.join(' + ')}): ${measured}`);
    expect(r.m4.inkPixels, `no line drawn? ${measured}`).toBeGreaterThan(1_000);
    expect(r.m4.structural, `M4 lost or added line pixels: ${measured}`).toBe(0);
    expect(r.m4.offLine, `M4 changed pixels away from the lines: ${measured}`).toBe(0);
  });

  it('catches a downsampler that loses spikes (every k-th point, same point count)', () => {
    const r = checked();
    const measured = describeDiff(r.nth);
    console.log(`every-k-th control (${r.nthPoints.join(' + ')} points): ${measured}`);
    expect(r.nth.structural, measured).toBeGreaterThan(100);
    expect(r.nth.meanDelta).toBeGreaterThan(r.m4.meanDelta);
  });
});
