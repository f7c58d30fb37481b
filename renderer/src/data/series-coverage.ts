/**
 * What a watch's series view holds and what it can draw from it (series-view.ts): the frame the charts get, the target
 * a change sets, an answer as held, and the rules for when held data draws a window pixel-true and when an answer on
 * its way will — one owner for "can this be drawn without asking the core?".
 */
import type { ResponseOf } from '../../../shared/contract';
import { isSeriesShown, type ColumnSeries } from '../../../shared/contract/domains/watches';
import type { Columns } from '../charts/columns';
import type { M4Client } from '../workers/m4-client';

export type ViewAnswer = ResponseOf<'series:view'>;

export interface FrameSeries {
  key: string;
  metric: string;
  variant: string | null;
  arm: ColumnSeries['arm'];
  /** Not sent by the core (hidden when asked): the legend lists it, the charts cannot draw it. */
  unsent: boolean;
}

export interface SeriesFrame {
  watchId: string;
  from: number;
  to: number;
  /** Pixel columns of the views (the plot width). */
  columns: number;
  stepMs: number;
  series: readonly FrameSeries[];
  /** The drawn series' columns for this window, by series key. */
  cols: ReadonlyMap<string, Columns>;
  stale: ViewAnswer['stale'];
  errors: ViewAnswer['errors'];
  /** When the newest data arrived (an answer or a push). */
  dataAt: number;
}

export interface ViewTarget {
  from: number;
  to: number;
  /** The live window (ending now): slides with time and grows with pushes. */
  live: boolean;
  plotWidth: number;
  /** The width asked of the core (the plot width rounded, so small resizes reuse an answer). */
  requestWidth: number;
  /** The user's legend choices, by series key. */
  overrides: Readonly<Record<string, boolean>>;
}

export interface SeriesViewDeps {
  call: (payload: {
    watchId: string;
    from: number;
    to: number;
    width: number;
    show?: string[];
    hide?: string[];
  }) => Promise<ViewAnswer>;
  /** The M4 client for an answer of this many points (small: in-thread; large: the worker pool). */
  m4For: (points: number) => M4Client;
  now: () => number;
}

export interface Held {
  /** Which answer: part of its series' ids in the M4 client, so two answers' series live there side by side. */
  tag: number;
  /** The width the core was asked for: a reduced answer is pixel-true at that width only. */
  requestWidth: number;
  from: number;
  to: number;
  stepMs: number;
  /** Every point of the window is held (no M4 reduction on the core): any window inside it can be drawn. */
  exact: boolean;
  series: FrameSeries[];
  client: M4Client;
  /** Series keys loaded into the client. */
  loaded: Set<string>;
  stale: ViewAnswer['stale'];
  errors: ViewAnswer['errors'];
  dataAt: number;
}

/** Whether the answer to `asked` will draw `t`: the same span and visibility, `t` moved on by at most a column. */
export function answerCovers(asked: ViewTarget, t: ViewTarget): boolean {
  if (asked.overrides !== t.overrides || asked.requestWidth !== t.requestWidth) return false;
  const colMs = (asked.to - asked.from) / Math.max(1, asked.requestWidth);
  return (
    Math.abs(t.to - t.from - (asked.to - asked.from)) <= colMs &&
    t.from >= asked.from - colMs &&
    t.to <= asked.to + 3 * colMs
  );
}

/** Series the target shows, by the contract's visibility rule and the user's overrides. */
export function shownKeys(h: Held, t: ViewTarget): string[] {
  return h.series.filter((s) => isSeriesShown(s, h.series, t.overrides)).map((s) => s.key);
}

/** Whether what is held draws `t` pixel-true, without asking the core. */
export function covers(h: Held | null, t: ViewTarget): boolean {
  if (!h) return false;
  if (shownKeys(h, t).some((k) => !h.loaded.has(k))) return false;
  const slack = 3 * h.stepMs; // the live edge moves on between pushes (one per data step)
  if (t.from < h.from - h.stepMs || t.to > h.to + slack) return false;
  if (h.exact) return true;
  // Reduced data (M4 on the core) draws pixel-true only for its own span and width: the live window sliding along it.
  if (t.requestWidth !== h.requestWidth) return false;
  const colMs = (h.to - h.from) / Math.max(1, t.requestWidth);
  return Math.abs(t.to - t.from - (h.to - h.from)) <= colMs;
}
