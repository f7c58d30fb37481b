/**
 * A `series:view` answer asked ahead of the click that needs it (issue 15: "the first 7-day click is warm"). Once the
 * canary view's first paint is idle, the 7-day answer of the open watch is asked once; the range click then takes it
 * instead of asking the core, draws from it at once, and the live pushes that follow append to it (or, when more than
 * a couple of steps went by, series-view.ts asks for the window again: the refinement). Asking warms the core's series
 * cache too, so even a click after the answer went stale is a cached read on the core.
 *
 * An answer is taken at most once, and only while it still draws the clicked window pixel-true: the same watch, width
 * and visibility, the same span, ending no more than two data steps before the window does (one step while the answer
 * is still on its way); anything else goes to the core as before.
 */
import type { Channel, RequestOf, ResponseOf } from '../../../shared/contract';
import type { RampartApi } from './api';

export type ViewPayload = RequestOf<'series:view'>;
export type ViewAnswer = ResponseOf<'series:view'>;

/** While an answer is on its way, how far the clicked window may have moved on (the finest step the core serves). */
const PENDING_SLACK_MS = 60_000;
/** Answers kept (one per watch asked ahead); the oldest goes first. */
const MAX_KEPT = 4;

interface Kept {
  payload: ViewPayload;
  promise: Promise<ViewAnswer>;
  answer: ViewAnswer | null;
}

/** The payload a SeriesView sends for a window (data/series-view.ts), so an answer asked ahead is the one it asks. */
export function viewPayload(
  watchId: string,
  from: number,
  to: number,
  width: number,
  overrides: Readonly<Record<string, boolean>>,
): ViewPayload {
  const show = Object.keys(overrides).filter((k) => overrides[k]);
  const hide = Object.keys(overrides).filter((k) => !overrides[k]);
  return {
    watchId,
    from: Math.floor(from),
    to: Math.ceil(to),
    width,
    ...(show.length ? { show } : {}),
    ...(hide.length ? { hide } : {}),
  };
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  [...(a ?? [])].sort().join('\u0000') === [...(b ?? [])].sort().join('\u0000');

function sameAsk(a: ViewPayload, b: ViewPayload): boolean {
  return a.watchId === b.watchId && a.width === b.width && sameList(a.show, b.show) && sameList(a.hide, b.hide);
}

/** Whether `k` draws the window `p` asks for, as the SeriesView would draw its own answer. */
function draws(k: Kept, p: ViewPayload): boolean {
  if (!sameAsk(k.payload, p)) return false;
  const span = p.to - p.from;
  const colMs = span / Math.max(1, p.width);
  if (Math.abs(span - (k.payload.to - k.payload.from)) > colMs) return false;
  const moved = p.to - k.payload.to;
  if (moved < -colMs) return false;
  return k.answer ? moved <= 2 * k.answer.stepMs : moved <= PENDING_SLACK_MS;
}

export interface SeriesPrefetch {
  /** Ask for `p` now, unless an answer that draws it is kept or on its way. */
  prefetch(p: ViewPayload): void;
  /** The kept answer for `p` (removed: taken once), or null: ask the core. */
  take(p: ViewPayload): Promise<ViewAnswer> | null;
}

export function createSeriesPrefetch(call: (p: ViewPayload) => Promise<ViewAnswer>): SeriesPrefetch {
  let kept: Kept[] = [];
  return {
    prefetch(p) {
      if (kept.some((k) => draws(k, p))) return;
      const k: Kept = { payload: p, promise: call(p), answer: null };
      k.promise.then(
        (a) => void (k.answer = a),
        // A failed ask is forgotten: the click asks the core itself and shows its error there.
        () => void (kept = kept.filter((x) => x !== k)),
      );
      kept = [...kept.filter((x) => x.payload.watchId !== p.watchId), k].slice(-MAX_KEPT);
    },
    take(p) {
      const k = kept.find((x) => draws(x, p));
      if (!k) return null;
      kept = kept.filter((x) => x !== k);
      return k.promise;
    },
  };
}

/** `api` with `series:view` answered from `prefetch` when it holds the answer; every other call as it was. */
export function withSeriesPrefetch(api: RampartApi, prefetch: SeriesPrefetch): RampartApi {
  const call = <C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> => {
    if (channel === 'series:view') {
      const kept = prefetch.take(payload as ViewPayload);
      if (kept) return kept as Promise<ResponseOf<C>>;
    }
    return api.call(channel, payload);
  };
  return { transport: api.transport, call, on: (event, listener) => api.on(event, listener) };
}
