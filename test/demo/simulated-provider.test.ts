import { describe, expect, it } from 'vitest';
import { byVariant, HOUR, mean, MIN, NOW, provider, sum } from './fixtures';

const BY = ' by (feature_flag_result_variant)';
const at = (exposure: number, from = NOW - 30 * HOUR, enabled = true) => [{ at: from, enabled, exposure }];

describe('simulated service: deterministic', () => {
  it('gives the same values for the same steps, whatever range or provider instance asked', async () => {
    const timelines = { 'checkout-v2': at(25) };
    const a = await provider(timelines).range(`p99{service="checkout"}${BY}`, NOW - 6 * HOUR, NOW, MIN);
    const b = await provider(timelines).range(`p99{service="checkout"}${BY}`, NOW - 6 * HOUR, NOW, MIN);
    expect(b).toEqual(a);
    // A sub-range fetched later, by another instance, matches the same timestamps exactly.
    const part = await provider(timelines, NOW + HOUR).range(
      `p99{service="checkout"}${BY}`,
      NOW - 2 * HOUR + 17,
      NOW - HOUR,
      MIN,
    );
    const offset = a[0].t.indexOf(part[0].t[0]);
    expect(offset).toBeGreaterThan(0);
    expect(Array.from(part[0].v)).toEqual(Array.from(a[0].v.slice(offset, offset + part[0].v.length)));
    expect(part[0].t[0] % MIN).toBe(0); // steps are aligned to multiples of the step
  });

  it('never produces NaN for the whole population, nor for an arm that had requests', async () => {
    const p = provider({ 'checkout-v2': at(1) });
    for (const metric of ['request_rate', 'error_ratio', 'p50', 'p95', 'p99', 'requests', 'errors']) {
      const [overall] = await p.range(`${metric}{service="checkout"}`, NOW - 24 * HOUR, NOW, MIN);
      expect(overall.v.every(Number.isFinite), metric).toBe(true);
    }
    const requests = await p.range(`requests{service="checkout"}${BY}`, NOW - 24 * HOUR, NOW, MIN);
    const p99 = await p.range(`p99{service="checkout"}${BY}`, NOW - 24 * HOUR, NOW, MIN);
    for (const v of ['on', 'off']) {
      const n = byVariant(requests, v).v;
      const q = byVariant(p99, v).v;
      for (let i = 0; i < n.length; i++) expect(Number.isNaN(q[i])).toBe(n[i] === 0);
    }
    expect(byVariant(requests, 'on').v.some((x) => x === 0)).toBe(true); // 1 % of a quiet minute: sometimes nobody
  });

  it('counts add up: requests = rate × step, errors ≤ requests, error_ratio = errors / requests', async () => {
    const p = provider({ 'checkout-v2': at(25) });
    const range = [NOW - 2 * HOUR, NOW, 30_000] as const;
    const [rate] = await p.range('request_rate{service="checkout"}', ...range);
    const [requests] = await p.range('requests{service="checkout"}', ...range);
    const [errors] = await p.range('errors{service="checkout"}', ...range);
    const [ratio] = await p.range('error_ratio{service="checkout"}', ...range);
    const split = await p.range(`requests{service="checkout"}${BY}`, ...range);
    for (let i = 0; i < rate.v.length; i++) {
      expect(requests.v[i]).toBeCloseTo(rate.v[i] * 30, 9);
      expect(errors.v[i]).toBeLessThanOrEqual(requests.v[i]);
      expect(ratio.v[i]).toBeCloseTo(errors.v[i] / requests.v[i], 12);
      expect(byVariant(split, 'on').v[i] + byVariant(split, 'off').v[i]).toBe(requests.v[i]);
    }
  });
});

describe('simulated service: the regressing and the healthy flag', () => {
  it("checkout-v2's treatment has a higher p99 and error ratio than its control at 25 %", async () => {
    const p = provider({ 'checkout-v2': at(25) });
    const window = [NOW - 4 * HOUR, NOW, MIN] as const;
    const p99 = await p.range(`p99{service="checkout"}${BY}`, ...window);
    const p50 = await p.range(`p50{service="checkout"}${BY}`, ...window);
    const requests = await p.range(`requests{service="checkout"}${BY}`, ...window);
    const errors = await p.range(`errors{service="checkout"}${BY}`, ...window);
    const p99Ratio = mean(byVariant(p99, 'on')) / mean(byVariant(p99, 'off'));
    expect(p99Ratio).toBeGreaterThan(1.3);
    expect(p99Ratio).toBeLessThan(1.7);
    const p50Ratio = mean(byVariant(p50, 'on')) / mean(byVariant(p50, 'off'));
    expect(p50Ratio).toBeGreaterThan(1.08);
    expect(p50Ratio).toBeLessThan(1.22);
    const errorRatio = (v: string) => sum(byVariant(errors, v)) / sum(byVariant(requests, v));
    expect(errorRatio('on')).toBeGreaterThan(0.02);
    expect(errorRatio('on')).toBeLessThan(0.03);
    expect(errorRatio('off')).toBeGreaterThan(0.003);
    expect(errorRatio('off')).toBeLessThan(0.0055);
  });

  it("checkout's overall p99 and error ratio rise with exposure (same window at 1 % vs 25 %)", async () => {
    const window = [NOW - 4 * HOUR, NOW, MIN] as const;
    const [low] = await provider({ 'checkout-v2': at(1) }).range('p99{service="checkout"}', ...window);
    const [high] = await provider({ 'checkout-v2': at(25) }).range('p99{service="checkout"}', ...window);
    expect(mean(high) / mean(low)).toBeGreaterThan(1.12);
    const [lowErr] = await provider({ 'checkout-v2': at(1) }).range('error_ratio{service="checkout"}', ...window);
    const [highErr] = await provider({ 'checkout-v2': at(25) }).range('error_ratio{service="checkout"}', ...window);
    expect(mean(highErr)).toBeGreaterThan(mean(lowErr) * 1.8);
  });

  it('in the demo day, the window after the ramp to 25 % has a higher overall p99 than the 1 % window', async () => {
    const timeline = [
      { at: NOW - 23 * HOUR, enabled: false, exposure: 0 },
      { at: NOW - 20 * HOUR, enabled: true, exposure: 1 },
      { at: NOW - 15 * HOUR, enabled: true, exposure: 5 },
      { at: NOW - 4 * HOUR, enabled: true, exposure: 25 },
    ];
    const p = provider({ 'checkout-v2': timeline });
    const [p99] = await p.range('p99{service="checkout"}', NOW - 24 * HOUR, NOW, MIN);
    const [errors] = await p.range('error_ratio{service="checkout"}', NOW - 24 * HOUR, NOW, MIN);
    // 1 % ran 20 → 15 h ago (evening into night), 25 % for the last 4 h (afternoon peak): p99 rises anyway.
    expect(mean(p99, NOW - 4 * HOUR, NOW)).toBeGreaterThan(mean(p99, NOW - 20 * HOUR, NOW - 15 * HOUR) * 1.1);
    expect(mean(errors, NOW - 4 * HOUR, NOW)).toBeGreaterThan(mean(errors, NOW - 20 * HOUR, NOW - 15 * HOUR) * 1.8);
  });

  it("search-ranker's treatment behaves like its control", async () => {
    const p = provider({ 'search-ranker': at(50) });
    const window = [NOW - 4 * HOUR, NOW, MIN] as const;
    for (const q of ['p50', 'p95', 'p99']) {
      const s = await p.range(`${q}{service="search"}${BY}`, ...window);
      const ratio = mean(byVariant(s, 'ml-v2')) / mean(byVariant(s, 'classic'));
      expect(ratio, q).toBeGreaterThan(0.97);
      expect(ratio, q).toBeLessThan(1.03);
    }
    const requests = await p.range(`requests{service="search"}${BY}`, ...window);
    const errors = await p.range(`errors{service="search"}${BY}`, ...window);
    const [n1, n2] = [sum(byVariant(requests, 'ml-v2')), sum(byVariant(requests, 'classic'))];
    const [e1, e2] = [sum(byVariant(errors, 'ml-v2')), sum(byVariant(errors, 'classic'))];
    const pooled = (e1 + e2) / (n1 + n2);
    const z = (e1 / n1 - e2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    expect(Math.abs(z)).toBeLessThan(3); // no detectable difference in errors
  });
});

describe('simulated service: follows the flag', () => {
  it('after a ramp at t the treatment share of requests moves to the new exposure, and nothing before t changes', async () => {
    const t = NOW - 2 * HOUR;
    const before = [{ at: NOW - 30 * HOUR, enabled: true, exposure: 5 }];
    const after = [...before, { at: t, enabled: true, exposure: 50 }];
    const q = `requests{service="checkout"}${BY}`;
    const old = await provider({ 'checkout-v2': before }).range(q, NOW - 6 * HOUR, NOW, MIN);
    const ramped = await provider({ 'checkout-v2': after }).range(q, NOW - 6 * HOUR, NOW, MIN);
    const shareOn = (s: typeof old, from: number, to: number) =>
      sum(byVariant(s, 'on'), from, to) / (sum(byVariant(s, 'on'), from, to) + sum(byVariant(s, 'off'), from, to));
    expect(shareOn(ramped, NOW - 6 * HOUR, t)).toBeGreaterThan(0.04);
    expect(shareOn(ramped, NOW - 6 * HOUR, t)).toBeLessThan(0.06);
    expect(shareOn(ramped, t + MIN, NOW + 1)).toBeGreaterThan(0.47);
    expect(shareOn(ramped, t + MIN, NOW + 1)).toBeLessThan(0.53);
    // Up to t, the series are identical to those of the timeline without the ramp.
    const upTo = old[0].t.indexOf(t) + 1;
    for (const v of ['on', 'off']) {
      expect(Array.from(byVariant(ramped, v).v.slice(0, upTo))).toEqual(Array.from(byVariant(old, v).v.slice(0, upTo)));
    }
  });

  it('sends everyone to the control while the flag is off or before it exists', async () => {
    const p = provider({ 'checkout-v2': [{ at: NOW - 3 * HOUR, enabled: false, exposure: 50 }] });
    const rate = await p.range(`request_rate{service="checkout"}${BY}`, NOW - 5 * HOUR, NOW, MIN);
    const p99 = await p.range(`p99{service="checkout"}${BY}`, NOW - 5 * HOUR, NOW, MIN);
    expect(byVariant(rate, 'on').v.every((x) => x === 0)).toBe(true);
    expect(byVariant(p99, 'on').v.every(Number.isNaN)).toBe(true);
    expect(byVariant(p99, 'off').v.every(Number.isFinite)).toBe(true);
  });

  it('has data up to now and not beyond, at a 10 s step too', async () => {
    const p = provider({ 'checkout-v2': at(25) }, NOW + 25_000);
    const [s] = await p.range('p99{service="checkout"}', NOW - 10 * MIN, NOW + HOUR, 10_000);
    expect(s.t[s.t.length - 1]).toBe(NOW + 20_000);
    expect(s.t.length).toBe(63);
    expect(s.v.every(Number.isFinite)).toBe(true);
    const [future] = await p.range('p99{service="checkout"}', NOW + HOUR, NOW + 2 * HOUR, 10_000);
    expect(future.t.length).toBe(0);
  });

  it('produces a day at 60 s for every metric, overall and per variant, quickly', async () => {
    const p = provider({ 'checkout-v2': at(25), 'search-ranker': at(50) });
    const started = performance.now();
    let points = 0;
    for (const metric of ['request_rate', 'error_ratio', 'p50', 'p95', 'p99', 'requests', 'errors']) {
      for (const by of ['', BY]) {
        for (const s of await p.range(`${metric}{service="checkout"}${by}`, NOW - 24 * HOUR, NOW, MIN))
          points += s.v.length;
      }
    }
    const ms = performance.now() - started;
    console.log(
      `simulated service: one day × 7 metrics × (overall + 2 variants) = ${points} points in ${ms.toFixed(1)} ms`,
    );
    expect(points).toBe(7 * 3 * 1441);
  });
});

describe('simulated service: bad input', () => {
  const p = provider({});
  const cases: Array<[string, RegExp]> = [
    [
      'p98{service="checkout"}',
      /unknown metric "p98" \(known: request_rate, error_ratio, p50, p95, p99, requests, errors; instant over a window: requests, errors, buckets, users\)/,
    ],
    ['p99{service="billing"}', /unknown service "billing" \(known: checkout, search, web\)/],
    ['p99{job="checkout"}', /unknown label "job"/],
    [
      'p99{service="checkout"} by (variant)',
      /cannot split by "variant"; the variant label is feature_flag_result_variant/,
    ],
    ['rate(p99[5m])', /expected <metric>\{service="<service>"\}/],
    ['', /expected/],
  ];
  for (const [query, message] of cases) {
    it(`refuses \`${query}\` with a clear message`, async () => {
      const err = await p.range(query, NOW - HOUR, NOW, MIN).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      expect(err?.code).toBe('bad_request');
      expect(err?.message).toMatch(/^Simulated service: /);
      expect(err?.message).toMatch(message);
    });
  }

  it('answers a range of too many points at a coarser step, never more than 11,000 per series', async () => {
    const series = await p.range('p99{service="checkout"}', NOW - 30 * 24 * HOUR, NOW, 10_000);
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) {
      expect(s.t.length).toBeLessThanOrEqual(11_000);
      expect(s.t.length).toBeGreaterThan(1_000);
      expect(s.t[1] - s.t[0]).toBeGreaterThan(10_000);
    }
  });

  it('refuses a bad step and a reversed range', async () => {
    const q = 'p99{service="checkout"}';
    for (const [from, to, step, message] of [
      [NOW - HOUR, NOW, 500, /step must be a whole number of ms ≥ 1000/],
      [NOW, NOW - HOUR, MIN, /bad time range/],
    ] as const) {
      const err = await p.range(q, from, to, step).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      expect(err?.code).toBe('bad_request');
      expect(err?.message).toMatch(message);
    }
  });
});
