import {
  seriesKey,
  visibleByDefault,
  type ColumnSeries,
  type SeriesAppended,
} from '../../shared/contract/domains/watches';
import { watchStepMs, type Watch } from '../../shared/domain/metrics';
import { NO_COLUMNS } from '../../shared/downsample/columns';
import { partialFailure, type PartialFailure } from '../../shared/errors';
import { chooseStep, failureOf, staleness, type Ensured, type SeriesDeps, type SeriesService } from './series-service';
import { newestCompleteStep } from './verdict-service';
import type { ViewItem, ViewedSeries } from './workers/ops';

type SeriesFailure = { metric: string } & PartialFailure;

/** A renderer that asked for a watch's view is sent its new points this long after its last ask. */
export const FOLLOW_MS = 30 * 60_000;
/** A push re-sends this many steps: samples that arrived late correct what was drawn. */
const TAIL_STEPS = 3;

type Spec = Watch['metrics'][number];
export interface ViewQuery {
  from: number;
  to: number;
  width: number;
  show?: string[];
  hide?: string[];
}

interface Part {
  spec: Spec;
  byVariant: boolean;
  query: string;
  ensured: Ensured;
}

/**
 * What the canary watch's charts draw (issue 15): `series:view` answers and `series:appended` pushes. A view is read
 * at the watch's own step (coarser only past the provider's points limit), so a live push appends to it exactly; the
 * series worker reads, M4-downsamples and encodes it (workers/ops.ts) — the main thread only orchestrates. Series the
 * renderer does not show are named, not sent: the population line of a metric split by variant is not even queried.
 */
export function createSeriesViews(
  deps: Pick<SeriesDeps, 'render' | 'armOf' | 'whyEmpty' | 'provider' | 'bus' | 'now'> & { series: SeriesService },
) {
  const follows = new Map<string, { until: number; keys: Set<string> }>();
  const pushed = new Map<string, number>();

  function viewStep(watch: Watch, from: number, to: number): number {
    const step = watchStepMs(watch);
    const cap = Math.max(100, deps.provider(watch.metricsConnectionId).capabilities().maxPointsPerSeries);
    return (to - from) / step <= cap ? step : Math.max(step, chooseStep(from, to, cap, step));
  }

  async function part(
    watch: Watch,
    spec: Spec,
    byVariant: boolean,
    q: { from: number; to: number },
    stepMs: number,
    errors: SeriesFailure[],
  ): Promise<Part | null> {
    let query: string;
    try {
      query = deps.render(watch, spec, byVariant, stepMs / 1000);
    } catch (e) {
      if (!errors.some((x) => x.metric === spec.name)) errors.push({ metric: spec.name, ...partialFailure(e) });
      return null;
    }
    const ensured = await deps.series.ensureCached(watch, query, q.from, q.to, stepMs);
    const failure = failureOf(ensured);
    if (failure && !errors.some((x) => x.metric === spec.name)) errors.push({ metric: spec.name, ...failure });
    return { spec, byVariant, query, ensured };
  }

  async function viewsOf(
    parts: Part[],
    q: { from: number; to: number; width: number },
    stepMs: number,
  ): Promise<ViewedSeries[][]> {
    if (parts.length === 0) return [];
    const items: ViewItem[] = parts.map((p) => ({
      key: p.ensured.key,
      readFrom: p.ensured.from,
      readTo: p.ensured.to,
      from: q.from,
      to: q.to,
      width: q.width,
      stepMs,
    }));
    return deps.series.cache.call({ op: 'view', items });
  }

  async function view(watch: Watch, q: ViewQuery) {
    const stepMs = viewStep(watch, q.from, q.to);
    const armOf = await deps.armOf(watch);
    const show = new Set(q.show ?? []);
    const hide = new Set(q.hide ?? []);
    const errors: SeriesFailure[] = [];
    const out: ColumnSeries[] = [];
    let exact = true;
    const add = (spec: Spec, variant: string | null, s: ViewedSeries | null, shown: boolean): void => {
      if (shown && s) exact &&= s.rawPoints <= 4 * q.width;
      const cols = shown && s ? s.cols : NO_COLUMNS;
      out.push({
        metric: spec.name,
        variant,
        arm: variant === null ? null : armOf(variant),
        labels: s?.labels ?? {},
        hidden: !shown,
        ...cols,
      });
    };
    // The split by variant first: whether a metric has one decides whether its population line is shown (and asked).
    const split = (await Promise.all(watch.metrics.map((spec) => part(watch, spec, true, q, stepMs, errors)))).filter(
      (p): p is Part => p !== null,
    );
    const splitViews = await viewsOf(split, q, stepMs);
    const overall: Spec[] = [];
    split.forEach((p, i) => {
      const variants = splitViews[i].filter((s) => s.labels[watch.variantLabel] !== undefined);
      for (const s of variants) {
        const variant = s.labels[watch.variantLabel];
        add(p.spec, variant, s, !hide.has(seriesKey(p.spec.name, variant)));
      }
      const key = seriesKey(p.spec.name, null);
      const byDefault = visibleByDefault(
        { metric: p.spec.name, variant: null },
        variants.map((s) => ({ metric: p.spec.name, variant: s.labels[watch.variantLabel] })),
      );
      if ((byDefault && !hide.has(key)) || show.has(key)) overall.push(p.spec);
      else if (variants.length > 0) add(p.spec, null, null, false);
    });
    const whole = (await Promise.all(overall.map((spec) => part(watch, spec, false, q, stepMs, errors)))).filter(
      (p): p is Part => p !== null,
    );
    const wholeViews = await viewsOf(whole, q, stepMs);
    for (const [i, p] of whole.entries()) {
      const s = wholeViews[i][0];
      if (s) add(p.spec, null, s, true);
      else if (
        !split.some((x) => x.spec.name === p.spec.name && splitViews[split.indexOf(x)].length > 0) &&
        !errors.some((e) => e.metric === p.spec.name)
      ) {
        errors.push({
          metric: p.spec.name,
          code: 'not_found',
          message: (await deps.whyEmpty(watch.metricsConnectionId, p.query)).message,
        });
      }
    }
    const all = [...split, ...whole];
    const anyError = all.map((p) => failureOf(p.ensured)).find((f) => f !== null) ?? null;
    deps.series.noteLook(watch.metricsConnectionId, anyError);
    const staleSince = all.reduce<number | null>(
      (m, p) => (p.ensured.staleSince === null ? m : Math.min(m ?? Infinity, p.ensured.staleSince)),
      null,
    );
    out.sort((a, b) => a.metric.localeCompare(b.metric) || (a.variant ?? '').localeCompare(b.variant ?? ''));
    follow(
      watch.id,
      out.filter((s) => !s.hidden).map((s) => seriesKey(s.metric, s.variant)),
    );
    const now = deps.now();
    return {
      series: out,
      stepMs,
      from: q.from,
      to: q.to,
      exact,
      stale: staleness(staleSince, anyError, now),
      errors,
    };
  }

  function follow(watchId: string, keys: string[]): void {
    const f = follows.get(watchId);
    const live = f && f.until > deps.now() ? f.keys : new Set<string>();
    for (const k of keys) live.add(k);
    follows.set(watchId, { until: deps.now() + FOLLOW_MS, keys: live });
  }

  /** The followed series' points over the last few steps up to `step`, for one push; null when nobody follows. */
  async function tail(watch: Watch, step: number): Promise<SeriesAppended | null> {
    const f = follows.get(watch.id);
    if (!f || f.until <= deps.now() || f.keys.size === 0) return null;
    const stepMs = watchStepMs(watch);
    const q = { from: step - TAIL_STEPS * stepMs, to: step, width: 10 * TAIL_STEPS };
    const keys = [...f.keys];
    const errors: SeriesFailure[] = [];
    const wanted = (spec: Spec, byVariant: boolean): boolean =>
      keys.some((k) => k.startsWith(`${spec.name}\u0000`) && k.endsWith('\u0000') !== byVariant);
    const jobs = watch.metrics.flatMap((spec) =>
      [true, false].filter((b) => wanted(spec, b)).map((b) => part(watch, spec, b, q, stepMs, errors)),
    );
    const parts = (await Promise.all(jobs)).filter((p): p is Part => p !== null);
    const views = await viewsOf(parts, q, stepMs);
    const armOf = await deps.armOf(watch);
    const series: ColumnSeries[] = [];
    parts.forEach((p, i) => {
      for (const s of views[i]) {
        const variant = p.byVariant ? (s.labels[watch.variantLabel] ?? null) : null;
        if ((p.byVariant && variant === null) || !f.keys.has(seriesKey(p.spec.name, variant))) continue;
        series.push({
          metric: p.spec.name,
          variant,
          arm: variant === null ? null : armOf(variant),
          labels: s.labels,
          hidden: false,
          ...s.cols,
        });
      }
    });
    const anyError = parts.map((p) => failureOf(p.ensured)).find((f) => f !== null) ?? null;
    deps.series.noteLook(watch.metricsConnectionId, anyError);
    const staleSince = parts.reduce<number | null>(
      (m, p) => (p.ensured.staleSince === null ? m : Math.min(m ?? Infinity, p.ensured.staleSince)),
      null,
    );
    const now = deps.now();
    return {
      watchId: watch.id,
      stepMs,
      from: q.from,
      to: q.to,
      series,
      stale: staleness(staleSince, anyError, now),
      errors,
    };
  }

  /** After the core's decision tick: each followed watch with a new complete data step gets its new points pushed. */
  async function pushNew(watches: readonly Watch[]): Promise<number> {
    let sent = 0;
    for (const w of watches) {
      const step = newestCompleteStep(deps.now(), watchStepMs(w));
      if ((pushed.get(w.id) ?? -Infinity) >= step) continue;
      try {
        const payload = await tail(w, step);
        pushed.set(w.id, step);
        if (payload) {
          deps.bus.emit('series:appended', payload);
          sent++;
        }
      } catch {
        // A watch whose connection went away says so when viewed; the others still get their points.
      }
    }
    return sent;
  }

  return { view, tail, pushNew, follows: (watchId: string) => [...(follows.get(watchId)?.keys ?? [])] };
}

export type SeriesViews = ReturnType<typeof createSeriesViews>;
