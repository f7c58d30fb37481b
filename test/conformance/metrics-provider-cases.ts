import { expect } from 'vitest';
import { noSeriesMessage } from '../../main/metrics/discovery';
import type { Series } from '../../main/metrics/metrics-provider';
import { isRampartError } from '../../shared/errors';
import type { CaseRegistrar } from './cases';
import { leaks } from './error-recorder';
import { MALFORMED_BODIES } from './flag-store-faults';
import type { MetricsContext } from './metrics-provider-fixture';

/** Series as the core holds them: parallel Float64Arrays, ascending time, string labels. */
function expectWellFormed(series: Series[], q: { from: number; to: number; stepMs: number }): void {
  for (const s of series) {
    expect(s.t).toBeInstanceOf(Float64Array);
    expect(s.v).toBeInstanceOf(Float64Array);
    expect(s.v.length).toBe(s.t.length);
    for (const value of Object.values(s.labels)) expect(typeof value).toBe('string');
    for (let i = 0; i < s.t.length; i++) {
      expect(s.t[i]).toBeGreaterThanOrEqual(q.from - q.stepMs);
      expect(s.t[i]).toBeLessThanOrEqual(q.to);
      if (i > 0) expect(s.t[i] - s.t[i - 1], 'points at least one step apart').toBeGreaterThanOrEqual(q.stepMs - 1);
      expect(Number.isNaN(s.v[i]) || Number.isFinite(s.v[i]), `value ${s.v[i]} is a number or NaN, never ±Inf`).toBe(
        true,
      );
    }
  }
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (e: unknown) => e,
  );
}

export function metricsCases(r: CaseRegistrar, c: MetricsContext): void {
  r.add('capabilities', 'capabilities are well-formed, stable, and match the methods the provider offers', async () => {
    const caps = c.provider.capabilities();
    expect(Number.isInteger(caps.maxPointsPerSeries) && caps.maxPointsPerSeries >= 2).toBe(true);
    expect(typeof caps.nativePercentiles).toBe('boolean');
    expect(['s', 'ms']).toContain(caps.timeUnit);
    expect(c.provider.capabilities()).toEqual(caps);
    expect(typeof c.fx.provider.instant === 'function', 'instant queries').toBe(c.traits.instant);
    expect(typeof c.fx.provider.listMetrics === 'function', 'metric discovery').toBe(c.traits.discovery);
  });

  r.add('range', 'range answers known data as well-formed series on the asked step', async () => {
    const q = c.fx.range;
    const series = await c.provider.range(q.query, q.from, q.to, q.stepMs);
    expect(series.length).toBeGreaterThan(0);
    expectWellFormed(series, q);
    q.expect(series);
  });

  r.add(
    'step-clamping',
    'a range asking for 3× maxPointsPerSeries points is answered with a coarser step, never an error or too many points',
    async () => {
      const max = c.provider.capabilities().maxPointsPerSeries;
      const stepMs = 60_000;
      const to = c.fx.range.to;
      const from = to - 3 * max * stepMs;
      const series = await c.provider.range(c.fx.range.query, from, to, stepMs);
      expectWellFormed(series, { from, to, stepMs });
      for (const s of series) expect(s.t.length).toBeLessThanOrEqual(max);
    },
  );

  r.add(
    'non-finite',
    'NaN, ±Inf and missing points come back as NaN gaps, exactly where the data has them',
    async () => {
      expect(c.fx.nonFinite.length).toBeGreaterThan(0);
      for (const q of c.fx.nonFinite) {
        const series = await c.provider.range(q.query, q.from, q.to, q.stepMs);
        expect(series.length, q.what).toBeGreaterThan(0);
        expectWellFormed(series, q);
        for (const s of series) {
          const wrong = Array.from(s.t).filter((t, i) => Number.isNaN(s.v[i]) !== q.nanAt(s.labels, t));
          expect(wrong, `${q.what} ${JSON.stringify(s.labels)}: points whose NaN-ness is wrong`).toEqual([]);
        }
      }
    },
  );

  r.add('bad-query', 'a query the provider refuses is a RampartError naming the provider and the query', async () => {
    const e = await failure(c.provider.range(c.fx.badQuery, c.fx.range.from, c.fx.range.to, c.fx.range.stepMs));
    expect(isRampartError(e), String(e)).toBe(true);
    expect(e).toMatchObject({ code: 'bad_request', message: expect.stringMatching(c.traits.vendor) });
    expect((e as Error).message).toContain(c.fx.badQuery);
  });

  r.add('bad-range', 'a range that ends before it starts is bad_request, before anything is asked', async () => {
    const q = c.fx.range;
    expect(await failure(c.provider.range(q.query, q.to, q.from, q.stepMs))).toMatchObject({ code: 'bad_request' });
  });

  if (c.traits.instant) {
    r.add('instant', 'instant query: one finite-or-NaN value per series at the asked time', async () => {
      const q = c.fx.instant;
      if (!q || !c.provider.instant)
        throw new Error('the traits say instant queries, but the fixture or provider has none');
      const samples = await c.provider.instant(q.query, q.at);
      for (const s of samples) {
        for (const value of Object.values(s.labels)) expect(typeof value).toBe('string');
        expect(Number.isNaN(s.value) || Number.isFinite(s.value)).toBe(true);
      }
      q.expect(samples);
    });
  }

  if (c.traits.discovery) {
    r.add(
      'discovery',
      'listMetrics names the metrics it has, and a near miss is answered with the right suggestion',
      async () => {
        const d = c.fx.discovery;
        if (!d || !c.provider.listMetrics)
          throw new Error('the traits say discovery, but the fixture or provider has none');
        const names = await c.provider.listMetrics();
        for (const n of names) {
          expect(typeof n.name).toBe('string');
          for (const k of ['type', 'unit', 'help'] as const)
            expect(n[k] === null || typeof n[k] === 'string').toBe(true);
        }
        expect(names.map((n) => n.name)).toContain(d.name);
        expect(
          noSeriesMessage(
            d.typoQuery,
            names.map((n) => n.name),
          ).suggestions,
        ).toContain(d.name);
      },
    );
  }

  if (c.traits.malformed) {
    r.add('malformed', 'a malformed answer is vendor_error naming the provider and the query', async () => {
      if (!c.fx.faults) throw new Error('the traits say malformed answers, but the fixture has no faults');
      const q = c.fx.range;
      for (const body of MALFORMED_BODIES) {
        c.fx.faults.malformNext(body);
        const e = await failure(c.provider.range(q.query, q.from, q.to, q.stepMs));
        expect(isRampartError(e), `${JSON.stringify(body)}: ${String(e)}`).toBe(true);
        expect(e, JSON.stringify(body)).toMatchObject({
          code: 'vendor_error',
          message: expect.stringMatching(c.traits.vendor),
        });
        expect((e as Error).message, JSON.stringify(body)).toContain(q.query);
      }
    });
  }

  if (c.traits.credentials) {
    r.add('echoed-secret', 'an error body that quotes the credentials back never puts them in the error', async () => {
      if (!c.fx.faults) throw new Error('the fixture has credentials but cannot make the backend echo them');
      c.fx.faults.echoSecret();
      const q = c.fx.range;
      const e = await failure(c.provider.range(q.query, q.from, q.to, q.stepMs));
      expect(isRampartError(e), String(e)).toBe(true);
      expect(leaks([e], c.fx.secrets)).toEqual([]);
    });

    r.add('no-secret-anywhere', 'no credential in any error the provider threw during this suite', async () => {
      expect(c.errors.length).toBeGreaterThanOrEqual(3);
      expect(leaks(c.errors, c.fx.secrets)).toEqual([]);
    });
  }
}
