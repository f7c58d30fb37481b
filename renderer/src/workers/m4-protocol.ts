/**
 * The messages between the M4 client (UI thread) and the M4 worker, and the worker's message handler as a pure
 * function (no worker globals), so it runs the same in the worker, in a unit test and in a benchmark.
 *
 * Data moves as Float64Arrays in the transfer list: loading a 600k-point series costs a pointer hand-over, not a
 * 9.6 MB copy, and each answer (≤ 4 × width points) is handed back the same way.
 */
import { RampartError, toWireError, type WireError } from '../../../shared/errors';
import { IncrementalM4, type M4View } from './incremental-m4';
import { SeriesBuffer } from './series-buffer';

export type M4Request =
  | { op: 'load'; id: number; seriesId: string; t: Float64Array; v: Float64Array }
  | { op: 'append'; id: number; seriesId: string; t: Float64Array; v: Float64Array }
  | { op: 'view'; id: number; seriesId: string; from: number; to: number; width: number; reuse?: boolean }
  | { op: 'views'; id: number; seriesIds: string[]; from: number; to: number; width: number }
  | { op: 'drop'; id: number; seriesId: string };

export type M4Reply =
  | { id: number; ok: true; op: 'load' | 'append' | 'drop'; points: number }
  | { id: number; ok: true; op: 'view'; view: M4View }
  | { id: number; ok: true; op: 'views'; views: M4View[] }
  | { id: number; ok: false; error: WireError };

export interface Outgoing {
  reply: M4Reply;
  transfer: ArrayBuffer[];
}

interface Held {
  buffer: SeriesBuffer;
  m4: IncrementalM4;
}

/** The worker's state: full-resolution series by id. */
export function createM4Handler(): (req: M4Request) => Outgoing {
  const series = new Map<string, Held>();

  function held(seriesId: string): Held {
    const h = series.get(seriesId);
    if (!h)
      throw new RampartError(
        'not_found',
        `M4 worker: no series '${seriesId}' is loaded (load it before asking for a view)`,
      );
    return h;
  }

  function handle(req: M4Request): M4Reply {
    switch (req.op) {
      case 'load': {
        const buffer = new SeriesBuffer(req.t, req.v);
        series.set(req.seriesId, { buffer, m4: new IncrementalM4(buffer) });
        return { id: req.id, ok: true, op: 'load', points: buffer.n };
      }
      case 'append': {
        const h = held(req.seriesId);
        h.buffer.append(req.t, req.v);
        return { id: req.id, ok: true, op: 'append', points: h.buffer.n };
      }
      case 'view':
        return {
          id: req.id,
          ok: true,
          op: 'view',
          view: held(req.seriesId).m4.view(req.from, req.to, req.width, { reuse: req.reuse }),
        };
      case 'views':
        // One chart's series in one message: a window change costs one round trip, whatever the series count.
        return {
          id: req.id,
          ok: true,
          op: 'views',
          views: req.seriesIds.map((sid) => held(sid).m4.view(req.from, req.to, req.width)),
        };
      case 'drop':
        series.delete(req.seriesId);
        return { id: req.id, ok: true, op: 'drop', points: 0 };
      default:
        throw new RampartError('bad_request', `M4 worker: unknown request '${String((req as { op?: unknown }).op)}'`);
    }
  }

  return (req) => {
    try {
      const reply = handle(req);
      const views =
        reply.ok && reply.op === 'view' ? [reply.view] : reply.ok && reply.op === 'views' ? reply.views : [];
      const transfer = views.flatMap((v) => [v.t.buffer as ArrayBuffer, v.v.buffer as ArrayBuffer]);
      return { reply, transfer };
    } catch (e) {
      return { reply: { id: req.id, ok: false, error: toWireError(e) }, transfer: [] };
    }
  };
}
