import { describe, expect, it } from 'vitest';
import { alignToColumns, createM4Client, createM4Pool, type WorkerLike } from '../../../renderer/src/workers/m4-client';
import { createM4Handler, type M4Request } from '../../../renderer/src/workers/m4-protocol';
import type { M4Reply } from '../../../renderer/src/workers/m4-protocol';
import { isRampartError } from '../../../shared/errors';

/** The worker in-process: messages cross a real structured clone with the same transfer lists as postMessage. */
function inProcessWorker(): WorkerLike & { received: M4Request[] } {
  const handle = createM4Handler();
  const w: WorkerLike & { received: M4Request[] } = {
    received: [],
    onmessage: null,
    onerror: null,
    postMessage(message, transfer) {
      const req = structuredClone(message, { transfer });
      w.received.push(req);
      const { reply, transfer: back } = handle(req);
      const answer = structuredClone(reply, { transfer: back }) as M4Reply;
      queueMicrotask(() => w.onmessage?.({ data: answer }));
    },
    terminate() {},
  };
  return w;
}

function series(n: number): { t: Float64Array; v: Float64Array } {
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = i * 1000;
    v[i] = Math.sin(i / 50) * 10 + (i % 997 === 0 ? 100 : 0);
  }
  return { t, v };
}

describe('M4 client', () => {
  it('transfers a series once and answers zooms without re-sending it', async () => {
    const w = inProcessWorker();
    const client = createM4Client(() => w);
    const { t, v } = series(100_000);
    const first = await client.downsample('p99', t, v, 0, 99_999_000, 500);
    expect(t.length).toBe(0); // transferred, not copied
    expect(first.t.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...first.v)).toBeGreaterThan(100);
    const zoom = await client.downsample('p99', t, v, 10_000_000, 20_000_000, 500); // same (now empty) arrays: no reload
    expect(zoom.from).toBe(10_000_000);
    expect(w.received.map((r) => r.op)).toEqual(['load', 'view', 'view']);
  });

  it('appends live points and copies when asked to', async () => {
    const client = createM4Client(inProcessWorker);
    const { t, v } = series(10_000);
    expect(await client.load('rate', t, v, { copy: true })).toBe(10_000);
    expect(t.length).toBe(10_000);
    expect(await client.append('rate', new Float64Array([10_000_000, 10_001_000]), new Float64Array([5, 6]))).toBe(
      10_002,
    );
    const view = await client.view('rate', 9_000_000, 10_001_000, 100);
    expect(view.t[view.t.length - 1]).toBe(10_001_000);
  });

  it('rejects with a coded error for an unknown series, and after terminate', async () => {
    const client = createM4Client(inProcessWorker);
    const e = await client.view('nope', 0, 1, 10).catch((x: unknown) => x);
    expect(isRampartError(e) && e.code).toBe('not_found');
    expect((e as Error).message).toMatch(/no series 'nope'/);
    await expect(client.downsample('nope', null, null, 0, 1, 10)).rejects.toThrow(/has no data yet/);
    client.terminate();
    await expect(client.view('x', 0, 1, 10)).rejects.toThrow(/terminated/);
  });

  it('spreads series over a pool of workers, each series staying in its worker', async () => {
    const workers: ReturnType<typeof inProcessWorker>[] = [];
    const pool = createM4Pool(2, () => {
      const w = inProcessWorker();
      workers.push(w);
      return w;
    });
    for (const id of ['a', 'b', 'c']) {
      const { t, v } = series(5_000);
      await pool.load(id, t, v);
    }
    const views = await Promise.all(['a', 'b', 'c'].map((id) => pool.view(id, 0, 4_999_000, 100)));
    expect(views.every((view) => view.t.length > 100 && view.t.length <= 400)).toBe(true);
    expect(workers.map((w) => w.received.filter((r) => r.op === 'load').map((r) => r.seriesId))).toEqual([
      ['a', 'c'],
      ['b'],
    ]);
    await pool.drop('b');
    await expect(pool.view('b', 0, 1, 10)).rejects.toThrow(/no series 'b'/);
  });

  it('snaps a live range to its own column grid', () => {
    const a = alignToColumns(1_000_123, 4_600_123, 1200);
    expect(a.to - a.from).toBe(3_600_000);
    expect(a.from % 3000).toBe(0);
    expect(a.from).toBeGreaterThanOrEqual(1_000_123);
    expect(a.from - 1_000_123).toBeLessThan(3000);
  });
});
