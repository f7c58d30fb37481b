/**
 * Why a budget is missed, per kind of figure — written from profiles of these runs (Chromium CPU profiles of the
 * bench page, `node --cpu-prof` of the browser host). report.ts prints the one for each missed budget.
 */
export const GAP_CAUSES: Record<string, string> = {
  'app.zoom':
    'Cause (Chromium trace per zoom, bench/app/trace-zoom.ts): a zoom sends no request any more (plan bands and the live window’s ' +
    'history are held, cut to the view in the page), so its first paint is its last. Of its time, script is ≈ 30–40 ms (React commit of ' +
    'the chart stack, the series-view update) and the compositor commit ≈ 11 ms, from one full-size canvas per series (≈ 15); style ' +
    '(≈ 0.3 ms) and layout (≈ 7 ms) are small since the SVG layers were cut to 160 nodes. uPlot redraws one canvas from data it holds. ' +
    'Lever: one canvas per chart for all its series.',
  'app.range-7d':
    'Cause: the click no longer waits on the core — the week is asked once, 2 s after the first paint when the page is idle ' +
    '(use-week-prefetch.ts), and the click draws that answer. What remains is the page’s own work on a week of 15 series (M4 in the ' +
    'page, the React commit of the stack, one canvas per series); uPlot is handed 17k points already in the page and draws one canvas. ' +
    'Lever: the same one-canvas-per-chart change as the zoom.',
  'app.flags.keystroke':
    'Cause (Chromium trace of the keystrokes): a keystroke that leaves the same rows on screen costs ≈ 5–8 ms of handling (the ' +
    'input’s own editing forces a style and layout pass) plus ≈ 3–5 ms of frame; the slow ones are those that swap the rendered rows ' +
    '(“z” after “bench-flag-07”: 1,004 rows → none): style for ≈ 300–500 new elements and layout of ≈ 800 objects, 10–25 ms in ' +
    'software raster, and almost no script. The list rendered 55 rows for the 8 on screen until this run (content-visibility made ' +
    'the measured row pitch too small); now 21. Next lever: fewer DOM nodes per row, or rows recycled in place.',
  'app.rollback.busy':
    'Cause: mostly the rollback itself and the 2 cores the verdicts share: the same rollback on the idle host (the baseline) takes ' +
    '≈ 70 ms, and the ORDER test (test/e2e/rollback-order.test.ts) shows the host answers it before verdicts sent ahead of it. A flagd ' +
    'rollback in a 1,000-flag file re-reads and rewrites the flag under the file lock and proves the reach with flagd-core; it parsed the ' +
    'same text up to six times until this run (now cached by text: 110–150 → 37–65 ms in the core under load).',
  'chart.m4':
    'Cause: machine load — the update is the app’s TimeChart drawing ≤ 4 × width points per series (canvas), well inside the budget on a ' +
    'quiet machine; the slow runs coincide with software raster of the previous frame and other processes on the 2 cores.',
  'interaction.12x600k':
    'Cause: the week-long steps draw 12 × ≈ 5,000 points through the app’s TimeChart; the slow steps are the React commit of 12 ' +
    'charts and stroking 12 canvases in software raster (no GPU), competing with the M4 worker on 2 cores.',
  'live.12x600k':
    'Cause: the live tick redraws 12 week-long series (≈ 60,000 points on 12 canvases); the incremental M4 itself scans only the new columns (see notes).',
  'cold-start':
    'Cause (node --cpu-prof of the host, fresh data dir): the host prints its URL after ≈ 0.4–0.5 s; the first chart then waits on the ' +
    'first series:view and decision:get, which share the core’s workers with the start-up decision of every watch and the demo’s ' +
    'simulated service. The demo’s 100,000-user assignment no longer runs flagd-core over the pool per flag state (≈ 100–250 ms each): ' +
    'its flagd buckets are hashed once per flag and each state checked against flagd-core on a sample (sim/assignment.ts); alternating ' +
    'builds before/after, 3 × 5 runs: 2.33–2.51 s → 1.95–2.29 s. Next lever: answer the first view before the start-up decisions.',
  'sqlite.ingest':
    'Cause: the series cache writes one row per sample into a WITHOUT ROWID table keyed by (24-char query key, labels JSON, t) with ' +
    'INSERT OR REPLACE (series.db: WAL, synchronous=NORMAL): the B-tree inserts themselves, not the commit.',
  'sqlite.read-hour':
    'Cause: the cache read materializes every row as a JS object before copying it into Float64Arrays.',
  'm4.node.1m': 'Cause: machine load (M4 is a single pass over the points).',
  'm4.worker.1m': 'Cause: machine load — the worker shares 2 cores with the page, the browser and other processes.',
  'judge.worker':
    'Cause: the judge itself — 20 metrics × 2 arms × 10,000 samples take ≈ 190 ms on the main thread too (the baseline); the worker ' +
    'only moves it off the host’s thread (blocked ≈ 2 ms).',
  rollback: 'Cause: Unleash’s own latency under load (see the raw round trip) plus two fsyncs of the audit log.',
};
