import { rejection } from '../../support/rejection';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Series } from '../../../main/metrics/metrics-provider';
import { createPrometheusProvider } from '../../../main/metrics/prometheus/prometheus-provider';
import { defaultMetricSpecs, renderQuery } from '../../../main/metrics/templates';
import { startPrometheusWithHistory, type PrometheusWithHistory } from './harness';

const MIN = 60_000;
let prom: PrometheusWithHistory;

beforeAll(async () => {
  prom = await startPrometheusWithHistory();
});
afterAll(async () => {
  await prom?.stop();
});

const provider = () =>
  createPrometheusProvider({
    connection: { id: 'prom', name: 'Prometheus', kind: 'prometheus', url: prom.url, auth: 'none' },
  });
const query = (name: string, byVariant = true, selector = prom.selector) => {
  const spec = defaultMetricSpecs('prometheus').find((s) => s.name === name);
  if (!spec) throw new Error(name);
  return renderQuery(spec, { selector, byVariant, windowSec: 300 });
};

/** Prometheus' own answer, straight from its HTTP API. */
async function promRaw(q: string, startMs: number, endMs: number, stepSec: number) {
  const params = new URLSearchParams({
    query: q,
    start: String(startMs / 1000),
    end: String(endMs / 1000),
    step: String(stepSec),
  });
  const res = await fetch(`${prom.url}/api/v1/query_range?${params}`);
  return (await res.json()) as {
    status: string;
    errorType?: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
  };
}

const byVariant = (series: Series[], label = 'feature_flag_result_variant') =>
  new Map(series.map((s) => [s.labels[label], s]));
function meanIn(s: Series, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < s.t.length; i++) {
    if (s.t[i] >= from && s.t[i] <= to && Number.isFinite(s.v[i])) {
      sum += s.v[i];
      n++;
    }
  }
  if (n === 0) throw new Error('no finite points in the window');
  return sum / n;
}

describe('Prometheus 2.x with a day of known history', () => {
  it("Rampart's series equal what Prometheus itself returns for the same query, point by point", async () => {
    const from = prom.end - 6 * 3_600_000;
    for (const name of ['request_rate', 'error_ratio', 'p99']) {
      const q = query(name);
      const mine = await provider().range(q, from, prom.end, MIN);
      const theirs = await promRaw(q, from, prom.end, 60);
      expect(theirs.status).toBe('success');
      expect(mine.map((s) => JSON.stringify(s.labels)).sort()).toEqual(
        theirs.data.result.map((r) => JSON.stringify(r.metric)).sort(),
      );
      for (const r of theirs.data.result) {
        const s = mine.find((m) => JSON.stringify(m.labels) === JSON.stringify(r.metric));
        if (!s) throw new Error('missing series');
        expect(r.values.length).toBeGreaterThan(300);
        const at = new Map(Array.from(s.t, (t, i) => [t, s.v[i]]));
        for (const [ts, text] of r.values) {
          const v = at.get(Math.round(ts * 1000));
          const expected = Number(text);
          if (Number.isFinite(expected))
            expect(v, `${name} ${r.metric.feature_flag_result_variant} @${ts}`).toBe(expected);
          else expect(v).toBeNaN();
        }
        // Instants Prometheus left out are NaN in Rampart's series, not values.
        const present = new Set(r.values.map(([ts]) => Math.round(ts * 1000)));
        for (let i = 0; i < s.t.length; i++) if (!present.has(s.t[i])) expect(s.v[i]).toBeNaN();
      }
    }
  });

  it('p99 per variant shows the regression where it was put: on ≥ 1.4× from the known minute, off unchanged', async () => {
    const from = prom.regressionAt - 3 * 3_600_000;
    const series = byVariant(await provider().range(query('p99'), from, prom.end, MIN));
    const on = series.get('on');
    const off = series.get('off');
    if (!on || !off) throw new Error('expected both variants');
    const before = [from, prom.regressionAt - 10 * MIN] as const;
    const after = [prom.regressionAt + 10 * MIN, prom.end] as const;
    const onRatio = meanIn(on, ...after) / meanIn(on, ...before);
    const offRatio = meanIn(off, ...after) / meanIn(off, ...before);
    expect(onRatio).toBeGreaterThanOrEqual(1.4);
    expect(offRatio).toBeGreaterThan(0.9);
    expect(offRatio).toBeLessThan(1.1);
    // The onset is at the known minute: the first clearly regressed point lies within one rate window after it.
    const baseline = meanIn(on, ...before);
    const firstHigh = Array.from(on.t).find((t, i) => t >= from && on.v[i] > 1.25 * baseline);
    expect(firstHigh).toBeGreaterThanOrEqual(prom.regressionAt);
    expect(firstHigh).toBeLessThanOrEqual(prom.regressionAt + 5 * MIN);
  });

  it('the error ratio of the on variant goes from 0.5% to 3% at the known minute; off stays at 0.5%', async () => {
    const from = prom.regressionAt - 3 * 3_600_000;
    const series = byVariant(await provider().range(query('error_ratio'), from, prom.end, MIN));
    const on = series.get('on');
    const off = series.get('off');
    if (!on || !off) throw new Error('expected both variants');
    const before = meanIn(on, from, prom.regressionAt - 10 * MIN);
    const after = meanIn(on, prom.regressionAt + 10 * MIN, prom.end);
    expect(before).toBeGreaterThan(0.003);
    expect(before).toBeLessThan(0.008);
    expect(after).toBeGreaterThan(0.022);
    expect(after).toBeLessThan(0.038);
    expect(meanIn(off, prom.regressionAt + 10 * MIN, prom.end)).toBeLessThan(0.008);
  });

  it('every default template runs, split by variant or not, with the service selector or none', async () => {
    for (const spec of defaultMetricSpecs('prometheus')) {
      for (const split of [true, false]) {
        for (const selector of [prom.selector, '']) {
          const series = await provider().range(query(spec.name, split, selector), prom.end - 3_600_000, prom.end, MIN);
          expect(series.length, `${spec.name} split=${split} selector=${selector}`).toBe(split ? 2 : 1);
          expect(Array.from(series[0].v).filter(Number.isFinite).length).toBeGreaterThan(50);
        }
      }
    }
    const rate = byVariant(await provider().range(query('request_rate'), prom.end - 3_600_000, prom.end, MIN));
    const total =
      meanIn(rate.get('on') as Series, prom.end - 3_600_000, prom.end) +
      meanIn(rate.get('off') as Series, prom.end - 3_600_000, prom.end);
    expect(total).toBeGreaterThan(25); // 40 rps at the daily mean, ±25% over the day
    expect(total).toBeLessThan(55);
  });

  it('NaN, +Inf and -Inf come back as NaN (never 0), and instants before the history are NaN gaps', async () => {
    const [nan] = await provider().range('vector(0) / 0', prom.end - 5 * MIN, prom.end, MIN);
    const [inf] = await provider().range('vector(1) / 0', prom.end - 5 * MIN, prom.end, MIN);
    const [negInf] = await provider().range('vector(-1) / 0', prom.end - 5 * MIN, prom.end, MIN);
    for (const s of [nan, inf, negInf]) {
      expect(s.v.length).toBe(6);
      expect(Array.from(s.v).every(Number.isNaN)).toBe(true);
    }
    const raw = await promRaw('vector(1) / 0', prom.end, prom.end, 60);
    expect(raw.data.result[0].values[0][1]).toBe('+Inf'); // what Prometheus actually sent

    const edge = await provider().range(
      query('request_rate', false),
      prom.start - 30 * MIN,
      prom.start + 30 * MIN,
      MIN,
    );
    expect(edge).toHaveLength(1);
    const v = Array.from(edge[0].v);
    expect(v.length).toBe(61);
    expect(v.slice(0, 30).every(Number.isNaN)).toBe(true); // before the first sample: no data, not zero
    expect(v.slice(35).every((x) => Number.isFinite(x) && x > 0)).toBe(true);
  });

  it('widens the step for a full day at 1 s, which Prometheus itself refuses', async () => {
    const raw = await promRaw('vector(1)', prom.start, prom.end, 1);
    expect(raw.status).toBe('error');
    expect(raw.error).toMatch(/exceeded maximum resolution of 11,000 points/);
    const [s] = await provider().range('vector(1)', prom.start, prom.end, 1000);
    expect(s.t.length).toBeLessThanOrEqual(11_000);
    expect(s.t.length).toBeGreaterThan(10_000);
    expect(s.t[1] - s.t[0]).toBe(8000); // 86,400 s / 10,999 = 7.86 s → 8 s
  });

  it("a bad query gives a clear bad_request with the errorType, Prometheus' words and the PromQL", async () => {
    const bad = 'rate(http_server_request_duration_seconds_count{job="checkout"})';
    const err = await rejection(provider().range(bad, prom.end - 3_600_000, prom.end, MIN));
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(/^Prometheus rejected the query \(bad_data, HTTP 400\): .*expected type range vector/);
    expect(err.message).toContain(`PromQL: ${bad}`);

    const manyToMany = 'http_server_request_duration_seconds_count / on() http_server_request_duration_seconds_sum';
    const err2 = await rejection(provider().range(manyToMany, prom.end - 3_600_000, prom.end, MIN));
    expect(err2.code).toBe('bad_request');
    expect(err2.message).toMatch(/\(execution, HTTP 422\)/);
  });

  it('stop() ends Prometheus and removes its temp dir; a custom history length and regression minute are honoured', async () => {
    const endMs = Date.UTC(2025, 0, 15, 12, 0, 0);
    const small = await startPrometheusWithHistory({ hours: 2, endMs, regressionAtMs: endMs - 30 * MIN, seed: 7 });
    expect([small.start, small.end, small.regressionAt]).toEqual([endMs - 2 * 3_600_000, endMs, endMs - 30 * MIN]);
    expect(existsSync(small.dataDir)).toBe(true);
    const ready = await fetch(`${small.url}/-/ready`);
    expect(ready.status).toBe(200);
    await small.stop();
    expect(existsSync(small.dataDir)).toBe(false);
    await expect(fetch(`${small.url}/-/ready`)).rejects.toThrow();
  });

  it('a missing binary fails with the install command, never a silent skip', async () => {
    await expect(startPrometheusWithHistory({ prometheusBin: '/nonexistent/prometheus' })).rejects.toThrow(
      /apt-get install -y prometheus/,
    );
  });
});
