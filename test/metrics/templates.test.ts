import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VARIANT_LABEL, defaultMetricSpecs, renderQuery } from '../../main/metrics/templates';
import { parseDatadogQuery } from '../../main/metrics/datadog/query-plan';
import { MetricSpec } from '../../shared/domain/metrics';

const spec = (kind: 'prometheus' | 'datadog', name: string) => {
  const s = defaultMetricSpecs(kind).find((m) => m.name === name);
  if (!s) throw new Error(`no ${name}`);
  return s;
};

describe('default metric specs', () => {
  it.each(['prometheus', 'datadog'] as const)(
    '%s: request_rate, error_ratio, p50, p95, p99 with kinds and units, valid MetricSpecs',
    (kind) => {
      const specs = defaultMetricSpecs(kind);
      expect(specs.map((s) => [s.name, s.kind, s.unit])).toEqual([
        ['request_rate', 'rate', 'rps'],
        ['error_ratio', 'errors', 'ratio'],
        ['p50', 'latency', 'ms'],
        ['p95', 'latency', 'ms'],
        ['p99', 'latency', 'ms'],
      ]);
      for (const s of specs) expect(MetricSpec.parse(s)).toEqual(s);
      expect(specs.filter((s) => s.critical).map((s) => s.name)).toEqual(['error_ratio', 'p99']);
    },
  );

  it('has no templates for the simulated kind (the demo provider owns its own)', () => {
    expect(() => defaultMetricSpecs('simulated' as 'prometheus')).toThrow(/No metric templates/);
  });
});

describe('renderQuery — Prometheus', () => {
  const opts = { selector: 'job="checkout"', byVariant: true, windowSec: 60 };
  const H = '__name__=~"http_server_request_duration(_seconds)?';

  it('p99 per variant: histogram_quantile over the bucket rate, le kept in the by-clause, in ms', () => {
    expect(renderQuery(spec('prometheus', 'p99'), opts)).toBe(
      `1000 * histogram_quantile(0.99, sum by (le, feature_flag_result_variant) (rate({${H}_bucket",job="checkout"}[60s])))`,
    );
    expect(renderQuery(spec('prometheus', 'p50'), { ...opts, byVariant: false, windowSec: 30 })).toBe(
      `1000 * histogram_quantile(0.5, sum by (le) (rate({${H}_bucket",job="checkout"}[30s])))`,
    );
  });

  it("the default name matches both exporters' spellings in seconds: with and without the _seconds suffix", () => {
    const re = new RegExp(`^${'http_server_request_duration(_seconds)?'}_bucket$`);
    expect(re.test('http_server_request_duration_bucket')).toBe(true); // OpenTelemetry JS Prometheus exporter
    expect(re.test('http_server_request_duration_seconds_bucket')).toBe(true); // OTLP → Prometheus
    expect(re.test('http_server_duration_milliseconds_bucket')).toBe(false); // older, in ms: found by discovery instead
  });

  it('per-step queries use a range equal to the step: consecutive samples never overlap', () => {
    for (const s of defaultMetricSpecs('prometheus')) {
      for (const windowSec of [5, 10, 60, 300]) {
        const q = renderQuery(s, { ...opts, windowSec });
        const ranges = [...q.matchAll(/\[(\d+)s\]/g)].map((m) => Number(m[1]));
        expect(ranges.length, s.name).toBeGreaterThan(0);
        expect(new Set(ranges), `${s.name}: ${q}`).toEqual(new Set([windowSec]));
      }
    }
  });

  it('request rate and error ratio use _count, 5xx by http_response_status_code, and a configurable variant label', () => {
    const rate = renderQuery(spec('prometheus', 'request_rate'), { ...opts, variantLabel: 'variant' });
    expect(rate).toBe(`sum by (variant) (rate({${H}_count",job="checkout"}[60s]))`);
    const errors = renderQuery(spec('prometheus', 'error_ratio'), opts);
    expect(errors).toBe(
      `(sum by (feature_flag_result_variant) (rate({${H}_count",http_response_status_code=~"5..",job="checkout"}[60s]))` +
        ` or 0 * sum by (feature_flag_result_variant) (rate({${H}_count",job="checkout"}[60s])))` +
        ` / sum by (feature_flag_result_variant) (rate({${H}_count",job="checkout"}[60s]))`,
    );
    expect(renderQuery(spec('prometheus', 'request_rate'), { selector: '', byVariant: false })).toBe(
      `sum (rate({${H}_count",}[60s]))`,
    );
  });

  it('latency specs carry merged-bucket templates (instant, over the whole window) and errors carry count templates', () => {
    const p99 = spec('prometheus', 'p99');
    expect(p99).toMatchObject({ quantile: 0.99, bucketUnitMs: 1000 });
    expect(renderQuery({ name: 'p99', query: p99.buckets! }, { ...opts, windowSec: 1800 })).toBe(
      `sum by (le, feature_flag_result_variant) (increase({${H}_bucket",job="checkout"}[1800s]))`,
    );
    const e = spec('prometheus', 'error_ratio').counts!;
    expect(renderQuery({ name: 'e', query: e.total }, { ...opts, windowSec: 1800 })).toBe(
      `sum by (feature_flag_result_variant) (increase({${H}_count",job="checkout"}[1800s]))`,
    );
    expect(renderQuery({ name: 'e', query: e.errors }, { ...opts, byVariant: false, windowSec: 600 })).toBe(
      `(sum (increase({${H}_count",http_response_status_code=~"5..",job="checkout"}[600s])) or 0 * sum (increase({${H}_count",job="checkout"}[600s])))`,
    );
  });

  it('a discovered exact name (and unit) replaces the default regex: the older ms histogram needs no ×1000', () => {
    const [, , , , p99] = defaultMetricSpecs('prometheus', {
      prometheus: { base: 'http_server_duration_milliseconds', regex: false, unit: 'ms' },
    });
    expect(renderQuery(p99, opts)).toBe(
      'histogram_quantile(0.99, sum by (le, feature_flag_result_variant) (rate(http_server_duration_milliseconds_bucket{job="checkout"}[60s])))',
    );
    expect(p99.bucketUnitMs).toBe(1);
    const [, , , , exact] = defaultMetricSpecs('prometheus', {
      prometheus: { base: 'http_server_request_duration', regex: false, unit: 's' },
    });
    expect(renderQuery({ name: 'p99', query: exact.buckets! }, { ...opts, byVariant: false, windowSec: 300 })).toBe(
      'sum by (le) (increase(http_server_request_duration_bucket{job="checkout"}[300s]))',
    );
  });

  it('accepts label-matcher lists (all four operators, both quote styles, escapes, trailing comma, empty)', () => {
    for (const selector of [
      'job="checkout"',
      ' job="checkout" , env=~"prod|canary", x!="}", y!~\'a\\\'b\'',
      'a="b",',
      'a=`raw{}`',
      '',
    ]) {
      expect(() => renderQuery(spec('prometheus', 'p99'), { ...opts, selector })).not.toThrow();
    }
  });

  it('rejects selectors that would break out of the {…} matcher, with a clear message', () => {
    const attacks = [
      'job="a"}) or vector(1) #',
      'job="a"} [5m]',
      'job=checkout',
      'job="unterminated',
      '{job="a"}',
      'job="a" env="b"',
      'job="a"\n} or up{',
      'job ~ "a"',
    ];
    for (const selector of attacks) {
      expect(() => renderQuery(spec('prometheus', 'p99'), { ...opts, selector }), selector).toThrow(
        /Metric "p99": Prometheus selector must be label matchers/,
      );
    }
  });

  it('rejects a variant label that is not a label name', () => {
    expect(() => renderQuery(spec('prometheus', 'p99'), { ...opts, variantLabel: 'variant) or vector(1' })).toThrow(
      /variant label must be a label name/,
    );
    expect(() =>
      renderQuery(spec('prometheus', 'p99'), { ...opts, variantLabel: 'feature_flag.result.variant' }),
    ).toThrow(/label name/);
  });

  it('no accepted selector ever puts a bracket outside a quoted value (property)', () => {
    const stripStrings = (s: string) => s.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`/g, '');
    const alphabet = fc.constantFrom(...'ab_="\'`\\,!~=}{)(][ #\n1'.split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }).map((cs) => cs.join('')),
        (selector) => {
          let rendered: string;
          try {
            rendered = renderQuery({ name: 'p', query: 'x{{{selector}}}' }, { selector, byVariant: false });
          } catch {
            return; // rejected: fine
          }
          expect(stripStrings(rendered.slice(2, -1))).not.toMatch(/[{}()[\]#\n]/);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('renderQuery — Datadog', () => {
  const opts = { selector: 'service:checkout,env:prod', byVariant: true, kind: 'datadog' as const };

  it('p99 per variant on the distribution, converted to ms through a formula, rolled up per step', () => {
    const q = renderQuery(spec('datadog', 'p99'), opts);
    expect(q).toBe(
      'formula = 1000 * a; a = p99:http.server.request.duration{service:checkout,env:prod} by {feature_flag.result.variant}.rollup(60)',
    );
    expect(parseDatadogQuery(q)).toEqual({
      formula: '1000 * a',
      queries: [
        {
          name: 'a',
          query:
            'p99:http.server.request.duration{service:checkout,env:prod} by {feature_flag.result.variant}.rollup(60)',
        },
      ],
    });
    // No bucket counts through Datadog's query API: its tails are judged per step (the labelled fallback).
    expect(spec('datadog', 'p99').buckets).toBeUndefined();
    expect(DEFAULT_VARIANT_LABEL.datadog).toBe('feature_flag.result.variant');
  });

  it('request rate as count().as_rate(), error ratio as a v2 formula of two counts', () => {
    expect(renderQuery(spec('datadog', 'request_rate'), { ...opts, byVariant: false, windowSec: 60 })).toBe(
      'count:http.server.request.duration{service:checkout,env:prod}.as_rate().rollup(60)',
    );
    const plan = parseDatadogQuery(renderQuery(spec('datadog', 'error_ratio'), opts));
    expect(plan.formula).toBe('a / b');
    expect(plan.queries.map((q) => q.query)).toEqual([
      'count:http.server.request.duration{http.response.status_code:5*,service:checkout,env:prod} by {feature_flag.result.variant}.as_count().rollup(60)',
      'count:http.server.request.duration{service:checkout,env:prod} by {feature_flag.result.variant}.as_count().rollup(60)',
    ]);
  });

  it('rejects scopes that could close the braces or inject a formula, and an empty scope', () => {
    for (const selector of [
      'service:checkout}',
      'service:checkout} by {host',
      'a:b; b = avg:x{*}',
      'env="prod"',
      'a:(b',
      '',
    ]) {
      expect(() => renderQuery(spec('datadog', 'p99'), { ...opts, selector }), selector).toThrow(
        /Metric "p99": Datadog selector/,
      );
    }
    expect(() => renderQuery(spec('datadog', 'p99'), { ...opts, variantLabel: 'variant}' })).toThrow(/tag key/);
  });
});

describe('template holes', () => {
  it('reject an unknown hole or an unclosed section with a clear error', () => {
    expect(() => renderQuery({ name: 'x', query: 'up{{{selectr}}}' }, { selector: '', byVariant: false })).toThrow(
      /unknown hole \{\{selectr\}\}/,
    );
    expect(() =>
      renderQuery({ name: 'x', query: 'sum{{#byVariant}} by (v)' }, { selector: '', byVariant: true }),
    ).toThrow(/unclosed/);
  });

  it('{{^byVariant}} keeps text only when not split, and the window must be whole seconds', () => {
    const t = {
      name: 'x',
      query: 'a{{^byVariant}} whole{{/byVariant}}{{#byVariant}} split{{/byVariant}} [{{window}}]',
    };
    expect(renderQuery(t, { selector: '', byVariant: false, windowSec: 30 })).toBe('a whole [30s]');
    expect(renderQuery(t, { selector: '', byVariant: true, windowSec: 30 })).toBe('a split [30s]');
    expect(() => renderQuery(t, { selector: '', byVariant: true, windowSec: 2.5 })).toThrow(/whole number of seconds/);
    expect(() => renderQuery(t, { selector: '', byVariant: true, windowSec: 0 })).toThrow(/whole number of seconds/);
  });
});
