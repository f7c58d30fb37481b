/**
 * The UI thread's side of the M4 worker. Series are loaded once (their Float64Arrays are transferred, not copied)
 * and stay in the worker, so a zoom, pan or resize sends four numbers and gets back at most 4 × width points for
 * the visible range; a live update sends only the new points.
 *
 *   const m4 = createM4Client();
 *   const view = await m4.downsample('p99/treatment', t, v, from, to, plotWidthPx * devicePixelRatio);
 *   <Line data={toChartPoints(view)} … />  with the x-domain [view.from, view.to]
 *   await m4.append('p99/treatment', newT, newV);   then ask for the view again (incremental)
 */
import { fromWireError, RampartError } from '../../../shared/errors';
import type { M4View } from './incremental-m4';
import { createM4Handler, type M4Reply, type M4Request } from './m4-protocol';

export type { M4View } from './incremental-m4';

/** What the client needs of a Worker (a DOM Worker, or an in-process stand-in in tests). */
export interface WorkerLike {
  postMessage(message: M4Request, transfer: ArrayBuffer[]): void;
  onmessage: ((event: { data: M4Reply }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  terminate(): void;
}

type WorkerConstructor = new (url: URL, options: { type: 'module'; name: string }) => WorkerLike;

/** Starts the worker. Vite bundles it from this exact `new Worker(new URL(…, import.meta.url))` expression. */
export function spawnM4Worker(): WorkerLike {
  const Worker = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
  if (!Worker) throw new RampartError('internal', 'M4 worker: this environment has no Web Workers');
  return new Worker(new URL('./m4-worker.ts', import.meta.url), { type: 'module', name: 'm4' });
}

export interface LoadOptions {
  /** Send copies and leave the caller's arrays usable. Default: transfer them (they become empty, length 0). */
  copy?: boolean;
}

export interface M4Client {
  /** Hands a full-resolution series to the worker (t ascending, v with NaN for gaps). Resolves to its length. */
  load(seriesId: string, t: Float64Array, v: Float64Array, opts?: LoadOptions): Promise<number>;
  /**
   * The M4 view of [from, to] at `width` pixel columns. Pass the series' arrays the first time (or whenever they
   * are new arrays); pass the same arrays again, or null, to reuse what the worker already holds.
   */
  downsample(
    seriesId: string,
    t: Float64Array | null,
    v: Float64Array | null,
    from: number,
    to: number,
    width: number,
    opts?: LoadOptions,
  ): Promise<M4View>;
  /** The M4 view of a loaded series. `reuse: false` ignores the column cache (benchmarks only). */
  view(seriesId: string, from: number, to: number, width: number, opts?: { reuse?: boolean }): Promise<M4View>;
  /** The views of several loaded series over one window, in one round trip (a chart's series). */
  views(seriesIds: readonly string[], from: number, to: number, width: number): Promise<M4View[]>;
  /** Appends live points (a re-delivered timestamp replaces its value). Resolves to the new length. */
  append(seriesId: string, t: Float64Array, v: Float64Array): Promise<number>;
  drop(seriesId: string): Promise<void>;
  /** Stops the worker; pending calls reject. */
  terminate(): void;
}

type Pending = { resolve: (reply: M4Reply) => void; reject: (e: Error) => void };

export function createM4Client(spawn: () => WorkerLike = spawnM4Worker): M4Client {
  const worker = spawn();
  const pending = new Map<number, Pending>();
  /** The arrays last loaded per series (identity only; once transferred they are empty). */
  const loaded = new Map<string, Float64Array>();
  let nextId = 1;
  let dead: RampartError | null = null;

  const failAll = (e: RampartError): void => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.onmessage = (event) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply);
    else p.reject(fromWireError(reply.error));
  };
  worker.onerror = (event) =>
    failAll(new RampartError('internal', `M4 worker failed: ${event.message ?? 'unknown error'}`));

  // Distributes the request type over its union members, so each message keeps its own fields.
  type WithoutId<R> = R extends M4Request ? Omit<R, 'id'> : never;
  function call(req: WithoutId<M4Request>, transfer: ArrayBuffer[] = []): Promise<M4Reply> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<M4Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id } as M4Request, transfer);
    });
  }

  const points = (r: M4Reply): number => (r.ok && r.op !== 'view' && r.op !== 'views' ? r.points : 0);
  const viewOf = (r: M4Reply): M4View => {
    if (r.ok && r.op === 'view') return r.view;
    throw new RampartError('internal', 'M4 worker answered a view request with something else');
  };
  const outgoing = (
    t: Float64Array,
    v: Float64Array,
    copy: boolean,
  ): { t: Float64Array; v: Float64Array; transfer: ArrayBuffer[] } => {
    const tt = copy ? t.slice() : t;
    const vv = copy ? v.slice() : v;
    // A view onto a bigger buffer would transfer (and detach) the whole buffer: send just its part.
    const own = (a: Float64Array): Float64Array =>
      a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
    const ot = own(tt);
    const ov = own(vv);
    return {
      t: ot,
      v: ov,
      transfer:
        ot.buffer === ov.buffer ? [ot.buffer as ArrayBuffer] : [ot.buffer as ArrayBuffer, ov.buffer as ArrayBuffer],
    };
  };

  const client: M4Client = {
    async load(seriesId, t, v, opts = {}) {
      const o = outgoing(t, v, opts.copy === true);
      loaded.set(seriesId, t);
      return points(await call({ op: 'load', seriesId, t: o.t, v: o.v }, o.transfer));
    },
    async downsample(seriesId, t, v, from, to, width, opts = {}) {
      if (t && v && loaded.get(seriesId) !== t) {
        // Both messages are posted now, in this order; the worker answers them in order.
        const [, view] = await Promise.all([client.load(seriesId, t, v, opts), client.view(seriesId, from, to, width)]);
        return view;
      }
      if (!loaded.has(seriesId))
        throw new RampartError(
          'bad_request',
          `M4 client: series '${seriesId}' has no data yet: pass its t and v arrays`,
        );
      return client.view(seriesId, from, to, width);
    },
    async view(seriesId, from, to, width, opts = {}) {
      return viewOf(await call({ op: 'view', seriesId, from, to, width, reuse: opts.reuse }));
    },
    async views(seriesIds, from, to, width) {
      if (seriesIds.length === 0) return [];
      const r = await call({ op: 'views', seriesIds: [...seriesIds], from, to, width });
      if (r.ok && r.op === 'views') return r.views;
      throw new RampartError('internal', 'M4 worker answered a views request with something else');
    },
    async append(seriesId, t, v) {
      const o = outgoing(t, v, false);
      return points(await call({ op: 'append', seriesId, t: o.t, v: o.v }, o.transfer));
    },
    async drop(seriesId) {
      loaded.delete(seriesId);
      await call({ op: 'drop', seriesId });
    },
    terminate() {
      worker.terminate();
      failAll(new RampartError('internal', 'M4 worker was terminated'));
    },
  };
  return client;
}

/**
 * Snaps a range to whole columns of its own width (from a multiple of (to − from) / width, rounded up), so that a
 * live view sliding with time keeps the same column grid and the worker reuses every column still on screen.
 * Use the snapped range as the chart's x-domain too: M4 is pixel-exact only on the chart's own pixel grid.
 */
export function alignToColumns(from: number, to: number, width: number): { from: number; to: number } {
  const columns = Math.max(1, Math.floor(width));
  const colMs = (to - from) / columns;
  if (!(colMs > 0) || !Number.isFinite(colMs)) return { from, to };
  const snapped = Math.ceil(from / colMs) * colMs;
  return { from: snapped, to: snapped + (to - from) };
}

/**
 * Several M4 workers behind one client: each series lives in one worker (assigned round-robin when first
 * loaded), so a view of 12 series runs on several cores while the UI thread waits idle.
 */
export function createM4Pool(size = defaultPoolSize(), spawn: () => WorkerLike = spawnM4Worker): M4Client {
  const clients = Array.from({ length: Math.max(1, Math.floor(size)) }, () => createM4Client(spawn));
  const owner = new Map<string, M4Client>();
  let next = 0;
  const of = (seriesId: string): M4Client => {
    let c = owner.get(seriesId);
    if (!c) {
      c = clients[next++ % clients.length];
      owner.set(seriesId, c);
    }
    return c;
  };
  return {
    load: (id, t, v, opts) => of(id).load(id, t, v, opts),
    downsample: (id, t, v, from, to, width, opts) => of(id).downsample(id, t, v, from, to, width, opts),
    view: (id, from, to, width, opts) => of(id).view(id, from, to, width, opts),
    async views(ids, from, to, width) {
      // Grouped by worker: each worker computes its series in one message, the workers in parallel.
      const groups = new Map<M4Client, string[]>();
      for (const id of ids) groups.set(of(id), [...(groups.get(of(id)) ?? []), id]);
      const answers = new Map<string, M4View>();
      await Promise.all(
        [...groups].map(async ([c, group]) =>
          (await c.views(group, from, to, width)).forEach((v, i) => answers.set(group[i], v)),
        ),
      );
      return ids.map((id) => answers.get(id) as M4View);
    },
    append: (id, t, v) => of(id).append(id, t, v),
    async drop(id) {
      const c = owner.get(id);
      owner.delete(id);
      await c?.drop(id);
    },
    terminate() {
      for (const c of clients) c.terminate();
    },
  };
}

/**
 * The same M4 handler on the calling thread, behind the same client: for a chart whose series are small (a day of
 * 1-minute steps), where a worker round trip would cost more than the M4 itself and a busy machine's thread
 * scheduling would add its latency to every zoom. Replies arrive as microtasks, in order, like a worker's.
 */
export function inThreadM4(): WorkerLike {
  const handle = createM4Handler();
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(message) {
      const { reply } = handle(message);
      queueMicrotask(() => w.onmessage?.({ data: reply }));
    },
    terminate() {
      w.onmessage = null;
    },
  };
  return w;
}

/** As many workers as cores, up to 4 (the UI thread mostly waits while they work). */
export function defaultPoolSize(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  return Math.min(4, Math.max(1, cores));
}
