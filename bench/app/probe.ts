/**
 * What the app benchmark installs in the page before any of the app's scripts run (playwright addInitScript, so the
 * page's CSP does not apply): it times every contract call (fetch of /rpc/<channel>, until its body was read), the
 * user's inputs, long tasks, and every change drawn in a chart's plot (DOM mutations inside `.chart-canvas`, outside
 * the pointer overlay — SVG edits, or the canvas layer's `data-drawn` stamp) together with the end of the frame that
 * painted it (requestAnimationFrame, then the next task: the frame's main-thread rendering is done).
 *
 * It is the same for the app before and after a change, and for uPlot beside it (bench/app/uplot.ts): nothing here
 * knows how the chart is built. Plain JavaScript in a string: bench/** is type-checked without the DOM library.
 */
export const PROBE_SCRIPT = String.raw`(() => {
  if (window.__rampartProbe) return;
  const now = () => performance.now();
  const P = { fetches: [], inputs: [], longTasks: [], paints: [] };
  Object.defineProperty(window, '__rampartProbe', { value: P });
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : String(input && input.url);
    const m = /\/rpc\/([^?#]+)/.exec(url);
    const rec = { channel: m ? decodeURIComponent(m[1]) : url, start: now(), end: 0, body: init && typeof init.body === 'string' ? init.body.slice(0, 400) : '' };
    P.fetches.push(rec);
    const done = () => { if (!rec.end) rec.end = now(); };
    return realFetch.call(this, input, init).then((res) => {
      for (const k of ['json', 'text', 'arrayBuffer']) {
        const read = res[k].bind(res);
        res[k] = () => read().then((v) => { done(); return v; }, (e) => { done(); throw e; });
      }
      return res;
    }, (e) => { done(); throw e; });
  };
  for (const type of ['pointerup', 'click', 'dblclick', 'keydown']) addEventListener(type, (e) => P.inputs.push({ type, at: e.timeStamp }), true);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) P.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  } catch (e) { P.longTaskError = String(e); }
  const inPlot = (node) => {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!el && !!el.closest('.chart-canvas') && !el.closest('.chart-overlay');
  };
  const afterFrame = (mutation) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); P.paints.push({ mutation, painted: now() }); };
    ch.port2.postMessage(0);
  });
  const watch = () => new MutationObserver((records) => {
    if (records.some((r) => inPlot(r.target))) afterFrame(now());
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  if (document.documentElement) watch(); else addEventListener('DOMContentLoaded', watch);
  /** Resolves at the end of the next frame's main-thread rendering (for uPlot, timed the same way). */
  P.nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(now()); };
    ch.port2.postMessage(0);
  }));
})();`;

export interface ProbeFetch {
  channel: string;
  start: number;
  end: number;
  body: string;
}

export interface ProbeState {
  fetches: ProbeFetch[];
  inputs: { type: string; at: number }[];
  longTasks: { start: number; duration: number }[];
  paints: { mutation: number; painted: number }[];
  longTaskError?: string;
}
