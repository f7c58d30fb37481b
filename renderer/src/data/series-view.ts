/**
 * The data of one watch's charts, outside React (issue 15): what was received (`series:view` answers, then
 * `series:appended` pushes) is held as columns in an M4 client — in-thread for a day of 1-minute steps, the worker
 * pool for large series — and every window the charts need is a view of it. A change of window, visibility or width
 * (`setTarget`, called on the input itself) either draws at once from what is held (a zoom inside a full-resolution
 * answer, the live window sliding) or asks the core right then; either way ONE frame is published per change, once
 * its data is ready, so the charts render once. A live push appends the new points (incremental M4: only the new
 * columns are recomputed) and redraws the live window; no range is polled. The answer before the current one is kept
 * beside it (and appended to), so going back — 7 days, then 24 h, then 7 days again — draws without asking.
 */
import { seriesKey, type SeriesAppended } from '../../../shared/contract/domains/watches';
import { decodeSeriesColumns } from '../../../shared/downsample/columns';
import type { RampartError } from '../../../shared/errors';
import { asRampartError } from '../api/envelope';
import { alignToColumns } from '../workers/m4-client';
import {
  answerCovers,
  covers,
  shownKeys,
  type Held,
  type SeriesFrame,
  type SeriesViewDeps,
  type ViewAnswer,
  type ViewTarget,
} from './series-coverage';

export type { FrameSeries, SeriesFrame, SeriesViewDeps, ViewAnswer, ViewTarget } from './series-coverage';

export class SeriesView {
  private held: Held | null = null;
  /** The answer held before `held`: a change back to its window swaps the two instead of asking the core. */
  private spare: Held | null = null;
  private tags = 0;
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

  private id(h: Pick<Held, 'tag'>, key: string): string {
    return `${this.watchId}\u0001${h.tag}\u0001${key}`;
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
    if (!covers(this.held, t) && covers(this.spare, t)) [this.held, this.spare] = [this.spare, this.held];
    if (covers(this.held, t)) void this.draw(seq);
    else if (this.asked && this.fetchingFor !== 0 && answerCovers(this.asked, t))
      this.fetchingFor = seq; // drawn when it arrives
    else void this.fetch(t, seq);
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
    await this.load(answer, t.requestWidth);
    this.fetchingFor = 0;
    this.error = null;
    if (this.target && covers(this.held, this.target)) await this.draw(this.seq);
    else this.notify();
  }

  /** The answer becomes what is held; the one held before becomes the spare, and the spare before it is dropped. */
  private async load(a: ViewAnswer, requestWidth: number): Promise<void> {
    const sent = a.series.filter((s) => !s.hidden);
    const points = sent.reduce((n, s) => n + s.n, 0);
    const client = this.deps.m4For(points);
    const tag = ++this.tags;
    const loaded = new Set<string>();
    await Promise.all(
      sent.map((s) => {
        const key = seriesKey(s.metric, s.variant);
        loaded.add(key);
        const { t, v } = decodeSeriesColumns(s);
        return client.load(this.id({ tag }, key), t, v);
      }),
    );
    this.release(this.spare);
    this.spare = this.held;
    this.held = {
      tag,
      requestWidth,
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
    const keys = shownKeys(h, t).filter((k) => h.loaded.has(k));
    const views = await h.client.views(
      keys.map((k) => this.id(h, k)),
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
    if (!h || p.watchId !== this.watchId) return;
    // The spare takes the same points, so it still draws the live window when the user goes back to it. One that
    // missed pushes is dropped rather than drawn with a hole; one of another step keeps its slack (covers()).
    const spare = this.spare;
    let spareTakes = false;
    if (spare && spare.stepMs === p.stepMs) {
      spareTakes = p.from <= spare.to + 2 * spare.stepMs;
      if (!spareTakes) {
        this.release(spare);
        this.spare = null;
      }
    }
    const toSpare = spare && spareTakes ? this.appendTo(spare, p) : undefined;
    if (p.stepMs !== h.stepMs) return void (await toSpare);
    if (p.from > h.to + 2 * h.stepMs) {
      // Pushes were missed (the stream dropped): ask for the window again rather than draw a hole.
      if (this.target) void this.fetch(this.target, ++this.seq);
      return void (await toSpare);
    }
    await Promise.all([this.appendTo(h, p), toSpare]);
    if (this.target?.live && covers(this.held, this.target)) await this.draw(++this.seq);
  }

  private async appendTo(h: Held, p: SeriesAppended): Promise<void> {
    await Promise.all(
      p.series.map((s) => {
        const key = seriesKey(s.metric, s.variant);
        if (!h.loaded.has(key)) return undefined;
        const { t, v } = decodeSeriesColumns(s);
        return t.length ? h.client.append(this.id(h, key), t, v) : undefined;
      }),
    );
    h.to = Math.max(h.to, p.to);
    h.stale = p.stale;
    h.errors = p.errors;
    h.dataAt = this.deps.now();
  }

  /** Drops an answer's series from its M4 client. */
  private release(h: Held | null): void {
    if (h) for (const k of h.loaded) void h.client.drop(this.id(h, k)).catch(() => undefined);
  }

  /** The window again from the core (after an outage, or the user's explicit refresh). */
  refresh(): void {
    if (this.target) void this.fetch(this.target, ++this.seq);
  }

  dispose(): void {
    this.release(this.held);
    this.release(this.spare);
    this.held = null;
    this.spare = null;
    this.frame = null;
    this.listeners.clear();
  }
}
