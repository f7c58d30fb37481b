/**
 * Why a budget is missed, per kind of figure — written from profiles of these runs (Chromium CPU profiles of the
 * bench page, `node --cpu-prof` of the browser host). report.ts prints the one for each missed budget.
 */
export const GAP_CAUSES: Record<string, string> = {
  'chart.m4-line':
    'Cause: recharts 3.10’s <Line> costs ≈ 10 µs per point on this machine, whatever the data source — its LabelList context copies every ' +
    'point into a new object (Babel object-spread helper) on every render even with no labels, and its selectors rebuild point objects — so ' +
    'the ≈ 20,000 M4 points of 4 series at 1276 px take ≈ 90–250 ms to commit. M4 itself is not the cost (see the worker column in the notes). ' +
    'Fix: draw the data lines with a path layer inside the recharts chart (one <path> per series built from the M4 points with the ' +
    'chart’s own scales; recharts keeps axes, grid, reference areas) — the path-layer rows meet the budget, and the app’s charts now draw ' +
    'this way (renderer/src/components/PathLines.tsx). The <Line> rows stay as the measured reason for that choice.',
  'chart.m4-path':
    'Cause: machine load — the same update’s median is well inside the budget; the slow runs coincide with Chromium rasterizing the previous ' +
    'frame in software (no GPU) on the second core while other processes share the 2 cores.',
  'chart.m4-path-1.5px.1M':
    'Cause: rasterization. Lines wider than 1 device pixel go through Skia’s software stroker (no GPU here) — ≈ 40 ms per frame for 4 dense ' +
    'series and ≈ 250 ms for 12 — on raster threads that compete with the main thread for 2 cores; lines ≤ 1 px are drawn as hairlines (the ' +
    '1 px rows). Fix (renderer): 1 px data lines (or canvas/GPU raster on machines that have it).',
  'interaction.12x600k':
    'Cause: the week-long steps draw 12 × ≈ 5,000 points; the UI thread spends ≈ 25–40 ms in recharts’ re-render of axes and grid plus ' +
    'building the 12 path strings and laying them out, and the slowest steps coincide with the previous frame’s software raster and the ' +
    'worker computing on the same 2 cores. Levers: draw the lines on a canvas layer (no SVG layout of 60k-segment paths), keep the axes ' +
    'memoized across zooms, and use two M4 workers on machines with more cores.',
  'live.12x600k':
    'Cause: the live tick redraws 12 week-long series (≈ 60,000 points of path); the incremental M4 itself scans only the new columns (see notes).',
  'cold-start':
    'Cause, in two halves (this run’s split is in the notes). (1) The host takes 1.2–1.9 s to print its URL, mostly module loading: ' +
    '`@datadog/datadog-api-client` is imported eagerly (main/metrics/datadog/*) and costs ≈ 1 s of CPU — 2–3 s wall on this loaded 2-core ' +
    'machine — although the demo never uses it. Fix (metrics/core): load the Datadog adapter lazily (`await import()` on first use). ' +
    '(2) In the page, 1.1–1.8 s from navigation to the first chart: a chain of RPCs of which verdict:get is the slowest (0.3–0.8 s — the core ' +
    'runs the judge on its main thread, which also holds up the other requests; the judge-worker rows show a worker thread costs < 1 ms of ' +
    'main-thread time), then the first render of the demo’s series through recharts <Line> (≈ 10 µs per point, see the chart rows). ' +
    'Fixes: judge in a worker thread in the core; the path layer for the lines (renderer).',
  'sqlite.ingest':
    'Cause: the series cache writes one row per sample into a WITHOUT ROWID table keyed by (24-char query key, labels JSON, t) with ' +
    'INSERT OR REPLACE, under synchronous=FULL.',
  'sqlite.read-hour': 'Cause: the cache read materializes every row as a JS object before copying it into Float64Arrays.',
  'm4.node.1m': 'Cause: machine load (M4 is a single pass over the points).',
  'm4.worker.1m': 'Cause: machine load — the worker shares 2 cores with the page, the browser and other processes.',
  'judge.worker': 'Cause: the structured clone of 400,000 samples to and from the worker adds to the judge’s own time.',
  rollback: 'Cause: Unleash’s own latency under load (see the raw round trip) plus two fsyncs of the audit log.',
};
