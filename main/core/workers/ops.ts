/**
 * What the core's worker threads do (issue 15: the host never blocks): the judge, and every touch of the series cache —
 * reads, chunked writes, and the views the charts get (M4 to the plot width, then the compact column encoding) — on
 * their own SQLite connection to the same file (WAL: readers never wait; writes are short transactions).
 * As plain functions of a request, so the worker (core-worker.ts), the in-thread fallback of an in-memory store
 * and the benchmark's blocking baseline run the very same code.
 */
import { JudgeInput, type JudgeOutput } from '../../../shared/domain/verdict';
import { encodeColumns, type EncodedColumns } from '../../../shared/downsample/columns';
import { m4 } from '../../../shared/downsample/m4';
import { bakeTimeForJudge, type BakeTimeForJudge, type BakeTimeForJudgeInput } from '../../../shared/stats/bake-judge';
import { judge } from '../../../shared/stats/judge';
import type { Series } from '../../metrics/metrics-provider';
import type { Coverage, SeriesCache } from '../../store/series-cache';
import type { ColumnCache } from './column-cache';
import type { SimRequest } from './demo-sim';

/** One query's series over a window, M4-downsampled to `width` columns and encoded for the wire. */
export interface ViewItem {
  key: string;
  /** The range read from the cache (aligned to the step). */
  readFrom: number;
  readTo: number;
  /** The window drawn (M4's columns span it). */
  from: number;
  to: number;
  width: number;
  stepMs: number;
}

export interface ViewedSeries {
  labels: Record<string, string>;
  cols: EncodedColumns;
  /** Points before M4 (what the cache held for the window). */
  rawPoints: number;
}

export type WorkerRequest =
  | { op: 'judge'; input: unknown }
  | { op: 'bake'; input: BakeTimeForJudgeInput }
  | { op: 'missing'; key: string; from: number; to: number }
  | { op: 'coverage'; key: string }
  | { op: 'write'; key: string; series: Series[]; from: number; to: number; fetchedAt: number }
  | { op: 'read'; key: string; from: number; to: number }
  | { op: 'view'; items: ViewItem[] }
  | { op: 'sim'; req: SimRequest }
  | { op: 'spin'; ms: number };

export interface WorkerResults {
  judge: JudgeOutput;
  bake: BakeTimeForJudge;
  missing: [number, number][];
  coverage: Coverage[];
  write: null;
  read: Series[];
  view: ViewedSeries[][];
  sim: unknown;
  spin: number;
}

/** `name` 'RampartError' keeps the error's code across the thread boundary; anything else is a bug (internal). */
export type WorkerReply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; name: string; code: string; message: string };

/** Yields to the worker's event loop between write chunks: another connection's writer gets the lock meanwhile. */
const breathe = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

export interface OpsContext {
  cache: SeriesCache | null;
  /** The worker's memory of recent reads and writes (column-cache.ts); reads go to SQLite without it. */
  columns?: ColumnCache;
  /** The demo's simulated service (demo-sim.ts), in the worker that has it. */
  sim?: (req: SimRequest) => Promise<unknown>;
  /** Between write chunks; in-thread (tests, the baseline) it is skipped. */
  pause?: () => Promise<void>;
}

function needCache(ctx: OpsContext): SeriesCache {
  if (!ctx.cache) throw new Error('core worker: this worker has no series cache (a judge-only worker)');
  return ctx.cache;
}

export async function runOp(ctx: OpsContext, req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'judge':
      return judge(JudgeInput.parse(req.input));
    case 'bake':
      // Built by the verdict service from the judge's own validated input, never from a request payload.
      return bakeTimeForJudge(req.input);
    case 'missing':
      return needCache(ctx).missing(req.key, req.from, req.to);
    case 'coverage':
      return needCache(ctx).coverage(req.key);
    case 'write': {
      const pause = ctx.pause ?? breathe;
      for (const _ of needCache(ctx).writeInChunks(req.key, req.series, req.from, req.to, req.fetchedAt)) await pause();
      ctx.columns?.wrote(req.key, req.series, req.from, req.to);
      return null;
    }
    case 'read':
      return readOf(ctx, req.key, req.from, req.to);
    case 'view':
      return req.items.map((item) => viewOf(ctx, item));
    case 'sim':
      if (!ctx.sim) throw new Error('core worker: this worker does not run the simulated service');
      return ctx.sim(req.req);
    case 'spin': {
      // Tests and the benchmark: a computation of known length, to show the main thread stays free meanwhile.
      const end = Date.now() + req.ms;
      let n = 0;
      while (Date.now() < end) n++;
      return n;
    }
    default:
      throw new Error(`core worker: unknown request '${String((req as { op?: unknown }).op)}'`);
  }
}

function readOf(ctx: OpsContext, key: string, from: number, to: number): Series[] {
  return ctx.columns ? ctx.columns.read(key, from, to) : needCache(ctx).read(key, from, to);
}

function viewOf(ctx: OpsContext, item: ViewItem): ViewedSeries[] {
  return readOf(ctx, item.key, item.readFrom, item.readTo).map((s) => {
    const d = m4(s.t, s.v, item.from, item.to, item.width);
    return { labels: s.labels, cols: encodeColumns(d.t, d.v, item.stepMs), rawPoints: s.t.length };
  });
}

/** ArrayBuffers a result can hand over instead of copying (the series a read returns). */
export function transferables(result: unknown): ArrayBuffer[] {
  if (!Array.isArray(result)) return [];
  const out: ArrayBuffer[] = [];
  for (const s of result as Partial<Series>[]) {
    if (s && s.t instanceof Float64Array && s.v instanceof Float64Array)
      out.push(s.t.buffer as ArrayBuffer, s.v.buffer as ArrayBuffer);
  }
  return out;
}
