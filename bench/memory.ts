/**
 * Peak memory with the 12 × 600k view open:
 *  - the renderer: Chromium's renderer process (page + its M4 worker) peak RSS (VmHWM) after loading the 12
 *    series into the worker and zooming with the app's TimeChart, versus the naive page holding every point as a
 *    {t, v} object (what a chart fed raw points holds; drawing 7.2M points takes minutes per frame);
 *  - the core: the series cache read and M4 to the plot width, versus encoding every point (each in its own
 *    process, after one process wrote the 12 series into a fresh store).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchPage, REPO_ROOT } from './bench-page';
import { CHART } from './chart';
import { median } from './data';
import { figure, type Figure } from './figures';
import { POINTS, SERIES } from './interaction';
import type { StaticServer } from './static-server';

const MB = 1024 * 1024;
const RUNS = 2;

async function rendererPeak(server: StaticServer, naive: boolean): Promise<number> {
  const p = await openBenchPage(server);
  try {
    await p.call('init', { ...CHART, worker: !naive });
    const r = await p.call('generate', { count: SERIES, points: POINTS, seed: 500, objects: naive, worker: !naive });
    const day = 86_400_000;
    const views = [
      [r.from, r.to],
      [r.from + day, r.from + 3 * day],
      [r.from + 2 * day, r.from + 2 * day + 3_600_000],
      [r.from, r.to],
    ];
    // The naive page only holds the points: drawing 7.2M points takes minutes per frame (the chart rows' baseline).
    if (!naive) for (const [f, t] of views) await p.call('update', { mode: 'm4', from: f + 1234, to: t, reuse: false });
    const renderers = p.browser.processes().filter((x) => x.type === 'renderer');
    if (renderers.length === 0) throw new Error('memory bench: no Chromium renderer process found in /proc');
    return Math.max(...renderers.map((x) => x.peakRss));
  } finally {
    await p.close();
  }
}

function coreChild(
  mode: 'ingest' | 'view-m4' | 'view-raw',
  dir: string,
): Promise<{ maxRssBytes: number; ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'bench', 'memory-core-child.ts'), mode, dir],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`memory-core-child ${mode} exited ${code}: ${err.slice(-500)}`));
      else resolve(JSON.parse(line) as { maxRssBytes: number; ms: number; bytes: number });
    });
  });
}

export async function benchMemory(server: StaticServer, log: (s: string) => void): Promise<Figure[]> {
  const withWorker: number[] = [];
  const naive: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    withWorker.push((await rendererPeak(server, false)) / MB);
    naive.push((await rendererPeak(server, true)) / MB);
  }
  log(`memory renderer: M4 worker ${median(withWorker).toFixed(0)} MB, naive ${median(naive).toFixed(0)} MB`);

  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-core-'));
  const coreM4: number[] = [];
  const coreRaw: number[] = [];
  let sent = { m4: 0, raw: 0 };
  try {
    const ingest = await coreChild('ingest', dir);
    log(`memory core: wrote ${SERIES} × ${POINTS} samples in ${(ingest.ms / 1000).toFixed(1)} s`);
    for (let i = 0; i < RUNS; i++) {
      const a = await coreChild('view-m4', dir);
      const b = await coreChild('view-raw', dir);
      coreM4.push(a.maxRssBytes / MB);
      coreRaw.push(b.maxRssBytes / MB);
      sent = { m4: a.bytes, raw: b.bytes };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`memory core: M4 view ${median(coreM4).toFixed(0)} MB, all points ${median(coreRaw).toFixed(0)} MB`);
  return [
    figure({
      id: 'memory.renderer',
      name: 'Peak RSS of the renderer with the 12 × 600k view open (page + M4 worker)',
      unit: 'MB',
      values: withWorker,
      baseline: { name: 'the page holding every point as {t, v} objects (not drawn), no M4 worker', values: naive },
      note: 'Chromium renderer process VmHWM; the 7.2M points live in the worker as Float64Arrays (115 MB).',
    }),
    figure({
      id: 'memory.core',
      name: 'Peak RSS of the core serving the 12 × 600k view (series cache read + M4)',
      unit: 'MB',
      values: coreM4,
      baseline: { name: 'the core sending every point', values: coreRaw },
      note:
        `answers of ${(sent.m4 / MB).toFixed(1)} MB vs ${(sent.raw / MB).toFixed(0)} MB of JSON. Most of the M4 view's peak is the cache read ` +
        'materializing 600k row objects per series (better-sqlite3 .all()); reading rows into typed arrays would cut it.',
    }),
  ];
}
