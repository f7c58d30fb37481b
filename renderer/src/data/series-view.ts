/**
 * The data of one watch's charts, outside React (issue 15): what was received (`series:view` answers, then
 * `series:appended` pushes) is held as columns in an M4 client — in-thread for a day of 1-minute steps, the worker
 * pool for large series — and every window the charts need is a view of it. A change of window, visibility or width
 * (`setTarget`, called on the input itself) either draws at once from what is held (a zoom inside a full-resolution
 * answer, the live window sliding) or asks the core right then; either way ONE frame is published per change, once
 * its data is ready, so the charts render once. A live push appends the new points (incremental M4: only the new
 * columns are recomputed) and redraws the live window; no range is polled.
 */
import type { ResponseOf } from '../../../shared/contract';
import {
  isSeriesShown,
  seriesKey,
  type ColumnSeries,
  type SeriesAppended,
} from '../../../shared/contract/domains/watches';
import { decodeSeriesColumns } from '../../../shared/downsample/columns';
import type { RampartError } from '../../../shared/errors';
import type { Columns } from '../charts/columns';
import { asRampartError } from '../api/envelope';
import { alignToColumns, type M4Client } from '../workers/m4-client';

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

interface Held {
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

export class SeriesView {
  private held: Held | null = null;
  private frame: SeriesFrame | null = null;
  private target: ViewTarget | null = null;
  private seq = 0;
  private fetchingFor = 0;
  /** The window asked of the core and not answered yet: a change it will cover waits for it instead of asking again. */
  private asked: ViewTarget | null = null;
  private error: RampartError | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly watchId: string,
    private readonly deps: SeriesViewDeps,
  ) {}

  getFrame(): SeriesFrame | null {
    return this.frame;
  }

  status(): { fetching: boolean; error: RampartError | null } {
    return { fetching: this.fetchingFor !== 0, error: this.error };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private id(key: string): string {
    return `${this.watchId}\u0001${key}`;
  }

  /** The window, width or visibility changed: draw from what is held, or ask the core now. */
  setTarget(t: ViewTarget): void {
    const same =
      this.target &&
      this.target.from === t.from &&
      this.target.to === t.to &&
      this.target.plotWidth === t.plotWidth &&
      this.target.overrides === t.overrides;
    this.target = t;
    if (same && this.frame) return;
    const seq = ++this.seq;
    if (this.covers(t)) void this.draw(seq);
    else if (this.asked && this.fetchingFor !== 0 && this.answerCovers(this.asked, t))
      this.fetchingFor = seq; // drawn when it arrives
    else void this.fetch(t, seq);
  }

  /** Whether the answer to `asked` will draw `t`: the same span and visibility, `t` moved on by at most a column. */
  private answerCovers(asked: ViewTarget, t: ViewTarget): boolean {
    if (asked.overrides !== t.overrides || asked.requestWidth !== t.requestWidth) return false;
    const colMs = (asked.to - asked.from) / Math.max(1, asked.requestWidth);
    return (
      Math.abs(t.to - t.from - (asked.to - asked.from)) <= colMs &&
      t.from >= asked.from - colMs &&
      t.to <= asked.to + 3 * colMs
    );
  }

  /** Series the target shows, by the contract's visibility rule and the user's overrides. */
  private shownKeys(h: Held, t: ViewTarget): string[] {
    return h.series.filter((s) => isSeriesShown(s, h.series, t.overrides)).map((s) => s.key);
  }

  private covers(t: ViewTarget): boolean {
    const h = this.held;
    if (!h) return false;
    if (this.shownKeys(h, t).some((k) => !h.loaded.has(k))) return false;
    const slack = 3 * h.stepMs; // the live edge moves on between pushes (one per data step)
    if (t.from < h.from - h.stepMs || t.to > h.to + slack) return false;
    if (h.exact) return true;
    // Reduced data (M4 on the core) draws pixel-true only for its own span: the live window sliding along it.
    const colMs = (h.to - h.from) / Math.max(1, t.requestWidth);
    return Math.abs(t.to - t.from - (h.to - h.from)) <= colMs;
  }

  private async fetch(t: ViewTarget, seq: number): Promise<void> {
    this.fetchingFor = seq;
    this.asked = t;
    this.notify();
    const show = Object.keys(t.overrides).filter((k) => t.overrides[k]);
    const hide = Object.keys(t.overrides).filter((k) => !t.overrides[k]);
    let answer: ViewAnswer;
    try {
      answer = await this.deps.call({
        watchId: this.watchId,
        from: Math.floor(t.from),
        to: Math.ceil(t.to),
        width: t.requestWidth,
        ...(show.length ? { show } : {}),
        ...(hide.length ? { hide } : {}),
      });
    } catch (e) {
      if (this.asked !== t) return; // a newer request answers for the view
      this.asked = null;
      this.fetchingFor = 0;
      // Keep the last good frame beside the error: a failing refresh must not blank a chart.
      this.error = asRampartError(e);
      this.notify();
      return;
    }
    if (this.asked !== t) return; // a newer request is on its way
    this.asked = null;
    await this.load(answer);
    this.fetchingFor = 0;
    this.error = null;
    if (this.target && this.covers(this.target)) await this.draw(this.seq);
    else this.notify();
  }

  private async load(a: ViewAnswer): Promise<void> {
    const sent = a.series.filter((s) => !s.hidden);
    const points = sent.reduce((n, s) => n + s.n, 0);
    const client = this.deps.m4For(points);
    const old = this.held;
    const loaded = new Set<string>();
    await Promise.all(
      sent.map((s) => {
        const key = seriesKey(s.metric, s.variant);
        loaded.add(key);
        const { t, v } = decodeSeriesColumns(s);
        return client.load(this.id(key), t, v);
      }),
    );
    if (old)
      for (const k of old.loaded)
        if (!loaded.has(k) || old.client !== client) void old.client.drop(this.id(k)).catch(() => undefined);
    this.held = {
      from: a.from,
      to: a.to,
      stepMs: a.stepMs,
      exact: a.exact,
      series: a.series.map((s) => ({
        key: seriesKey(s.metric, s.variant),
        metric: s.metric,
        variant: s.variant,
        arm: s.arm ?? null,
        unsent: s.hidden,
      })),
      client,
      loaded,
      stale: a.stale,
      errors: a.errors,
      dataAt: this.deps.now(),
    };
  }

  private async draw(seq: number): Promise<void> {
    const h = this.held;
    const t = this.target;
    if (!h || !t) return;
    // The live window snapped to its own column grid: sliding keeps the grid, so M4 reuses every column on screen.
    const w = t.live ? alignToColumns(t.from, t.to, t.plotWidth) : { from: t.from, to: t.to };
    const keys = this.shownKeys(h, t).filter((k) => h.loaded.has(k));
    const views = await h.client.views(
      keys.map((k) => this.id(k)),
      w.from,
      w.to,
      Math.max(1, Math.floor(t.plotWidth)),
    );
    if (seq !== this.seq || this.held !== h) return; // superseded: the newer change publishes its own frame
    this.frame = {
      watchId: this.watchId,
      from: w.from,
      to: w.to,
      columns: Math.floor(t.plotWidth),
      stepMs: h.stepMs,
      series: h.series,
      cols: new Map(keys.map((k, i) => [k, { t: views[i].t, v: views[i].v }])),
      stale: h.stale,
      errors: h.errors,
      dataAt: h.dataAt,
    };
    this.notify();
  }

  /** A push of new points: appended to what is held; the live window is drawn again (only its new columns computed). */
  async append(p: SeriesAppended): Promise<void> {
    const h = this.held;
    if (!h || p.watchId !== this.watchId || p.stepMs !== h.stepMs) return;
    if (p.from > h.to + 2 * h.stepMs) {
      // Pushes were missed (the stream dropped): ask for the window again rather than draw a hole.
      if (this.target) void this.fetch(this.target, ++this.seq);
      return;
    }
    await Promise.all(
      p.series.map((s) => {
        const key = seriesKey(s.metric, s.variant);
        if (!h.loaded.has(key)) return undefined;
        const { t, v } = decodeSeriesColumns(s);
        return t.length ? h.client.append(this.id(key), t, v) : undefined;
      }),
    );
    h.to = Math.max(h.to, p.to);
    h.stale = p.stale;
    h.errors = p.errors;
    h.dataAt = this.deps.now();
    if (this.target?.live && this.covers(this.target)) await this.draw(++this.seq);
  }

  /** The window again from the core (after an outage, or the user's explicit refresh). */
  refresh(): void {
    if (this.target) void this.fetch(this.target, ++this.seq);
  }

  dispose(): void {
    const h = this.held;
    if (h) for (const k of h.loaded) void h.client.drop(this.id(k)).catch(() => undefined);
    this.held = null;
    this.frame = null;
    this.listeners.clear();
  }
}
