/**
 * The renderer's one data-fetching mechanism for contract calls: a cache keyed by channel + payload, shared by
 * every component that asks for the same thing. Push events mark entries for refetch (throttled per entry, so a
 * tick every second costs at most one call per interval); while the page is hidden refetches wait and run once
 * it is visible again. No React here, so it is tested in node; `use-query.ts` is the React face.
 */
import type { Channel, EventName } from '../../../shared/contract';
import { feedOf } from './event-feeds';
import type { RampartError } from '../../../shared/errors';
import { asRampartError } from '../api/envelope';
import { queryKey } from '../lib/stable-key';
import { realClock, throttle, type Clock, type Throttled } from '../lib/throttle';

export interface QuerySnapshot<T = unknown> {
  status: 'loading' | 'success' | 'error';
  data: T | undefined;
  error: RampartError | null;
  fetchedAt: number | null;
  fetching: boolean;
}

export type Caller = (channel: Channel, payload: unknown) => Promise<unknown>;

interface Entry {
  key: string;
  channel: Channel;
  payload: unknown;
  snapshot: QuerySnapshot;
  /** Each subscriber with the events it wants refetches on. */
  listeners: Map<() => void, readonly EventName[]>;
  inflight: boolean;
  again: boolean;
  dirtyWhileHidden: boolean;
  throttled: Throttled;
  gcTimer: unknown;
  /** prefetch() callers waiting for the answer. */
  waiters: ((data: unknown) => void)[];
  /** Its data holds a confirmed write (patch()) newer than any answer already in flight. */
  patched: boolean;
}

export interface QueryClientOptions {
  clock?: Clock;
  /** Minimum spacing of event-driven refetches of one entry. */
  minIntervalMs?: number;
  /** How long an entry nobody watches stays cached. */
  gcMs?: number;
}

export const LOADING: QuerySnapshot = Object.freeze({
  status: 'loading',
  data: undefined,
  error: null,
  fetchedAt: null,
  fetching: true,
});

export class QueryClient {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly minIntervalMs: number;
  private readonly gcMs: number;
  private hidden = false;

  constructor(
    private readonly call: Caller,
    opts: QueryClientOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.minIntervalMs = opts.minIntervalMs ?? 2_000;
    this.gcMs = opts.gcMs ?? 30_000;
  }

  keyOf(channel: Channel, payload: unknown): string {
    return queryKey(channel, payload);
  }

  snapshot(key: string): QuerySnapshot {
    return this.entries.get(key)?.snapshot ?? LOADING;
  }

  /** Watch a call's result; fetches when nothing is cached (or the cache is in error). Returns unsubscribe. */
  subscribe(channel: Channel, payload: unknown, refetchOn: readonly EventName[], listener: () => void): () => void {
    const key = this.keyOf(channel, payload);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.createEntry(key, channel, payload);
      this.entries.set(key, entry);
    }
    if (entry.gcTimer !== null) {
      this.clock.clearTimeout(entry.gcTimer);
      entry.gcTimer = null;
    }
    entry.listeners.set(listener, refetchOn);
    if (entry.snapshot.status !== 'success' && !entry.inflight) this.fetch(entry);
    const e = entry;
    return () => {
      e.listeners.delete(listener);
      if (e.listeners.size === 0) {
        e.throttled.cancel();
        e.gcTimer = this.clock.setTimeout(() => {
          if (e.listeners.size === 0) this.entries.delete(e.key);
        }, this.gcMs);
      }
    };
  }

  /**
   * A push event arrived: every watched entry that asked for it is fed the answer the event carries, left alone
   * when the event concerns another flag or watch, or refetched (throttled) — event-feeds.ts decides which.
   */
  onEvent(event: EventName, payload?: unknown): void {
    for (const e of this.entries.values()) {
      if (![...e.listeners.values()].some((events) => events.includes(event))) continue;
      const feed = feedOf(event, payload, e.channel, e.payload);
      if (feed === 'skip') continue;
      if (feed === 'refetch') this.refresh(e);
      else if (!e.inflight)
        this.set(e, { status: 'success', data: feed.data, error: null, fetchedAt: this.clock.now(), fetching: false });
    }
  }

  /**
   * Starts a call before anything shows it (the first view's calls, issued together from what the page already
   * knows): the entry is kept like an unwatched one and a component asking for it later finds it answered or in
   * flight. Resolves with the data, or undefined when the call failed.
   */
  prefetch(channel: Channel, payload: unknown): Promise<unknown> {
    const key = this.keyOf(channel, payload);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.createEntry(key, channel, payload);
      this.entries.set(key, entry);
    }
    if (entry.snapshot.status === 'success') return Promise.resolve(entry.snapshot.data);
    if (!entry.inflight) this.fetch(entry);
    const e = entry;
    if (e.listeners.size === 0 && e.gcTimer === null) {
      e.gcTimer = this.clock.setTimeout(() => {
        if (e.listeners.size === 0) this.entries.delete(e.key);
      }, this.gcMs);
    }
    return new Promise((resolve) => e.waiters.push(resolve));
  }

  /**
   * After the user's own write: refetch matching watched entries now (not throttled — the new marker must show
   * at once) and drop unwatched ones so they are fetched fresh when next shown.
   */
  invalidate(match: (channel: Channel, payload: unknown) => boolean): void {
    for (const e of [...this.entries.values()]) {
      if (!match(e.channel, e.payload)) continue;
      if (e.listeners.size === 0) this.entries.delete(e.key);
      else this.fetch(e);
    }
  }

  /**
   * A write the store confirmed by read-back, applied to the cached answers at once so no panel shows the state
   * from before it beside a toast saying it changed; the refetch that follows (invalidate) replaces it. An answer
   * that was already in flight when the write was confirmed is older than it, and is not shown over it.
   */
  patch(match: (channel: Channel, payload: unknown) => boolean, update: (data: unknown) => unknown): void {
    for (const e of this.entries.values()) {
      if (!match(e.channel, e.payload) || e.snapshot.status !== 'success') continue;
      e.patched = true;
      this.set(e, { ...e.snapshot, data: update(e.snapshot.data) });
    }
  }

  refetch(key: string): void {
    const e = this.entries.get(key);
    if (e) this.fetch(e);
  }

  setHidden(hidden: boolean): void {
    const wasHidden = this.hidden;
    this.hidden = hidden;
    if (wasHidden && !hidden) {
      for (const e of this.entries.values()) {
        if (e.dirtyWhileHidden && e.listeners.size > 0) {
          e.dirtyWhileHidden = false;
          this.fetch(e);
        }
      }
    }
  }

  /** Entry count, for tests and the GC check. */
  size(): number {
    return this.entries.size;
  }

  private createEntry(key: string, channel: Channel, payload: unknown): Entry {
    const entry: Entry = {
      key,
      channel,
      payload,
      snapshot: LOADING,
      listeners: new Map(),
      inflight: false,
      again: false,
      dirtyWhileHidden: false,
      throttled: throttle(() => this.fetch(entry), this.minIntervalMs, this.clock),
      gcTimer: null,
      waiters: [],
      patched: false,
    };
    return entry;
  }

  private refresh(e: Entry): void {
    if (this.hidden) {
      e.dirtyWhileHidden = true;
      return;
    }
    e.throttled.call();
  }

  private set(e: Entry, next: QuerySnapshot): void {
    e.snapshot = next;
    if (!next.fetching && e.waiters.length > 0) {
      const waiters = e.waiters.splice(0);
      for (const w of waiters) w(next.status === 'success' ? next.data : undefined);
    }
    for (const l of [...e.listeners.keys()]) l();
  }

  private fetch(e: Entry): void {
    if (e.inflight) {
      e.again = true; // the answer in flight may predate what triggered this; ask once more after it
      return;
    }
    e.inflight = true;
    if (!e.snapshot.fetching) this.set(e, { ...e.snapshot, fetching: true });
    this.call(e.channel, e.payload).then(
      (data) => this.settle(e, { status: 'success', data, error: null, fetchedAt: this.clock.now(), fetching: false }),
      (err: unknown) =>
        // Keep the last good data beside the error: a failing refresh must not blank a chart.
        this.settle(e, {
          status: 'error',
          data: e.snapshot.data,
          error: asRampartError(err),
          fetchedAt: e.snapshot.fetchedAt,
          fetching: false,
        }),
    );
  }

  private settle(e: Entry, next: QuerySnapshot): void {
    e.inflight = false;
    if (e.again) {
      e.again = false;
      e.snapshot =
        e.patched && next.status === 'success' ? { ...e.snapshot, fetching: true } : { ...next, fetching: true };
      this.set(e, e.snapshot);
      this.fetch(e);
      return;
    }
    e.patched = false;
    this.set(e, next);
  }
}
