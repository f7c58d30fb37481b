import { describe, expect, it } from 'vitest';
import {
  parseSimulatedQuery,
  parseSimulatedWindowQuery,
  renderSimulatedQuery,
  simulatedMetricSpecs,
  simulatedUnitsQuery,
} from '../../main/demo';
import { MetricSpec } from '../../shared/domain/metrics';

describe('simulated service: metric specs and query templates', () => {
  it('offers request rate, error ratio and p50/p95/p99, valid as MetricSpecs, with p99 and errors critical', () => {
    const specs = simulatedMetricSpecs();
    for (const s of specs) expect(MetricSpec.parse(s)).toEqual(s);
    expect(specs.map((s) => [s.name, s.kind, s.unit, s.critical])).toEqual([
      ['request_rate', 'rate', 'rps', false],
      ['error_ratio', 'errors', 'ratio', true],
      ['p50', 'latency', 'ms', false],
      ['p95', 'latency', 'ms', false],
      ['p99', 'latency', 'ms', true],
    ]);
  });

  it('renders a spec for a watch, overall or split by variant, into a query that parses', () => {
    const p99 = simulatedMetricSpecs().find((s) => s.name === 'p99')!;
    expect(renderSimulatedQuery(p99, { selector: 'service="checkout"', byVariant: false })).toBe(
      'p99{service="checkout"}',
    );
    const split = renderSimulatedQuery(p99, {
      selector: ' service="checkout" ',
      byVariant: true,
      variantLabel: 'feature_flag_result_variant',
    });
    expect(split).toBe('p99{service="checkout"} by (feature_flag_result_variant)');
    expect(parseSimulatedQuery(split)).toMatchObject({
      metric: 'p99',
      byVariant: true,
      model: { service: 'checkout', flagKey: 'checkout-v2' },
    });
  });

  it('renders the instant templates (buckets, counts, units) over the judged window', () => {
    const specs = simulatedMetricSpecs();
    const p99 = specs.find((s) => s.name === 'p99')!;
    const errors = specs.find((s) => s.name === 'error_ratio')!;
    expect(p99).toMatchObject({ quantile: 0.99, bucketUnitMs: 1 });
    const buckets = renderSimulatedQuery(
      { name: 'p99', query: p99.buckets! },
      { selector: 'service="search"', byVariant: true, windowSec: 600 },
    );
    expect(buckets).toBe('buckets{service="search"}[600s] by (feature_flag_result_variant)');
    expect(parseSimulatedWindowQuery(buckets)).toMatchObject({ metric: 'buckets', byVariant: true, windowMs: 600_000 });
    expect(
      renderSimulatedQuery(
        { name: 'e', query: errors.counts!.errors },
        { selector: 'service="search"', byVariant: false, windowSec: 120 },
      ),
    ).toBe('errors{service="search"}[120s]');
    expect(
      renderSimulatedQuery(
        { name: 'u', query: simulatedUnitsQuery() },
        { selector: 'service="web"', byVariant: true, windowSec: 60 },
      ),
    ).toBe('users{service="web"}[60s] by (feature_flag_result_variant)');
    // A range query has no window, an instant one needs one: each refused with the form it needs.
    expect(() => parseSimulatedQuery('p99{service="web"}[60s]')).toThrow(/a range query has no \[window\]/);
    expect(() => parseSimulatedWindowQuery('buckets{service="web"}')).toThrow(/needs a window/);
    expect(() => parseSimulatedWindowQuery('p99{service="web"}[60s]')).toThrow(/"p99" has no window form/);
  });

  it('refuses a selector or variant label the simulated service does not have, naming the metric', () => {
    const p99 = simulatedMetricSpecs().find((s) => s.name === 'p99')!;
    expect(() => renderSimulatedQuery(p99, { selector: 'service="billing"', byVariant: false })).toThrow(
      /Metric "p99": Simulated service: unknown service "billing"/,
    );
    expect(() => renderSimulatedQuery(p99, { selector: 'job="x"', byVariant: false })).toThrow(/unknown label "job"/);
    expect(() =>
      renderSimulatedQuery(p99, {
        selector: 'service="web"',
        byVariant: true,
        variantLabel: 'feature_flag.result.variant',
      }),
    ).toThrow(/expected <metric>/);
    expect(() =>
      renderSimulatedQuery(
        { name: 'x', query: 'p99{{{selector}}}{{oops}}' },
        { selector: 'service="web"', byVariant: false },
      ),
    ).toThrow(/unknown hole \{\{oops\}\}/);
  });
});
